import Hummingbird
import KPIContracts
import KPIRuntime

/// Sign-in, registration, waiting, home and year choice: the view models of the accounts
/// templates (Templates/*.mustache), which hold the HTML.
enum AccountPages {
    struct HomeUser {
        var fullName, username, position, nationalId: String
        var unitCode: Int
        var yearBE: Int?
    }

    static func home(_ s: SessionInfo?, reminders: Reminders? = nil, unread: Int = 0) -> Response {
        let user = s.map { s in
            HomeUser(fullName: s.user.title + s.user.firstNameTh + " " + s.user.lastNameTh, username: s.user.username,
                     position: s.user.position, nationalId: s.user.nationalId, unitCode: s.user.unitCode, yearBE: s.yearBE)
        }
        // B3: what to act on, in the manual's words: a round to send (due, overdue, returned), reports to review.
        struct Notice { var id, text, href: String; var urgent: Bool }
        var notices = (reminders?.toSend ?? []).map { d in
            let when = d.dueOn.map { ThaiDate.day($0) } ?? ""
            let state = d.returned ? t("ถูกส่งกลับให้แก้ไข") : d.overdue ? t("เลยกำหนดส่ง") + " " + when : t("กำหนดส่ง") + " " + when
            return Notice(id: "due-\(d.indicatorId.uuidString.lowercased())-\(d.seq)", text: "\(d.number) \(d.nameTh) · \(d.roundLabelTh) — \(state)",
                          href: "/reports/\(d.indicatorId.uuidString.lowercased())/\(d.seq)", urgent: d.overdue || d.returned)
        }
        if unread > 0 {
            notices.insert(Notice(id: "unread-notices", text: t("ข้อความแจ้งเตือนที่ยังไม่ได้อ่าน") + ": \(unread)", href: "/notices", urgent: true), at: 0)
        }
        if let waiting = reminders?.waitingForReview, waiting > 0 {
            notices.append(Notice(id: "waiting-review", text: t("รายงานที่รอตรวจ") + ": \(waiting)", href: "/reviews", urgent: false))
        }
        struct Model { var user: HomeUser?; var notices: [Notice]; var hasNotices: Bool }
        return Views.page("home", title: "หน้าแรก", session: s, Model(user: user, notices: notices, hasNotices: !notices.isEmpty))
    }

    static func signIn(error: String? = nil, username: String = "", csrf: String, status: HTTPResponse.Status = .ok) -> Response {
        struct Model { var error: String?; var username: String; var csrf: String }
        return Views.page("signin", title: "เข้าสู่ระบบ", status: status, Model(error: error.map(t), username: username, csrf: csrf))
    }

    static func pending() -> Response {
        Views.page("pending", title: "รอการอนุมัติ", status: .forbidden)
    }

    static func registered() -> Response {
        Views.page("registered", title: "ลงทะเบียนแล้ว", status: .created)
    }

    /// The form's text fields, in the manual's order.
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

    static let staffKinds = [("civil_servant", "ข้าราชการ"), ("government_employee", "พนักงานราชการ/ลูกจ้างประจำ"),
                             ("temporary_employee", "ลูกจ้างชั่วคราว/จ้างเหมาบริการ")]

    struct Field { var key, label, type, autocomplete, value: String; var error: String? }
    struct Choice { var value, label: String; var checked: Bool }
    struct UnitOption { var code: Int; var name: String; var selected: Bool }

    /// The units the registration form offers: found by area or by search first (at 35,000
    /// units a form never lists them all).
    struct UnitPicker: Sendable {
        var query: UnitQuery
        var areas: [UnitView]
        var page: UnitPage?
    }

    static func register(picker: UnitPicker, values: [String: String], errors: [String: String], csrf: String,
                         status: HTTPResponse.Status = .ok) -> Response {
        struct Model {
            var csrf: String
            var hasErrors: Bool
            var errors: [String: String]
            var fields: [Field]
            var staffKinds: [Choice]
            var search: UnitSearchForm
            var searched: Bool
            var units: [UnitOption]
            var more: String?
        }
        let page = picker.page
        let model = Model(
            csrf: csrf, hasErrors: !errors.isEmpty, errors: errors,
            fields: fields.map { Field(key: $0.key, label: t($0.label), type: $0.type, autocomplete: $0.autocomplete,
                                       value: values[$0.key] ?? "", error: errors[$0.key]) },
            staffKinds: staffKinds.map { Choice(value: $0.0, label: t($0.1), checked: values["staffKind"] == $0.0) },
            search: UnitSearchForm(action: "/register", query: picker.query, areas: picker.areas, kinds: false),
            searched: page != nil,
            units: (page?.units ?? []).filter { $0.kind != "nation" }.map {
                UnitOption(code: $0.code, name: $0.nameTh, selected: values["unitCode"] == String($0.code))
            },
            more: page.flatMap { $0.total > $0.units.count ? "\($0.units.count) / \($0.total)" : nil })
        return Views.page("register", title: "ลงทะเบียนผู้ใช้งานใหม่", status: status, model)
    }

    static func year(_ s: SessionInfo, years: [YearView]) -> Response {
        struct Row { var yearBE, nextBE: Int; var range: String; var closed: Bool; var chosen: Bool }
        struct Model { var csrf: String; var years: [Row]; var nextYear: Int?; var controller: Bool }
        let next = (years.map(\.yearBE).max() ?? 2567) + 1
        return Views.page("year", title: "เลือกปี", session: s, Model(
            csrf: s.csrf,
            years: years.map { Row(yearBE: $0.yearBE, nextBE: $0.yearBE + 1, range: ThaiDate.day($0.startsOn) + " – " + ThaiDate.day($0.endsOn),
                                   closed: $0.closed ?? false, chosen: s.yearBE == $0.yearBE) },
            nextYear: s.has(.defineIndicators) ? next : nil,
            // Closing and copying a year is an area's business: the nation's staff have no area.
            controller: s.has(.defineIndicators) && s.user.areaCode != nil))
    }
}

struct YearView: Decodable, Sendable {
    var yearBE: Int
    var startsOn: String
    var endsOn: String
    /// Whether the user's area office has closed it.
    var closed: Bool?
}
