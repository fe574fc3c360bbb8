import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime

/// An account as identity's administrator API returns it.
struct AccountView: Decodable, Sendable {
    var id: String
    var username: String
    var nationalId: String
    var title: String
    var firstNameTh: String
    var lastNameTh: String
    var firstNameEn: String
    var lastNameEn: String
    var staffKind: String
    var position: String
    var officePhone: String
    var mobile: String
    var unitCode: Int
    var province: String
    var email: String
    var status: String
    var statusReason: String?
    var rights: [String]
    var workgroupId: Int?
    var hasRegistrationForm: Bool
    /// Other pending or active accounts with the same national ID.
    var sameNationalId: [String]
    var fullNameTh: String { title + firstNameTh + " " + lastNameTh }
}

struct WorkgroupView: Decodable, Sendable {
    var id: Int
    var nameTh: String
}

struct AuditView: Decodable, Sendable {
    var at: Date
    var actor: String?
    var field: String
    var oldValue: String?
    var newValue: String?
}

/// User administration (M17, M18, B4, B8).
enum AdminPages {
    static let statusLabel = ["pending": "รออนุมัติ", "active": "Enabled", "rejected": "ไม่อนุมัติ", "disabled": "Disabled"]
    /// The manual's flag columns, in its order, with the right each stands for.
    static let rights: [(key: String, flag: String, label: String)] = Right.allCases.map { ($0.rawValue, $0.manualFlag, $0.labelTh) }

