import Foundation
/// Events that the statistics service publishes on `kpi.statistics.v1`, keyed by area office.
/// They carry no person: identity, which knows who reports for a unit and who reviews in an
/// area, turns them into notices and e-mails.

/// What a reminder is about (B3): a round due soon or overdue and not sent, a report returned
/// for revision, or reports waiting for review (`count` of them, no indicator).
public struct ReminderItemV1: Codable, Sendable, Equatable {
    /// "due_soon", "overdue", "returned" or "waiting".
    public var kind: String
    public var indicatorId: UUID?
    public var seq: Int?
    public var number: String
    public var nameTh: String
    public var roundLabelTh: String
    /// yyyy-MM-dd.
    public var dueOn: String?
    public var count: Int?

    public init(kind: String, indicatorId: UUID?, seq: Int?, number: String, nameTh: String, roundLabelTh: String, dueOn: String?, count: Int?) {
        self.kind = kind; self.indicatorId = indicatorId; self.seq = seq; self.number = number; self.nameTh = nameTh
        self.roundLabelTh = roundLabelTh; self.dueOn = dueOn; self.count = count
    }
}

/// Statistics' reminder schedule found something to tell (B3): the reporters of `unitCode`
/// (audience "reporters"), or the reviewers of the area and `workgroupId` (audience
/// "reviewers"; nil: indicators of no workgroup, so every reviewer of the area). Each item is
/// reminded once per step of the schedule; `reminderId` lets a consumer apply it once.
public struct RemindersIssuedV1: DomainEvent, Equatable {
    public static let eventType = "th.kpi.statistics.reminders.issued.v1"
    public static let topic = Topics.statistics

    public var reminderId: UUID
    public var yearBE: Int
    public var areaCode: Int
    public var audience: String
    public var unitCode: Int?
    public var workgroupId: Int?
    public var items: [ReminderItemV1]
    public var issuedAt: Date

    public init(reminderId: UUID, yearBE: Int, areaCode: Int, audience: String, unitCode: Int?, workgroupId: Int?, items: [ReminderItemV1],
                issuedAt: Date) {
        self.reminderId = reminderId; self.yearBE = yearBE; self.areaCode = areaCode; self.audience = audience; self.unitCode = unitCode
        self.workgroupId = workgroupId; self.items = items; self.issuedAt = issuedAt
    }

    public var aggregateId: String { "area-\(areaCode)" }
}
