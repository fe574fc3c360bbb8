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
    var unitNameTh: String
    var areaCode: Int?
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

/// User, unit and password-request administration (M17, M18, B4, B8): the view models of
/// Templates/*.mustache.
enum AdminPages {
    static let statusLabel = ["pending": "รออนุมัติ", "active": "Enabled", "rejected": "ไม่อนุมัติ", "disabled": "Disabled"]
    /// The manual's flag columns, in its order, with the right each stands for.
    static let rights: [(key: String, flag: String, label: String)] = Right.allCases.map { ($0.rawValue, $0.manualFlag, $0.labelTh) }


    static func users(_ users: [AccountView], filter: [String: String], session: SessionInfo) -> Response {
        struct Flag { var on: Bool }
        struct RightHead { var flag, label: String }
        struct Row { var number: Int; var id, fullName, username, position, unit, mobile, status: String; var duplicate: Bool; var flags: [Flag] }
        struct Model {
            var query, unit: String; var count: Int
            var statuses: [Option]; var rightHeads: [RightHead]; var users: [Row]
        }
        let statuses = [("", t("ทุกสถานะ"))] + ["pending", "active", "disabled", "rejected"].map { ($0, t(statusLabel[$0] ?? $0)) }
        return Views.page("users", title: "จัดการผู้ใช้", session: session, Model(
            query: filter["q"] ?? "", unit: filter["unit"] ?? "", count: users.count,
            statuses: statuses.map { Option(value: $0.0, label: $0.1, selected: filter["status"] == $0.0) },
            rightHeads: rights.map { RightHead(flag: $0.flag, label: t($0.label)) },
            users: users.enumerated().map { i, u in
                Row(number: i + 1, id: u.id, fullName: u.fullNameTh, username: u.username, position: u.position,
                    unit: "\(u.unitCode) \(u.unitNameTh)", mobile: u.mobile, status: t(statusLabel[u.status] ?? u.status),
                    duplicate: !u.sameNationalId.isEmpty, flags: rights.map { r in Flag(on: u.rights.contains(r.key)) })
            }))
    }

    static func user(_ u: AccountView, audit: [AuditView], workgroups: [WorkgroupView], session: SessionInfo,
                     message: String? = nil) -> Response {
        struct Workgroup { var id: Int; var name: String; var selected: Bool }
        struct RightBox { var key, flag, label: String; var granted: Bool }
        struct Change { var at, actor, field, oldValue, newValue: String }
        struct Model {
            var id, csrf, fullName, username, nationalId, nameEn, position, unitName, province, officePhone, mobile, email, status: String
            var unitCode: Int
            var statusReason, message, sameNationalId: String?
            var hasRegistrationForm, pending, active, disabled: Bool
            var workgroups: [Workgroup]; var rights: [RightBox]; var history: [Change]
        }
        return Views.page("user", title: u.fullNameTh, session: session, Model(
            id: u.id, csrf: session.csrf, fullName: u.fullNameTh, username: u.username, nationalId: u.nationalId,
            nameEn: u.firstNameEn + " " + u.lastNameEn, position: u.position, unitName: u.unitNameTh, province: u.province,
            officePhone: u.officePhone, mobile: u.mobile, email: u.email, status: t(statusLabel[u.status] ?? u.status),
            unitCode: u.unitCode, statusReason: u.statusReason, message: message.map(t),
            sameNationalId: u.sameNationalId.isEmpty ? nil : u.sameNationalId.joined(separator: ", "),
            hasRegistrationForm: u.hasRegistrationForm, pending: u.status == "pending", active: u.status == "active",
            disabled: u.status == "disabled",
            workgroups: workgroups.map { Workgroup(id: $0.id, name: $0.nameTh, selected: u.workgroupId == $0.id) },
            rights: rights.map { RightBox(key: $0.key, flag: $0.flag, label: t($0.label), granted: u.rights.contains($0.key)) },
            history: audit.map { Change(at: ThaiDate.dateTime($0.at), actor: $0.actor ?? t("ระบบ"), field: $0.field,
                                        oldValue: $0.oldValue ?? "", newValue: $0.newValue ?? "") }))
    }

    /// Unit administration: the units of the administrator's area (every area for the
    /// nation's), searched and paged; adding a unit, and for the nation's administrator an area
    /// office or a unit in any area.
    static func units(_ page: UnitPage, areas: [UnitView], session: SessionInfo, message: String? = nil, isError: Bool = false) -> Response {
        struct Message { var text: String; var isError: Bool }
        struct Row { var code: Int; var name, area: String; var active: Bool; var kinds: [Option] }
        struct Model {
            var csrf: String; var message: Message?; var search: UnitSearchForm; var pager: Pager
            var national: Bool; var newKinds: [Option]; var newAreas: [Option]; var units: [Row]
        }
        let national = session.user.areaCode == nil
        let areaName = Dictionary(uniqueKeysWithValues: areas.map { ($0.code, $0.nameTh) })
        func kinds(_ selected: String, _ allowed: [String]) -> [Option] {
            allowed.map { Option(value: $0, label: t(UnitPages.kindLabel[$0] ?? $0), selected: $0 == selected) }
        }
        return Views.page("units-admin", title: "จัดการหน่วยงาน", session: session, Model(
            csrf: session.csrf, message: message.map { Message(text: t($0), isError: isError) },
            search: UnitSearchForm(action: "/admin/units", query: page.query, areas: areas), pager: page.pager("/admin/units"),
            national: national, newKinds: kinds("school", national ? ["school", "other", "district"] : ["school", "other"]),
            newAreas: areas.map { Option(value: String($0.code), label: "\($0.code) \($0.nameTh)", selected: false) },
            units: page.units.map { u in
                Row(code: u.code, name: u.nameTh, area: u.areaCode.flatMap { areaName[$0] } ?? "", active: u.active,
                    kinds: ["school", "other"].contains(u.kind) ? kinds(u.kind, ["school", "other"]) : kinds(u.kind, [u.kind]))
            }))
    }

    struct RequestView: Decodable { var id: String; var username: String; var userId: String?; var reason: String; var note: String; var createdAt: Date }

    static func passwordRequests(_ list: [RequestView], session s: SessionInfo) -> Response {
        let label = Dictionary(uniqueKeysWithValues: PasswordPages.reasons)
        struct Row { var id, at, username, reason, note: String; var userId: String? }
        struct Model { var csrf: String; var requests: [Row] }
        return Views.page("password-requests", title: "คำขอเปลี่ยนรหัสผ่าน", session: s, Model(
            csrf: s.csrf,
            requests: list.map { Row(id: $0.id, at: ThaiDate.dateTime($0.createdAt), username: $0.username,
                                     reason: t(label[$0.reason] ?? $0.reason), note: $0.note, userId: $0.userId) }))
    }
}
