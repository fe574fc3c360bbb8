import Foundation
/// Events that the intake service publishes on `kpi.intake.v1`, keyed by report, so one
/// report's steps stay in order. Names of people stay in intake; events say who by user id.

/// The fields every report event carries: which report, of which indicator, round, unit, area
/// and year, and the report's version after the step.
public protocol ReportEvent: DomainEvent {
    var reportId: UUID { get }
    var indicatorId: UUID { get }
    var seq: Int { get }
    var unitCode: Int { get }
    var areaCode: Int { get }
    var yearBE: Int { get }
    var version: Int { get }
}

extension ReportEvent {
    public var aggregateId: String { "report-\(reportId.uuidString.lowercased())" }
}

/// A report's draft was saved (its self-assessment, the evidence descriptions).
public struct ReportSavedV1: ReportEvent, Equatable {
    public static let eventType = "th.kpi.intake.report.saved.v1"
    public static let topic = Topics.intake

    public var reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int
    public var selfScore: Double?
    public var by: String

    public init(reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int, selfScore: Double?, by: String) {
        self.reportId = reportId; self.indicatorId = indicatorId; self.seq = seq; self.unitCode = unitCode; self.areaCode = areaCode
        self.yearBE = yearBE; self.version = version; self.selfScore = selfScore; self.by = by
    }
}

/// A piece of evidence was put in a slot (replacing what was there).
public struct EvidenceAddedV1: ReportEvent, Equatable {
    public static let eventType = "th.kpi.intake.evidence.added.v1"
    public static let topic = Topics.intake

    public var reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int
    public var slot: Int
    public var description: String
    public var fileName: String
    public var contentKind: String
    public var size: Int64
    public var sha256: String
    public var by: String

    public init(reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int, slot: Int,
                description: String, fileName: String, contentKind: String, size: Int64, sha256: String, by: String) {
        self.reportId = reportId; self.indicatorId = indicatorId; self.seq = seq; self.unitCode = unitCode; self.areaCode = areaCode
        self.yearBE = yearBE; self.version = version; self.slot = slot; self.description = description; self.fileName = fileName
        self.contentKind = contentKind; self.size = size; self.sha256 = sha256; self.by = by
    }
}

/// A slot's evidence was removed.
public struct EvidenceRemovedV1: ReportEvent, Equatable {
    public static let eventType = "th.kpi.intake.evidence.removed.v1"
    public static let topic = Topics.intake

    public var reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int
    public var slot: Int
    public var by: String

    public init(reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int, slot: Int, by: String) {
        self.reportId = reportId; self.indicatorId = indicatorId; self.seq = seq; self.unitCode = unitCode; self.areaCode = areaCode
        self.yearBE = yearBE; self.version = version; self.slot = slot; self.by = by
    }
}

/// The school confirmed its report (ยืนยันผลตัวชี้วัด): it waits for review. `late` when
/// confirmed after the round's due date (Thailand's date).
public struct ReportConfirmedV1: ReportEvent, Equatable {
    public static let eventType = "th.kpi.intake.report.confirmed.v1"
    public static let topic = Topics.intake

    public var reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int
    public var selfScore: Double
    public var evidenceCount: Int
    public var late: Bool
    public var confirmedAt: Date
    public var by: String

    public init(reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int, selfScore: Double,
                evidenceCount: Int, late: Bool, confirmedAt: Date, by: String) {
        self.reportId = reportId; self.indicatorId = indicatorId; self.seq = seq; self.unitCode = unitCode; self.areaCode = areaCode
        self.yearBE = yearBE; self.version = version; self.selfScore = selfScore; self.evidenceCount = evidenceCount; self.late = late
        self.confirmedAt = confirmedAt; self.by = by
    }
}

/// The school cancelled its confirmation (ยกเลิกผลการยืนยัน): a draft again.
public struct ReportConfirmationCancelledV1: ReportEvent, Equatable {
    public static let eventType = "th.kpi.intake.report.confirmation-cancelled.v1"
    public static let topic = Topics.intake

    public var reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int
    public var by: String

    public init(reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int, by: String) {
        self.reportId = reportId; self.indicatorId = indicatorId; self.seq = seq; self.unitCode = unitCode; self.areaCode = areaCode
        self.yearBE = yearBE; self.version = version; self.by = by
    }
}