    static func list(_ users: [AccountView], units: [UnitView], filter: [String: String], session: SessionInfo) -> Response {
        let unitName = Dictionary(uniqueKeysWithValues: units.map { ($0.code, $0.nameTh) })
        let flagHeads = rights.map { #"<th scope="col" class="opt" title="\#(esc($0.label))">\#(esc($0.flag))</th>"# }.joined()
        let rows = users.enumerated().map { i, u in
            let flags = rights.map { r in #"<td class="opt">\#(u.rights.contains(r.key) ? "✓" : "")</td>"# }.joined()
            return """
                <tr><td class="num">\(i + 1)</td><td><a href="/admin/users/\(esc(u.id))">\(esc(u.fullNameTh))</a>\(u.sameNationalId.isEmpty ? "" : #" <span class="badge warn" title="\#(t("เลขประจำตัวประชาชนซ้ำกับบัญชีอื่น"))">\#(t("ID ซ้ำ"))</span>"#)<br><span class="muted">\(esc(u.username))</span></td>\
                <td class="opt">\(esc(u.position))</td><td>\(esc(unitName[u.unitCode] ?? String(u.unitCode)))</td>\
                <td class="opt">\(esc(u.mobile))</td>\(flags)<td>\(esc(statusLabel[u.status] ?? u.status))</td></tr>
                """
        }.joined(separator: "\n")
        let statusOptions = [("", "ทุกสถานะ")] + ["pending", "active", "disabled", "rejected"].map { ($0, statusLabel[$0] ?? $0) }
        let unitOptions = [#"<option value="">\#(t("ทุกหน่วยงาน"))</option>"#] + units.map {
            #"<option value="\#($0.code)"\#(filter["unit"] == String($0.code) ? " selected" : "")>\#($0.code) \#(esc($0.nameTh))</option>"#
        }
        return page(title: "จัดการผู้ใช้", session: session, body: """
            <h1>\(t("จัดการผู้ใช้")) <span class="muted">(Users)</span></h1>
            <form method="get" action="/admin/users" class="card grid">
            <div><label for="q">\(t("ค้นหา"))</label><input type="text" id="q" name="q" value="\(esc(filter["q"] ?? ""))"></div>
            <div><label for="status">\(t("สถานะ"))</label><select id="status" name="status">\(statusOptions.map { #"<option value="\#($0.0)"\#(filter["status"] == $0.0 ? " selected" : "")>\#($0.1)</option>"# }.joined())</select></div>
            <div><label for="unit">\(t("หน่วยงาน"))</label><select id="unit" name="unit">\(unitOptions.joined())</select></div>
            <div><label>&nbsp;</label><button class="btn" type="submit">\(t("ค้นหา"))</button></div>
            </form>
            <p class="muted">\(users.count) บัญชี</p>
            <div style="overflow-x:auto"><table>
            <thead><tr><th scope="col">No.</th><th scope="col">\(t("ชื่อ-นามสกุล"))</th><th scope="col" class="opt">\(t("ตำแหน่ง"))</th><th scope="col">Dept</th><th scope="col" class="opt">phone</th>\(flagHeads)<th scope="col">Status</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """)
    }

    static func detail(_ u: AccountView, audit: [AuditView], unitName: String, workgroups: [WorkgroupView], session: SessionInfo,
                       message: String? = nil) -> Response {
        let groupOptions = [#"<option value="">— ไม่สังกัดกลุ่มงาน —</option>"#] + workgroups.map { g in
            #"<option value="\#(g.id)"\#(u.workgroupId == g.id ? " selected" : "")>\#(esc(g.nameTh))</option>"#
        }
        let csrf = #"<input type="hidden" name="csrf" value="\#(esc(session.csrf))">"#
        let boxes = rights.map { r in
            #"<label class="inline"><input type="checkbox" name="right" value="\#(r.key)"\#(u.rights.contains(r.key) ? " checked" : "")> \#(esc(r.flag)) \#(esc(r.label))</label>"#
        }.joined(separator: "<br>")
        var actions = ""
        switch u.status {
        case "pending":
            actions = """
                <form method="post" action="/admin/users/\(esc(u.id))/approve" class="inline">\(csrf)<button class="btn green" type="submit" id="approve">\(t("อนุมัติ"))</button></form>
                <form method="post" action="/admin/users/\(esc(u.id))/reject" class="card">\(csrf)<label for="reason">\(t("เหตุผลที่ไม่อนุมัติ"))</label>
                <input type="text" id="reason" name="reason" required maxlength="300"><p><button class="btn red" type="submit" id="reject">\(t("ไม่อนุมัติ"))</button></p></form>
                """
        case "active":
            actions = #"<form method="post" action="/admin/users/\#(esc(u.id))/disable" class="inline">\#(csrf)<button class="btn red" type="submit" id="disable">\#(t("ปิดการใช้งาน"))</button></form> "#
                + #"<form method="post" action="/admin/users/\#(esc(u.id))/password-reset" class="inline">\#(csrf)<button class="btn" type="submit" id="reset-password">\#(t("รีเซ็ตรหัสผ่าน"))</button></form>"#
        case "disabled":
            actions = #"<form method="post" action="/admin/users/\#(esc(u.id))/enable" class="inline">\#(csrf)<button class="btn green" type="submit" id="enable">\#(t("เปิดการใช้งาน"))</button></form>"#
        default: break
        }
        let history = audit.map { a in
            "<tr><td>\(esc(ThaiDate.dateTime(a.at)))</td><td>\(esc(a.actor ?? "ระบบ"))</td><td>\(esc(a.field))</td><td>\(esc(a.oldValue ?? "")) → \(esc(a.newValue ?? ""))</td></tr>"
        }.joined()
        return page(title: u.fullNameTh, session: session, body: """
            <h1>\(esc(u.fullNameTh))</h1>
            \(message.map { #"<p class="note" role="status">\#(esc($0))</p>"# } ?? "")
            \(u.sameNationalId.isEmpty ? "" : #"<p class="alert" role="alert" id="same-national-id">\#(t("เลขประจำตัวประชาชนนี้ซ้ำกับบัญชี")): \#(u.sameNationalId.map { esc($0) }.joined(separator: ", ")) — \#(t("ตรวจสอบก่อนอนุมัติ บุคคลหนึ่งมีบัญชีที่ใช้งานได้บัญชีเดียว"))</p>"#)
            <div class="card"><dl class="facts">
            <dt>\(t("ชื่อผู้ใช้"))</dt><dd>\(esc(u.username))</dd>
            <dt>\(t("เลขประจำตัวประชาชน"))</dt><dd>\(esc(u.nationalId))</dd>
            <dt>\(t("ชื่อภาษาอังกฤษ"))</dt><dd>\(esc(u.firstNameEn + " " + u.lastNameEn))</dd>
            <dt>\(t("ตำแหน่ง"))</dt><dd>\(esc(u.position))</dd>
            <dt>\(t("หน่วยงาน"))</dt><dd>\(esc(unitName)) (\(u.unitCode)) จ.\(esc(u.province))</dd>
            <dt>\(t("โทรศัพท์"))</dt><dd>\(esc(u.officePhone)) / \(esc(u.mobile))</dd>
            <dt>\(t("อีเมล"))</dt><dd>\(esc(u.email))</dd>
            <dt>\(t("สถานะ"))</dt><dd id="account-status">\(esc(statusLabel[u.status] ?? u.status))\(u.statusReason.map { " — " + esc($0) } ?? "")</dd>
            <dt>\(t("แบบคำขอสิทธิ์"))</dt><dd>\(u.hasRegistrationForm ? #"<a href="/admin/users/\#(esc(u.id))/form" id="open-form">\#(t("เปิดดูแบบคำขอที่แนบ"))</a>"# : "ไม่ได้แนบ")</dd>
            </dl></div>
            <p>\(actions)</p>
            <form method="post" action="/admin/users/\(esc(u.id))/workgroup" class="card">\(csrf)
            <label for="workgroup">กลุ่มงาน (บุคลากรสำนักงานเขต)</label><select id="workgroup" name="workgroupId">\(groupOptions.joined())</select>
            <p><button class="btn" type="submit" id="save-workgroup">บันทึกกลุ่มงาน</button></p></form>
            <form method="post" action="/admin/users/\(esc(u.id))/rights" class="card">\(csrf)
            <fieldset><legend>\(t("สิทธิ์การใช้งาน"))</legend>\(boxes)</fieldset>
            <p><button class="btn" type="submit" id="save-rights">\(t("บันทึกสิทธิ์"))</button></p></form>
            <h2>\(t("ประวัติการเปลี่ยนแปลง"))</h2>
            <table><thead><tr><th scope="col">\(t("เวลา"))</th><th scope="col">\(t("โดย"))</th><th scope="col">\(t("รายการ"))</th><th scope="col">\(t("เดิม → ใหม่"))</th></tr></thead><tbody>\(history)</tbody></table>
            """)
    }
}
