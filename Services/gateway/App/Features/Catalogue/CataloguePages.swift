import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime

/// An indicator as catalogue's API returns it.
struct IndicatorView: Decodable, Sendable {
    struct Form: Decodable, Sendable {
        var number, nameTh, details, typeCode: String
        var weight: Double
        var d1, d2, d3, d4: String
        var workgroupId: Int?
        var assessmentNote, criteria, status, roundMode: String
    }
    struct Round: Decodable, Sendable {
        var seq: Int
        var labelTh: String
        var state: String
        var assigned: Int
        var opensOn: String?
        var dueOn: String?
        var cutoffOn: String?
        var acceptsReports: Bool
    }
    struct Attachment: Decodable, Sendable {
        var id: String
        var slot: String
        var fileName: String
        var size: Int64
        var addedAt: Date
    }
    var id: String
    var yearBE: Int
    var areaCode: Int
    var form: Form
    var typeNameTh: String
    var version: Int
    var rounds: [Round]
    var attachments: [Attachment]
}

struct ExtensionView: Decodable, Sendable {
    var unitCode: Int
    var unitNameTh: String
    var untilOn: String
    var reason: String
    var grantedBy: String
    var grantedAt: Date
}

struct AssignedView: Decodable, Sendable {
    var code: Int
    var nameTh: String
    var reported: Bool
}

struct CandidateView: Decodable, Sendable {
    var code: Int
    var nameTh: String
    var kind: String
    var assigned: Bool
}

/// The gear page's searches: the area's units (`q`, `kind`, `page`) and the assigned (`apage`).
struct GearQuery: Sendable {
    static let pageSize = 50
    var text: String
    var kind: String
    var page: Int
    var assignedPage: Int

    var candidateQuery: String {
        var c = URLComponents()
        c.queryItems = [URLQueryItem(name: "offset", value: String((page - 1) * Self.pageSize)), URLQueryItem(name: "limit", value: String(Self.pageSize))]
            + (text.isEmpty ? [] : [URLQueryItem(name: "q", value: text)]) + (kind.isEmpty ? [] : [URLQueryItem(name: "kind", value: kind)])
        return c.percentEncodedQuery ?? ""
    }

    /// This page with another page of one of its lists.
    func link(_ base: String, page: Int? = nil, assignedPage: Int? = nil) -> String {
        var c = URLComponents()
        c.queryItems = (text.isEmpty ? [] : [URLQueryItem(name: "q", value: text)]) + (kind.isEmpty ? [] : [URLQueryItem(name: "kind", value: kind)])
            + [URLQueryItem(name: "page", value: String(page ?? self.page)), URLQueryItem(name: "apage", value: String(assignedPage ?? self.assignedPage))]
        return base + "?" + (c.percentEncodedQuery ?? "")
    }

    func pager(_ base: String, total: Int, assigned: Bool) -> Pager {
        let current = assigned ? assignedPage : page
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        func to(_ p: Int) -> String { assigned ? link(base, assignedPage: p) : link(base, page: p) }
        return Pager(page: current, pages: pages, total: total, previous: current > 1 ? to(current - 1) : nil,
                     next: current < pages ? to(current + 1) : nil)
    }
}

struct IndicatorTypeView: Decodable, Sendable {
    var code: String
    var nameTh: String
}

/// The define/edit form as catalogue takes it, from the page's fields.
struct IndicatorFormBody: Encodable {
    var number, nameTh, details, typeCode: String
    var weight: Double
    var d1, d2, d3, d4: String
    var workgroupId: Int?
    var assessmentNote, criteria, status, roundMode: String

    static let textFields = ["number", "nameTh", "details", "d1", "d2", "d3", "d4", "assessmentNote", "criteria"]

    init(_ f: [String: String]) {
        number = f["number"] ?? ""; nameTh = f["nameTh"] ?? ""; details = f["details"] ?? ""; typeCode = f["typeCode"] ?? ""
        // A weight that is not a number is sent as 0, which catalogue refuses with its message.
        weight = Double((f["weight"] ?? "").replacingOccurrences(of: ",", with: ".")) ?? 0
        d1 = f["d1"] ?? ""; d2 = f["d2"] ?? ""; d3 = f["d3"] ?? ""; d4 = f["d4"] ?? ""
        workgroupId = Int(f["workgroupId"] ?? "")
        assessmentNote = f["assessmentNote"] ?? ""; criteria = f["criteria"] ?? ""
        status = ["open", "closed", "hidden"].first { $0 == f["status"] } ?? "open"
        roundMode = f["roundMode"] ?? ""
    }

