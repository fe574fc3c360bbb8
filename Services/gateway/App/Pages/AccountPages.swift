import Hummingbird
import KPIContracts
import KPIRuntime

/// Sign-in, registration, waiting, home and year choice.
enum AccountPages {
    static func home(_ s: SessionInfo?) -> Response {
        guard let s else {
            return page(title: "หน้าแรก", body: """
                <h1>\(t("ระบบรายงานผลการดำเนินงานตามตัวชี้วัด"))</h1>
                <p>\(t("KPI-Online: ตัวชี้วัด รอบรายงาน ผลการประเมินตนเอง และผลการตรวจของเขตพื้นที่"))</p>
                <p><a class="btn" href="/signin">\(t("เข้าสู่ระบบ"))</a> <a class="btn green" href="/register">\(t("ลงทะเบียนผู้ใช้งานใหม่"))</a></p>
                """)
        }
        let year = s.yearBE.map { "ปีงบประมาณ <strong>\($0)</strong>" } ?? #"ยังไม่ได้เลือกปี — <a href="/year">\#(t("เลือกปี"))</a>"#
        return page(title: "หน้าแรก", session: s, body: """
            <h1>สวัสดี \(esc(s.user.title + s.user.firstNameTh + " " + s.user.lastNameTh))</h1>
            <div class="card"><dl class="facts">
            <dt>\(t("ชื่อผู้ใช้"))</dt><dd>\(esc(s.user.username))</dd>
            <dt>\(t("ตำแหน่ง"))</dt><dd>\(esc(s.user.position))</dd>
            <dt>\(t("หน่วยงาน"))</dt><dd>รหัส \(s.user.unitCode)</dd>
            <dt>\(t("เลขประจำตัวประชาชน"))</dt><dd>\(esc(s.user.nationalId))</dd>
            <dt>\(t("ปี"))</dt><dd id="chosen-year">\(year)</dd>
            </dl></div>
            """)
    }

    static func signIn(error: String? = nil, username: String = "", csrf: String, status: HTTPResponse.Status = .ok) -> Response {
        page(title: "เข้าสู่ระบบ", status: status, body: """
            <h1>\(t("เข้าสู่ระบบ")) <span class="muted">(Sign in)</span></h1>
            \(error.map { #"<p class="alert" role="alert" id="signin-error">\#(esc(t($0)))</p>"# } ?? "")
            <form method="post" action="/signin" class="card">
            <input type="hidden" name="csrf" value="\(esc(csrf))">
            <label for="username">\(t("ชื่อผู้ใช้"))</label>
            <input type="text" id="username" name="username" value="\(esc(username))" autocomplete="username" required maxlength="40">
            <label for="password">\(t("รหัสผ่าน"))</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required maxlength="128">
            <p><button class="btn" type="submit" id="signin-submit">\(t("เข้าสู่ระบบ"))</button></p>
            </form>
            <p><a href="/register">\(t("ลงทะเบียนผู้ใช้งานใหม่"))</a> · <a href="/forgot">\(t("ลืมรหัสผ่าน / ขอเปลี่ยนรหัสผ่าน"))</a></p>
            """)
    }

    static func pending() -> Response {
        page(title: "รอการอนุมัติ", status: .forbidden, body: """
            <h1>\(t("บัญชีของท่านรอการอนุมัติ"))</h1>
            <p class="note" id="pending-note">ผู้ดูแลระบบจะตรวจสอบแบบคำขอสิทธิ์ที่ผู้อำนวยการรับรองแล้ว และอนุมัติบัญชี
            เมื่ออนุมัติแล้วท่านจึงจะเข้าสู่ระบบได้</p>
            <p><a href="/">\(t("กลับหน้าแรก"))</a></p>
            """)
    }

    static func registered() -> Response {
        page(title: "ลงทะเบียนแล้ว", status: .created, body: """
            <h1>\(t("ลงทะเบียนเรียบร้อย"))</h1>
            <p class="note" id="registered-note">\(t("บัญชีของท่านรอผู้ดูแลระบบอนุมัติ เมื่ออนุมัติแล้วจึงเข้าสู่ระบบได้"))</p>
            <p><a href="/signin">\(t("ไปหน้าเข้าสู่ระบบ"))</a></p>
            """)
    }

    static let fields: [(key: String, label: String, type: String, autocomplete: String)] = [
        ("nationalId", "เลขประจำตัวประชาชน (13 หลัก)", "text", "off"),
        ("title", "คำนำหน้าชื่อ", "text", "honorific-prefix"),
        ("firstNameTh", "ชื่อ (ภาษาไทย)", "text", "given-name"),
        ("lastNameTh", "นามสกุล (ภาษาไทย)", "text", "family-name"),
        ("firstNameEn", "ชื่อ (ภาษาอังกฤษ)", "text", "off"),
        ("lastNameEn", "นามสกุล (ภาษาอังกฤษ)", "text", "off"),
        ("position", "ตำแหน่ง", "text", "organization-title"),
        ("officePhone", "โทรศัพท์ที่ทำงาน", "tel", "tel-national"),
        ("mobile", "โทรศัพท์มือถือ", "tel", "tel"),
        ("province", "จังหวัด", "text", "address-level1"),
        ("email", "อีเมล", "email", "email"),
        ("username", "ชื่อผู้ใช้ (a–z 0–9 . _ -)", "text", "username"),
    ]

