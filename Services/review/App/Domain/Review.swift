import Foundation
import KPIEvents
import KPIRuntime

/// What review knows of an indicator for deciding who may see and score its reports (from its
/// copy of catalogue's events).
struct IndicatorScope: Sendable {
    var id: UUID, number: String, nameTh: String, yearBE: Int, areaCode: Int, workgroupId: Int?
    var scoring: ScoringV1?
    var yearClosed: Bool

    /// Reviewers score their workgroup's indicators in their own area; an administrator any of
    /// the area's; an indicator without a workgroup, any reviewer of the area.
    func mayReview(_ actor: Actor) -> Bool {
        guard actor.has(.review), actor.reaches(area: areaCode) else { return false }
        return workgroupId == nil || actor.workgroupId == workgroupId || actor.has(.administer)
    }

    /// The unit's own people, those who see other units' reports in the area, and its reviewers.
    func mayRead(_ actor: Actor, unit: Int) -> Bool {
        guard actor.reaches(area: areaCode) else { return false }
        return actor.unitCode == unit || actor.has(.seeAllUnits) || mayReview(actor)
    }
}

/// The last review of a report: a score, or a return for revision with its comment. It
/// `stands` while the report is still confirmed at the version it was given for (a return,
/// while the school has not changed the report since).
public struct LastReview: Codable, Sendable, Equatable {
    public var state: String
    public var stands: Bool
    public var score: Double?
    public var comment: String
    public var reportVersion: Int
    public var reviewerName: String
    public var at: Date
}

/// One step of review's part of a report's history (B4).
public struct ReviewHistoryEntry: Codable, Sendable, Equatable {
    public var at: Date
    public var action: String
    public var detail: String
    public var actorName: String
}

/// A slot whose file other units of the same indicator sent too, and which units (reviewers only).
public struct CopiedEvidence: Codable, Sendable, Equatable {
    public var slot: Int
    public var units: [String]
}

/// A report as review sees it: intake's last word on it, the standing review, the history, and
/// what the asking user may do. `reportState` is "none" before the unit has saved anything.
public struct ReviewRecord: Codable, Sendable {
    public var reportId: UUID?
    public var reportState: String
    public var version: Int
    public var review: LastReview?
    public var history: [ReviewHistoryEntry]
    public var copied: [CopiedEvidence]
    public var changedAfterReview: Bool
    public var canReview: Bool
    public var scoring: ScoringV1?
}

/// A line of the reviewer's queue.
public struct QueueItem: Codable, Sendable, Equatable {
    public var reportId: UUID
    public var indicatorId: UUID
    public var number: String
    public var nameTh: String
    public var seq: Int
    public var roundLabelTh: String
    public var unitCode: Int
    public var unitNameTh: String
    public var selfScore: Double?
    public var evidenceCount: Int
    public var late: Bool
    public var confirmedAt: Date?
    public var version: Int
    public var copied: Bool
    public var changedAfterReview: Bool
    public var reviewState: String?
    public var score: Double?
}
