import Foundation
import KPIEvents

/// How an indicator's rounds are made (ลักษณะการเปิดใช้งาน), with the manual's labels.
public enum RoundMode: String, Codable, Sendable, CaseIterable {
    case monthly, quarterly, halfYear = "half_year", once

    /// The rounds' labels in order: 12 months October to September, four quarters, the
    /// 6- and 12-month rounds, or one.
    public var labels: [String] {
        switch self {
        case .monthly: ["ตุลาคม", "พฤศจิกายน", "ธันวาคม", "มกราคม", "กุมภาพันธ์", "มีนาคม",
                        "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน"]
        case .quarterly: ["ไตรมาสที่ 1", "ไตรมาสที่ 2", "ไตรมาสที่ 3", "ไตรมาสที่ 4"]
        case .halfYear: ["รอบ 6 เดือน", "รอบ 12 เดือน"]
        case .once: ["เก็บ 1 ครั้ง"]
        }
    }

    public var labelTh: String {
        switch self {
        case .monthly: "รายเดือน"
        case .quarterly: "รายไตรมาส"
        case .halfYear: "รายครึ่งปี"
        case .once: "1 ครั้ง"
        }
    }
}

/// สถานะตัวชี้วัด: open (visible, accepting reports), closed (visible, not accepting) or hidden
/// ("ปิดการมองเห็น", not visible).
public enum IndicatorStatus: String, Codable, Sendable, CaseIterable {
    case open, closed, hidden
}

/// What a controller fills in on "กำหนดตัวชี้วัด" / "แก้ไขตัวชี้วัด".
public struct IndicatorForm: Codable, Sendable {
    public var number: String
    public var nameTh: String
    public var details: String
    public var typeCode: String
    public var weight: Double
    public var d1: String
    public var d2: String
    public var d3: String
    public var d4: String
    public var workgroupId: Int?
    public var assessmentNote: String
    public var criteria: String
    public var status: IndicatorStatus
    public var roundMode: RoundMode

    public init(number: String, nameTh: String, details: String = "", typeCode: String, weight: Double, d1: String = "", d2: String = "",
                d3: String = "", d4: String = "", workgroupId: Int? = nil, assessmentNote: String = "", criteria: String = "",
                status: IndicatorStatus = .open, roundMode: RoundMode) {
        self.number = number; self.nameTh = nameTh; self.details = details; self.typeCode = typeCode; self.weight = weight
        self.d1 = d1; self.d2 = d2; self.d3 = d3; self.d4 = d4; self.workgroupId = workgroupId
        self.assessmentNote = assessmentNote; self.criteria = criteria; self.status = status; self.roundMode = roundMode
    }

    /// Trimmed text, and field → Thai message for everything that is not acceptable (the
    /// type's existence and the number's uniqueness are checked against the database).
    public func checked() -> (form: IndicatorForm, problems: [String: String]) {
        var f = self
        var p: [String: String] = [:]
        func trim(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
        f.number = trim(number); f.nameTh = trim(nameTh); f.details = trim(details)
        f.d1 = trim(d1); f.d2 = trim(d2); f.d3 = trim(d3); f.d4 = trim(d4)
        f.assessmentNote = trim(assessmentNote); f.criteria = trim(criteria)
        if f.number.isEmpty { p["number"] = "กรุณากรอกเลขตัวชี้วัด" }
        else if f.number.count > 20 || !f.number.allSatisfy({ $0.isNumber || $0 == "." || $0.isLetter || $0 == "-" }) {
            p["number"] = "เลขตัวชี้วัดใช้ตัวเลข ตัวอักษร จุด และขีด ไม่เกิน 20 ตัว"
        }
        if f.nameTh.isEmpty { p["nameTh"] = "กรุณากรอกชื่อตัวชี้วัด" } else if f.nameTh.count > 500 { p["nameTh"] = "ชื่อตัวชี้วัดยาวเกิน 500 ตัวอักษร" }
        if f.details.count > 5000 { p["details"] = "รายละเอียดยาวเกิน 5,000 ตัวอักษร" }
        if !(weight > 0 && weight <= 100) || weight.isNaN { p["weight"] = "ค่า ratio ต้องมากกว่า 0 และไม่เกิน 100" }
        for (key, value) in [("d1", f.d1), ("d2", f.d2), ("d3", f.d3), ("d4", f.d4)] where value.count > 100 {
            p[key] = "ยาวเกิน 100 ตัวอักษร"
        }
        if f.assessmentNote.count > 200 { p["assessmentNote"] = "ยาวเกิน 200 ตัวอักษร" }
        if f.criteria.count > 200 { p["criteria"] = "ยาวเกิน 200 ตัวอักษร" }
        return (f, p)
    }
}

/// A round as the catalogue keeps it.
public struct Round: Codable, Sendable, Equatable {
    public var seq: Int
    public var labelTh: String
    public var state: String
    public var opensOn: String?
    public var dueOn: String?
    public var cutoffOn: String?
    /// How many units report in it ("ทั้งหมด" of the list's counters).
    public var assigned: Int
    /// Open, and its cut-off (Thailand's date) not passed: it takes reports from every
    /// assigned unit; after the cut-off only from units with an extension.
    public var acceptsReports: Bool
}

/// An extension: one unit may report in a round until `untilOn`.
public struct Extension: Codable, Sendable, Equatable {
    public var unitCode: Int
    public var unitNameTh: String
    public var untilOn: String
    public var reason: String
    public var grantedBy: String
    public var grantedAt: Date
}

/// An indicator as the list and the edit form show it.
public struct Indicator: Codable, Sendable {
    public var id: UUID
    public var yearBE: Int
    public var areaCode: Int
    public var form: IndicatorForm
    public var typeNameTh: String
    public var version: Int
    public var rounds: [Round]
    /// Its documents (เอกสารประกอบ), oldest first.
    public var attachments: [Attachment] = []
    /// The scores its type accepts.
    public var scoring: ScoringV1
}

/// Where a document sits on an indicator: its description, its assessment tool, or one of up to
/// 11 other files.
public enum AttachmentSlot: String, Codable, Sendable, CaseIterable {
    case description, tool, other

    public var labelTh: String {
        switch self {
        case .description: "คำอธิบายตัวชี้วัด"
        case .tool: "เครื่องมือประเมินระดับคุณภาพ"
        case .other: "เอกสารอื่น"
        }
    }
}

/// A document of an indicator, as its page lists it (a download link and a red bin).
public struct Attachment: Codable, Sendable, Equatable {
    public var id: UUID
    public var slot: AttachmentSlot
    public var fileName: String
    public var contentKind: String
    public var size: Int64
    /// The SHA-256 of its bytes, which a download is checked against.
    public var sha256: String
    public var addedAt: Date
}