    /// The page fields of a stored indicator.
    static func values(of i: IndicatorView) -> [String: String] {
        ["number": i.form.number, "nameTh": i.form.nameTh, "details": i.form.details, "typeCode": i.form.typeCode,
         "weight": CataloguePages.weightText(i.form.weight), "d1": i.form.d1, "d2": i.form.d2, "d3": i.form.d3, "d4": i.form.d4,
         "workgroupId": i.form.workgroupId.map(String.init) ?? "", "assessmentNote": i.form.assessmentNote, "criteria": i.form.criteria,
         "status": i.form.status, "roundMode": i.form.roundMode]
    }
}

/// รายการตัวชี้วัด แยกตามประเภท, the define/edit form, and closing a round: the view models of
/// Templates/*.mustache.
enum CataloguePages {
    static let statusLabel = ["open": "Open", "closed": "Close", "hidden": "ปิดการมองเห็น"]
    static let roundStateLabel = ["not_opened": "ยังไม่เปิด", "open": "เปิด", "closed": "ปิด"]
    static let modes = [("monthly", "รายเดือน"), ("quarterly", "รายไตรมาส"), ("half_year", "รายครึ่งปี"), ("once", "1 ครั้ง")]

    /// nil for empty text, so that a template's `{{#x}}` leaves it out.
    static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

    static func weightText(_ w: Double) -> String { w.rounded() == w ? String(Int(w)) : String(w) }


    /// Indicators a list page shows: a page stays under 100 KB at a phone's speed.
    static let pageSize = 20

