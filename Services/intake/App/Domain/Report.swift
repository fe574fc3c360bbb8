import Foundation
import KPIEvents

/// Where a report stands: a draft the school edits, confirmed (waiting for review), reviewed.
public enum ReportState: String, Codable, Sendable {
    case draft, confirmed, reviewed
}

/// What intake knows of a round for one unit, from its copy of catalogue's events: enough for
/// the report page's header and for deciding whether the unit may report now.
public struct RoundContext: Codable, Sendable {
    public var indicatorId: UUID
    public var number: String
    public var nameTh: String
    public var typeCode: String
    public var yearBE: Int
    public var areaCode: Int
    public var workgroupId: Int?
    public var status: String
    public var scoring: ScoringV1?
    public var seq: Int
    public var roundLabelTh: String
    public var roundState: String
    public var dueOn: String?
    public var cutoffOn: String?
    public var unitCode: Int
    public var unitNameTh: String
    public var assigned: Bool
    public var extendedUntil: String?
    public var yearClosed: Bool
    /// Thailand's date today, as the database sees it.
    public var today: String

    /// The indicator is Open, the round open, the unit assigned, the year not closed, and the
    /// cut-off not passed (or the unit's extension not passed).
    public var acceptsReports: Bool {
        guard status == "open", roundState == "open", assigned, !yearClosed else { return false }
        if let cutoffOn, today > cutoffOn { return extendedUntil.map { today <= $0 } ?? false }
        return true
    }

    /// Confirmed after the due date.
    public var late: Bool { dueOn.map { today > $0 } ?? false }
}

/// One piece of evidence: the file and what it shows.
public struct Evidence: Codable, Sendable, Equatable {
    public var slot: Int
    public var description: String
    public var fileName: String
    public var contentKind: String
    public var size: Int64
    public var sha256: String
    /// "ผู้ส่งไฟล์ : …"
    public var addedByName: String
    public var addedAt: Date
}

/// One step of a report's history (B4).
public struct HistoryEntry: Codable, Sendable, Equatable {
    public var at: Date
    public var action: String
    public var detail: String
    public var actorName: String
}

/// A report as its page shows it: the round's header, the report (or an empty draft when the
/// unit has not saved one), its evidence and history, and what the asking user may do.
public struct ReportView: Codable, Sendable {
    public var context: RoundContext
    public var id: UUID?
    public var state: ReportState
    public var selfScore: Double?
    public var version: Int
    public var late: Bool
    public var confirmedAt: Date?
    public var evidence: [Evidence]
    public var history: [HistoryEntry]
    /// The asking user may change it now (report right, own unit, the round accepting reports).
    public var canWrite: Bool
}

/// What the indicator list needs per round for the user's unit: whether "รายงาน" shows, and
/// how far its report has come.
public struct RoundReportState: Codable, Sendable, Equatable {
    public var indicatorId: UUID
    public var seq: Int
    public var canReport: Bool
    public var state: ReportState?
    public var selfScore: Double?
}
