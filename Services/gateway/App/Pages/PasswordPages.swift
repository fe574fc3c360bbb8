import Foundation
import Hummingbird
import KPIRuntime

/// Changing one's password, asking for a new one, and the administrator's side of both.
enum PasswordPages {
    static func change(_ s: SessionInfo, errors: [String: String] = [:], done: Bool = false, status: HTTPResponse.Status = .ok) -> Response {
        func err(_ k: String) -> String { errors[k].map { #"<span class="err" id="err-\#(k)">\#(esc($0))</span>"# } ?? "" }
        return page(title: t("เปลี่ยนรหัสผ่าน"), session: s, status: status, body: """
            <h1>\(t("เปลี่ยนรหัสผ่าน"))</h1>
            \(s.user.mustChangePassword ? #"<p class="alert" role="alert">\#(t("รหัสผ่านของท่านเป็นรหัสชั่วคราว กรุณาตั้งรหัสผ่านใหม่ก่อนใช้งาน"))</p>"# : "")
            \(done ? #"<p class="note" role="status" id="password-changed">\#(t("เปลี่ยนรหัสผ่านแล้ว"))</p>"# : "")
            <form method="post" action="/password" class="card">
            <input type="hidden" name="csrf" value="\(esc(s.csrf))">
            <label for="current">\(t("รหัสผ่านปัจจุบัน"))</label>
            <input type="password" id="current" name="current" autocomplete="current-password" required maxlength="128">\(err("current"))
            <label for="new">\(t("รหัสผ่านใหม่ (8–128 ตัวอักษร)"))</label>
            <input type="password" id="new" name="new" autocomplete="new-password" required minlength="8" maxlength="128">\(err("new"))
            <p><button class="btn" type="submit" id="change-password">\(t("เปลี่ยนรหัสผ่าน"))</button></p>
            </form>
            <p><a href="/sessions" id="my-sessions">\(t("อุปกรณ์ที่เข้าสู่ระบบด้วยบัญชีนี้"))</a></p>
            """)
    }

    /// Where the person is signed in; each other session can be ended here.
    struct SessionView: Decodable {
        var id: String
        var createdAt: Date
        var lastSeenAt: Date
        var current: Bool
    }

    static func sessions(_ s: SessionInfo, _ list: [SessionView], ended: Bool = false) -> Response {
        let rows = list.map { v in
            let action = v.current ? t("เครื่องนี้") : """
                <form method="post" action="/sessions/\(esc(v.id))/end" class="inline">
                <input type="hidden" name="csrf" value="\(esc(s.csrf))">
                <button class="btn" type="submit" id="end-\(esc(v.id))">\(t("ออกจากระบบเครื่องนั้น"))</button></form>
                """
            return "<tr><td>\(esc(ThaiDate.dateTime(v.createdAt)))</td><td>\(esc(ThaiDate.dateTime(v.lastSeenAt)))</td><td>\(action)</td></tr>"
        }.joined()
        return page(title: t("อุปกรณ์ที่เข้าสู่ระบบด้วยบัญชีนี้"), session: s, body: """
            <h1>\(t("อุปกรณ์ที่เข้าสู่ระบบด้วยบัญชีนี้"))</h1>
            \(ended ? #"<p class="note" role="status" id="session-ended">\#(t("ออกจากระบบเครื่องนั้นแล้ว"))</p>"# : "")
            <table class="list"><thead><tr><th>\(t("เข้าสู่ระบบเมื่อ"))</th><th>\(t("ใช้งานล่าสุด"))</th><th></th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """)
    }

    static let reasons = [("forgot", "ลืมรหัสผ่าน"), ("leaked", "สงสัยว่ารหัสผ่านรั่วไหล"), ("stop_sharing", "เลิกใช้รหัสผ่านร่วมกับผู้อื่น")]

    static func request(csrf: String, sent: Bool = false, error: String? = nil) -> Response {
        let radios = reasons.map { #"<label class="inline"><input type="radio" name="reason" value="\#($0.0)" required> \#(t($0.1))</label><br>"# }.joined()
        return page(title: "ขอเปลี่ยนรหัสผ่าน", status: error == nil ? .ok : .unprocessableContent, body: """
            <h1>\(t("ขอเปลี่ยนรหัสผ่าน"))</h1>
            \(sent ? #"<p class="note" role="status" id="request-sent">ส่งคำขอถึงผู้ดูแลระบบแล้ว ผู้ดูแลระบบจะติดต่อกลับพร้อมรหัสผ่านชั่วคราว</p>"# : "")
            \(error.map { #"<p class="alert" role="alert">\#(esc($0))</p>"# } ?? "")
            <form method="post" action="/forgot" class="card">
            <input type="hidden" name="csrf" value="\(esc(csrf))">
            <label for="username">\(t("ชื่อผู้ใช้"))</label><input type="text" id="username" name="username" required maxlength="40">
            <fieldset><legend>\(t("เหตุผล"))</legend>\(radios)</fieldset>
            <label for="note">\(t("รายละเอียดเพิ่มเติม (ถ้ามี)"))</label><textarea id="note" name="note" maxlength="500" rows="3"></textarea>
            <p><button class="btn" type="submit" id="send-request">\(t("ส่งคำขอ"))</button></p>
            </form>
            """)
    }

    struct RequestView: Decodable { var id: String; var username: String; var userId: String?; var reason: String; var note: String; var createdAt: Date }

    static func requests(_ list: [RequestView], session s: SessionInfo) -> Response {
        let label = Dictionary(uniqueKeysWithValues: reasons)
        let rows = list.map { r in
            """
            <tr><td>\(esc(ThaiDate.dateTime(r.createdAt)))</td>\
            <td>\(r.userId.map { #"<a href="/admin/users/\#(esc($0))">\#(esc(r.username))</a>"# } ?? esc(r.username) + " <span class=\"muted\">(ไม่พบบัญชี)</span>")</td>\
            <td>\(esc(label[r.reason] ?? r.reason))</td><td>\(esc(r.note))</td>\
            <td><form method="post" action="/admin/password-requests/\(esc(r.id))/handled"><input type="hidden" name="csrf" value="\(esc(s.csrf))">\
            <button class="btn" type="submit">\(t("ดำเนินการแล้ว"))</button></form></td></tr>
            """
        }.joined(separator: "\n")
        return page(title: t("คำขอเปลี่ยนรหัสผ่าน"), session: s, body: """
            <h1>\(t("คำขอเปลี่ยนรหัสผ่าน"))</h1>
            <p class="muted">รีเซ็ตรหัสผ่านได้ที่หน้าบัญชีผู้ใช้ แล้วแจ้งรหัสชั่วคราวแก่ผู้ขอ</p>
            <table><thead><tr><th scope="col">\(t("เวลา"))</th><th scope="col">\(t("ชื่อผู้ใช้"))</th><th scope="col">\(t("เหตุผล"))</th><th scope="col">รายละเอียด</th><th scope="col"></th></tr></thead>
            <tbody>\(rows.isEmpty ? #"<tr><td colspan="5">\#(t("ไม่มีคำขอที่รอดำเนินการ"))</td></tr>"# : rows)</tbody></table>
            """)
    }
}