    static func list(_ indicators: [IndicatorView], workgroups: [WorkgroupView], areas: [UnitView], area: Int?, filter: [String: String],
                     page: Int = 1, reports: [RoundReportJSON] = [], figures: [RoundFigures] = [], session s: SessionInfo) -> Response {
        let groupName = Dictionary(uniqueKeysWithValues: workgroups.map { ($0.id, $0.nameTh) })
        struct RoundLine {
            var seq: Int; var label, state: String; var open, opened: Bool; var counters: String; var timeliness: String?
            var reportHref, reportState: String?
        }
        let roundFigures = Dictionary(figures.map { ("\($0.indicatorId.uuidString.lowercased())-\($0.seq)", $0) }, uniquingKeysWith: { a, _ in a })
        let unitReports = Dictionary(reports.map { ("\($0.indicatorId.lowercased())-\($0.seq)", $0) }, uniquingKeysWith: { a, _ in a })
        struct Row {
            var number: Int; var id, shortId, code, name, typeName, status: String; var details, criteria, owner, note: String?
            var statusClass: String; var rounds: [RoundLine]; var documents: [Document]; var documentCount: Int
        }
        struct Group { var typeName: String; var rows: [Row] }
        struct Model {
            var yearBE: Int; var csrf: String; var controller, roundsRight: Bool; var areaParam: String
            var d1, d2, d3, d4: String; var workgroups: [Option]; var areas: [Option]; var national: Bool
            var groups: [Group]; var empty: Bool; var pager: Pager?; var live: String
        }
        func matches(_ i: IndicatorView) -> Bool {
            for (key, value) in [("d1", i.form.d1), ("d2", i.form.d2), ("d3", i.form.d3), ("d4", i.form.d4)] {
                if let wanted = filter[key], !wanted.isEmpty, !value.localizedCaseInsensitiveContains(wanted) { return false }
            }
            if let wanted = filter["workgroup"].flatMap({ Int($0) }), i.form.workgroupId != wanted { return false }
            return true
        }
        var groups: [Group] = []
        let shown = indicators.filter(matches)
        let pages = max(1, (shown.count + pageSize - 1) / pageSize), current = min(max(1, page), pages)
        var counter = (current - 1) * pageSize
        for i in shown.dropFirst((current - 1) * pageSize).prefix(pageSize) {
            counter += 1
            let row = Row(
                number: counter, id: i.id, shortId: String(i.id.prefix(8)), code: i.form.number, name: i.form.nameTh,
                typeName: i.typeNameTh, status: t(statusLabel[i.form.status] ?? i.form.status),
                details: nonEmpty(i.form.details), criteria: nonEmpty(i.form.criteria), owner: i.form.workgroupId.flatMap { groupName[$0] },
                note: nonEmpty(i.form.assessmentNote), statusClass: i.form.status,
                rounds: i.rounds.map { r in
                    // ยื่น/ตรวจ/ทั้งหมด and the averages are statistics' figures; until it has counted a
                    // round, catalogue's count of assigned units.
                    let mine = unitReports["\(i.id.lowercased())-\(r.seq)"]
                    let counted = roundFigures["\(i.id.lowercased())-\(r.seq)"]
                    return RoundLine(seq: r.seq, label: r.labelTh, state: t(roundStateLabel[r.state] ?? r.state), open: r.state == "open",
                                     opened: r.state != "not_opened",
                                     counters: counted?.counters ?? "[0/0/\(r.assigned)] --- [-, -]",
                                     timeliness: counted.flatMap { $0.sent > 0 ? t("ตรงเวลา") + " \($0.onTime) · " + t("ล่าช้า") + " \($0.late)" : nil },
                                     reportHref: mine.flatMap { $0.canReport || $0.state != nil ? "/reports/\(i.id.lowercased())/\(r.seq)" : nil },
                                     reportState: mine?.state.flatMap { ReportPages.stateLabel[$0] }.map(t))
                },
                documents: documents(i), documentCount: i.attachments.count)
            if groups.last?.typeName == i.typeNameTh { groups[groups.count - 1].rows.append(row) }
            else { groups.append(Group(typeName: i.typeNameTh, rows: [row])) }
        }
        return Views.page("indicators", title: "รายการตัวชี้วัด", session: s, Model(
            yearBE: s.yearBE ?? 0, csrf: s.csrf, controller: s.has(.defineIndicators), roundsRight: s.has(.openRounds),
            areaParam: area.map { "?area=\($0)" } ?? "",
            d1: filter["d1"] ?? "", d2: filter["d2"] ?? "", d3: filter["d3"] ?? "", d4: filter["d4"] ?? "",
            workgroups: workgroups.map { Option(value: String($0.id), label: $0.nameTh, selected: filter["workgroup"] == String($0.id)) },
            areas: areas.map { Option(value: String($0.code), label: "\($0.code) \($0.nameTh)", selected: $0.code == area) },
            national: s.user.areaCode == nil, groups: groups, empty: groups.isEmpty,
            pager: pages > 1 ? Pager(page: current, pages: pages, total: shown.count,
                                     previous: current > 1 ? listLink(area, filter, page: current - 1) : nil,
                                     next: current < pages ? listLink(area, filter, page: current + 1) : nil) : nil,
            live: LiveFigures.url(year: s.yearBE ?? 0, area: area ?? s.user.areaCode)))
    }

    /// The list with the same area and filters on another page.
    static func listLink(_ area: Int?, _ filter: [String: String], page: Int) -> String {
        var c = URLComponents()
        c.queryItems = (area.map { [URLQueryItem(name: "area", value: String($0))] } ?? [])
            + filter.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            + [URLQueryItem(name: "page", value: String(page))]
        return "/indicators?" + (c.percentEncodedQuery ?? "")
    }

