import Hummingbird
import KPIRuntime

/// A unit as identity's API returns it.
struct UnitView: Decodable, Sendable {
    var code: Int
    var nameTh: String
    var kind: String
    var active: Bool
}

enum UnitPages {
    static let kindLabel = ["school": "โรงเรียน", "district": "สำนักงานเขตพื้นที่", "other": "หน่วยงานอื่น"]

    static func list(_ units: [UnitView], session: SessionInfo?) -> Response {
        let rows = units.map { u in
            """
            <tr><td class="num">\(u.code)</td><td>\(esc(u.nameTh))</td>\
            <td class="opt">\(esc(t(kindLabel[u.kind] ?? u.kind)))</td>\
            <td>\(u.active ? "<span class=\"badge\">\(t("ใช้งาน"))</span>" : "<span class=\"muted\">\(t("ปิดใช้งาน"))</span>")</td></tr>
            """
        }.joined(separator: "\n")
        return page(title: "หน่วยงาน", session: session, body: """
            <h1>\(t("หน่วยงาน")) <span class="muted">(Units)</span></h1>
            <p class="muted">ทั้งหมด \(units.count) หน่วยงาน</p>
            <table>
            <thead><tr><th scope="col">\(t("รหัส"))</th><th scope="col">\(t("ชื่อหน่วยงาน"))</th><th scope="col" class="opt">\(t("ประเภท"))</th><th scope="col">\(t("สถานะ"))</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table>
            """)
    }


}
