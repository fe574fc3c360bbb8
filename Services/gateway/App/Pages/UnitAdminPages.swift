import Hummingbird
import KPIRuntime

/// Unit administration: list, add, rename, change kind, deactivate and reactivate.
enum UnitAdminPages {
    static func list(_ units: [UnitView], session: SessionInfo, message: String? = nil, isError: Bool = false) -> Response {
        let csrf = #"<input type="hidden" name="csrf" value="\#(esc(session.csrf))">"#
        func kindSelect(_ selected: String, id: String) -> String {
            let options = UnitPages.kindLabel.sorted { $0.key > $1.key }.map { k, v in
                #"<option value="\#(k)"\#(k == selected ? " selected" : "")>\#(v)</option>"#
            }.joined()
            return #"<select name="kind" id="\#(id)" aria-label="ประเภท">\#(options)</select>"#
        }
        let rows = units.map { u in
            """
            <tr><td class="num">\(u.code)</td>
            <td><form method="post" action="/admin/units/\(u.code)" class="grid">\(csrf)
            <input type="text" name="nameTh" value="\(esc(u.nameTh))" aria-label="ชื่อหน่วยงาน \(u.code)" required maxlength="200">
            \(kindSelect(u.kind, id: "kind-\(u.code)"))
            <button class="btn" type="submit">\(t("บันทึก"))</button></form></td>
            <td><form method="post" action="/admin/units/\(u.code)/\(u.active ? "deactivate" : "activate")">\(csrf)\
            <button class="btn \(u.active ? "red" : "green")" type="submit" id="toggle-\(u.code)">\(u.active ? "ปิดใช้งาน" : "เปิดใช้งาน")</button></form></td></tr>
            """
        }.joined(separator: "\n")
        let note = message.map { #"<p class="\#(isError ? "alert" : "note")" role="status">\#(esc($0))</p>"# } ?? ""
        return page(title: "จัดการหน่วยงาน", session: session, body: """
            <h1>\(t("จัดการหน่วยงาน")) <span class="muted">(Units)</span></h1>
            \(note)
            <form method="post" action="/admin/units" class="card grid">\(csrf)
            <div><label for="new-code">\(t("รหัส"))</label><input type="text" inputmode="numeric" id="new-code" name="code" required maxlength="8"></div>
            <div><label for="new-name">\(t("ชื่อหน่วยงาน"))</label><input type="text" id="new-name" name="nameTh" required maxlength="200"></div>
            <div><label for="new-kind">\(t("ประเภท"))</label>\(kindSelect("school", id: "new-kind"))</div>
            <div><label>&nbsp;</label><button class="btn green" type="submit" id="add-unit">\(t("เพิ่มหน่วยงาน"))</button></div>
            </form>
            <table><thead><tr><th scope="col">\(t("รหัส"))</th><th scope="col">ชื่อหน่วยงาน / ประเภท</th><th scope="col">\(t("สถานะ"))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """)
    }
}