    static func form(_ indicator: IndicatorView?, values: [String: String], errors: [String: String], types: [IndicatorTypeView],
                     workgroups: [WorkgroupView], areas: [UnitView], area: Int?, session s: SessionInfo,
                     status: HTTPResponse.Status = .ok) -> Response {
        struct Field { var key, label, value: String; var error: String?; var long: Bool }
        struct Model {
            var csrf, action, heading: String; var yearBE: Int; var hasErrors: Bool; var errors: [String: String]
            var fields: [Field]; var weight: String; var types, workgroups, modes, statuses, areas: [Option]
            var chooseArea: Bool; var fixedArea: Option?; var modeLocked: Bool; var filesLink: String?
        }
        // The nation's staff define for an area: the one they came from, or one they choose.
        let national = indicator == nil && s.user.areaCode == nil
        let cameFrom = areas.first { $0.code == area }
        let labels: [(String, String, Bool)] = [("number", "เลขตัวชี้วัด", false), ("nameTh", "ชื่อตัวชี้วัด", true),
                                                ("details", "รายละเอียดตัวชี้วัด", true), ("d1", "D1", false), ("d2", "D2", false),
                                                ("d3", "D3", false), ("d4", "D4", false),
                                                ("assessmentNote", "เดือนที่ประเมิน / หมายเหตุ", false),
                                                ("criteria", "เกณฑ์ (เช่น [2] --> [3] --> [4] --> [5])", false)]
        let heading = indicator == nil ? "กำหนดตัวชี้วัด" : "แก้ไขตัวชี้วัด"
        return Views.page("indicator-form", title: heading, session: s, status: status, Model(
            csrf: s.csrf, action: indicator.map { "/indicators/\($0.id)/edit" } ?? "/indicators/new", heading: t(heading),
            yearBE: indicator?.yearBE ?? s.yearBE ?? 0, hasErrors: !errors.isEmpty, errors: errors,
            fields: labels.map { Field(key: $0.0, label: t($0.1), value: values[$0.0] ?? "", error: errors[$0.0], long: $0.2) },
            weight: values["weight"] ?? "",
            types: types.map { Option(value: $0.code, label: $0.nameTh, selected: values["typeCode"] == $0.code) },
            workgroups: workgroups.map { Option(value: String($0.id), label: $0.nameTh, selected: values["workgroupId"] == String($0.id)) },
            modes: modes.map { Option(value: $0.0, label: t($0.1), selected: (values["roundMode"] ?? "half_year") == $0.0) },
            statuses: ["open", "closed", "hidden"].map { Option(value: $0, label: t(statusLabel[$0] ?? $0), selected: (values["status"] ?? "open") == $0) },
            areas: areas.map { Option(value: String($0.code), label: "\($0.code) \($0.nameTh)", selected: $0.code == (Int(values["areaCode"] ?? "") ?? area)) },
            chooseArea: national && cameFrom == nil,
            fixedArea: national ? cameFrom.map { Option(value: String($0.code), label: "\($0.code) \($0.nameTh)", selected: true) } : nil,
            modeLocked: indicator?.rounds.contains { $0.state != "not_opened" } ?? false,
            filesLink: indicator.map { "/indicators/\($0.id)/files" }))
    }

    static func gear(_ i: IndicatorView, round: IndicatorView.Round, query: GearQuery, assigned: (items: [AssignedView], total: Int),
                     candidates: (items: [CandidateView], total: Int), extensions: [ExtensionView], message: (String, Bool)?,
                     errors: [String: String] = [:], session s: SessionInfo) -> Response {
        struct Message { var text: String; var isError: Bool }
        struct Granted { var unit, until, reason, by, at: String }
        struct Dates { var opensOn, dueOn, cutoffOn: String; var shown: String?; var closedByDate: Bool }
        struct Unit { var code: Int; var name: String; var reported: Bool }
        struct Choice { var code: Int; var name, kind: String; var assigned: Bool }
        struct Model {
            var csrf, id, number, name, round, action, query, kind: String; var seq, assignedTotal, areaCode: Int
            var message: Message?; var assigned: [Unit]; var candidates: [Choice]; var kinds: [Option]
            var assignedPager, candidatePager: Pager
            var dates: Dates; var errors: [String: String]; var extensions: [Granted]
        }
        let shown = [("เปิด", round.opensOn), ("ครบกำหนด", round.dueOn), ("ปิดรับ", round.cutoffOn)]
            .compactMap { label, day in day.map { t(label) + " " + ThaiDate.day($0) } }.joined(separator: " · ")
        let base = "/indicators/\(i.id)/rounds/\(round.seq)/units"
        return Views.page("round-units", title: "กำหนดการรายงานของช่วง", session: s, Model(
            csrf: s.csrf, id: i.id, number: i.form.number, name: i.form.nameTh, round: round.labelTh, action: base,
            query: query.text, kind: query.kind, seq: round.seq, assignedTotal: assigned.total, areaCode: i.areaCode,
            message: message.map { Message(text: t($0.0), isError: $0.1) },
            assigned: assigned.items.map { Unit(code: $0.code, name: $0.nameTh, reported: $0.reported) },
            candidates: candidates.items.map { Choice(code: $0.code, name: $0.nameTh, kind: t(UnitPages.kindLabel[$0.kind] ?? $0.kind), assigned: $0.assigned) },
            kinds: [("school", "โรงเรียน"), ("other", "หน่วยงานอื่น")].map { Option(value: $0.0, label: t($0.1), selected: query.kind == $0.0) },
            assignedPager: query.pager(base, total: assigned.total, assigned: true),
            candidatePager: query.pager(base, total: candidates.total, assigned: false),
            dates: Dates(opensOn: round.opensOn ?? "", dueOn: round.dueOn ?? "", cutoffOn: round.cutoffOn ?? "", shown: nonEmpty(shown),
                         closedByDate: round.state == "open" && !round.acceptsReports),
            errors: errors,
            extensions: extensions.map { Granted(unit: "\($0.unitCode) \($0.unitNameTh)", until: ThaiDate.day($0.untilOn), reason: $0.reason,
                                                by: $0.grantedBy, at: ThaiDate.dateTime($0.grantedAt)) }))
    }