    static func register(units: [UnitView], values: [String: String], errors: [String: String], csrf: String,
                         status: HTTPResponse.Status = .ok) -> Response {
        func err(_ key: String) -> String {
            errors[key].map { #"<span class="err" id="err-\#(key)">\#(esc($0))</span>"# } ?? ""
        }
        let inputs = fields.map { f in
            """
            <div><label for="\(f.key)">\(t(f.label))</label>
            <input type="\(f.type)" id="\(f.key)" name="\(f.key)" value="\(esc(values[f.key] ?? ""))" autocomplete="\(f.autocomplete)" required maxlength="200">\(err(f.key))</div>
            """
        }.joined(separator: "\n")
        let kinds = [("civil_servant", "ข้าราชการ"), ("government_employee", "พนักงานราชการ/ลูกจ้างประจำ"),
                     ("temporary_employee", "ลูกจ้างชั่วคราว/จ้างเหมาบริการ")].map { k in
            #"<label class="inline"><input type="radio" name="staffKind" value="\#(k.0)"\#(values["staffKind"] == k.0 ? " checked" : "")> \#(t(k.1))</label>"#
        }.joined()
        let options = units.filter(\.active).map { u in
            #"<option value="\#(u.code)"\#(values["unitCode"] == String(u.code) ? " selected" : "")>\#(u.code) \#(esc(u.nameTh))</option>"#
        }.joined()
        return page(title: "ลงทะเบียนผู้ใช้งานใหม่", status: status, body: """
            <h1>\(t("ลงทะเบียนผู้ใช้งานใหม่")) <span class="muted">(Register)</span></h1>
            \(errors.isEmpty ? "" : #"<p class="alert" role="alert">\#(t("กรุณาแก้ไขข้อมูลที่ระบุ"))</p>"#)
            <form method="post" action="/register" enctype="multipart/form-data" class="card">
            <input type="hidden" name="csrf" value="\(esc(csrf))">
            <div class="grid">\(inputs)</div>
            <fieldset><legend>\(t("ประเภทบุคลากร"))</legend>\(kinds)\(err("staffKind"))</fieldset>
            <label for="unitCode">\(t("หน่วยงาน (โรงเรียน)"))</label>
            <select id="unitCode" name="unitCode" required><option value="">\(t("— เลือก —"))</option>\(options)</select>\(err("unitCode"))
            <label for="password">\(t("รหัสผ่าน (8–128 ตัวอักษร)"))</label>
            <input type="password" id="password" name="password" autocomplete="new-password" required minlength="8" maxlength="128">\(err("password"))
            <label for="form">\(t("แบบคำขอสิทธิ์ที่ผู้อำนวยการลงนามแล้ว (PDF หรือรูปภาพ ไม่เกิน 5 MB, ถ้ามี)"))</label>
            <input type="file" id="form" name="form" accept="application/pdf,image/png,image/jpeg">\(err("form"))
            <p><button class="btn green" type="submit" id="register-submit">\(t("ลงทะเบียน"))</button></p>
            </form>
            """)
    }

    static func year(_ s: SessionInfo, years: [YearView]) -> Response {
        let rows = years.map { y in
            """
            <tr><td class="num">\(y.yearBE)</td><td class="opt">\(esc(ThaiDate.day(y.startsOn))) – \(esc(ThaiDate.day(y.endsOn)))</td>
            <td><form method="post" action="/year"><input type="hidden" name="csrf" value="\(esc(s.csrf))">\
            <input type="hidden" name="year" value="\(y.yearBE)"><button class="btn green" type="submit" id="choose-\(y.yearBE)">\(t("เลือก"))</button></form></td></tr>
            """
        }.joined(separator: "\n")
        let next = (years.map(\.yearBE).max() ?? 2567) + 1
        let add = s.has(.defineIndicators) ? """
            <form method="post" action="/year/add" class="card"><input type="hidden" name="csrf" value="\(esc(s.csrf))">\
            <input type="hidden" name="year" value="\(next)"><button class="btn" type="submit" id="add-year">\(t("เพิ่มปีงบประมาณ")) \(next)</button></form>
            """ : ""
        return page(title: "เลือกปี", session: s, body: """
            <h1>\(t("เลือกปี")) <span class="muted">(ปีงบประมาณ)</span></h1>
            <table><thead><tr><th scope="col">\(t("ปี พ.ศ."))</th><th scope="col" class="opt">\(t("ช่วงเวลา"))</th><th scope="col"></th></tr></thead>
            <tbody>\(rows)</tbody></table>
            \(add)
            """)
    }

    static func error(_ e: PageError, session: SessionInfo?) -> Response {
        page(title: "เกิดข้อผิดพลาด", session: session, status: e.status, body: """
            <h1>\(t("ขออภัย"))</h1><p class="alert" role="alert">\(esc(t(e.messageTh)))</p><p><a href="/">\(t("กลับหน้าแรก"))</a></p>
            """)
    }
}

struct YearView: Decodable, Sendable {
    var yearBE: Int
    var startsOn: String
    var endsOn: String
}