    /// A document as a link: its slot's name for the description and tool, else its file name.
    struct Document { var id, indicatorId, label, fileName, size: String; var slot: String }

    static func documents(_ i: IndicatorView) -> [Document] {
        let order = ["description": 0, "tool": 1]
        return i.attachments.sorted { (order[$0.slot] ?? 2) < (order[$1.slot] ?? 2) }.map { a in
            Document(id: a.id, indicatorId: i.id, label: a.slot == "other" ? a.fileName : t(slotLabel[a.slot] ?? a.slot), fileName: a.fileName,
                     size: sizeText(a.size), slot: a.slot)
        }
    }

    static let slotLabel = ["description": "คำอธิบายตัวชี้วัด", "tool": "เครื่องมือประเมินระดับคุณภาพ", "other": "เอกสารอื่น"]

    /// "2.4 MB", "310 KB", "12 B".
    static func sizeText(_ bytes: Int64) -> String {
        if bytes >= 1024 * 1024 { return String(format: "%.1f MB", Double(bytes) / 1024 / 1024) }
        if bytes >= 1024 { return "\(bytes / 1024) KB" }
        return "\(bytes) B"
    }

    /// เอกสารประกอบ of one indicator: each slot's file as a download link with its red bin, and
    /// an upload form where a slot has room (for those with the files right).
    static func files(_ i: IndicatorView, message: (String, Bool)?, maxBytes: Int64, session s: SessionInfo,
                      status: HTTPResponse.Status = .ok) -> Response {
        struct Message { var text: String; var isError: Bool }
        struct Slot { var slot, label: String; var files: [Document]; var room: Bool; var note: String? }
        struct Model {
            var csrf, id, number, name: String; var manage: Bool; var message: Message?; var slots: [Slot]; var maxMB: Int64
        }
        let docs = documents(i)
        let others = docs.filter { $0.slot == "other" }
        let slots = [
            Slot(slot: "description", label: t("คำอธิบายตัวชี้วัด"), files: docs.filter { $0.slot == "description" },
                 room: !docs.contains { $0.slot == "description" }, note: nil),
            Slot(slot: "tool", label: t("เครื่องมือประเมินระดับคุณภาพ"), files: docs.filter { $0.slot == "tool" },
                 room: !docs.contains { $0.slot == "tool" }, note: nil),
            Slot(slot: "other", label: t("เอกสารอื่น"), files: others, room: others.count < 11, note: "\(others.count)/11"),
        ]
        return Views.page("indicator-files", title: "เอกสารประกอบ", session: s, status: status, Model(
            csrf: s.csrf, id: i.id, number: i.form.number, name: i.form.nameTh, manage: s.has(.manageFiles),
            message: message.map { Message(text: t($0.0), isError: $0.1) }, slots: slots, maxMB: maxBytes / 1024 / 1024))
    }

    static func confirmClose(_ i: IndicatorView, round: IndicatorView.Round, session s: SessionInfo) -> Response {
        struct Model { var csrf, id, number, name, round: String; var seq: Int }
        return Views.page("round-close", title: "ปิดรอบ", session: s,
                          Model(csrf: s.csrf, id: i.id, number: i.form.number, name: i.form.nameTh, round: round.labelTh, seq: round.seq))
    }
}
