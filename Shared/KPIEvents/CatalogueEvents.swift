import Foundation
/// Events that the catalogue service publishes on `kpi.catalogue.v1`.

/// A fiscal year (ปีงบประมาณ) was added, so indicators can be defined for it.
public struct FiscalYearAddedV1: DomainEvent, Equatable {
    public static let eventType = "th.kpi.catalogue.fiscal-year.added.v1"
    public static let topic = Topics.catalogue

    public var yearBE: Int
    public var startsOn: String
    public var endsOn: String

    public init(yearBE: Int, startsOn: String, endsOn: String) {
        self.yearBE = yearBE; self.startsOn = startsOn; self.endsOn = endsOn
    }

    public var aggregateId: String { "year-\(yearBE)" }
}

/// An indicator's whole definition, as `IndicatorDefinedV1` and `IndicatorChangedV1` carry it,
/// so that intake, review and statistics keep their own copy with one handler for both.
public protocol IndicatorStateEvent: DomainEvent {
    var indicatorId: UUID { get }
    var yearBE: Int { get }
    var areaCode: Int { get }
    var number: String { get }
    var nameTh: String { get }
    var typeCode: String { get }
    var weight: Double { get }
    var workgroupId: Int? { get }
    var status: String { get }
    var roundMode: String { get }
    var rounds: [IndicatorRoundV1] { get }
    var version: Int { get }
    /// The scores the indicator's type accepts (nil in events written before it was carried).
    var scoring: ScoringV1? { get }
    /// What summaries group and colour by (nil in events written before it was carried).
    var labels: IndicatorLabelsV1? { get set }

    init(indicatorId: UUID, yearBE: Int, areaCode: Int, number: String, nameTh: String, typeCode: String, weight: Double,
         workgroupId: Int?, status: String, roundMode: String, rounds: [IndicatorRoundV1], version: Int, scoring: ScoringV1?)
}

/// The scores an indicator's type accepts, so that intake (self-assessment) and review (the
/// review score) check them without asking catalogue.
public struct ScoringV1: Codable, Sendable, Equatable {
    public var scoreMin: Double
    public var scoreMax: Double
    public var wholeNumbers: Bool

    public init(scoreMin: Double, scoreMax: Double, wholeNumbers: Bool) {
        self.scoreMin = scoreMin; self.scoreMax = scoreMax; self.wholeNumbers = wholeNumbers
    }

    /// True when `score` is a valid score of this type.
    public func accepts(_ score: Double) -> Bool {
        score.isFinite && score >= scoreMin && score <= scoreMax && (!wholeNumbers || score.rounded() == score)
    }

    /// The rule in Thai, for a refused score.
    public var ruleTh: String {
        "คะแนนต้องอยู่ระหว่าง \(Self.text(scoreMin)) ถึง \(Self.text(scoreMax))" + (wholeNumbers ? " และเป็นจำนวนเต็ม" : "")
    }

    /// A score as people write it: 4, 3.5.
    public static func text(_ score: Double) -> String { score.rounded() == score ? String(Int(score)) : String(score) }
}

/// An indicator's type name, classification (D1–D4) and criteria (เกณฑ์, "[2] --> [3] --> [4]
/// --> [5]"), so that statistics groups, filters and colours its summaries without asking catalogue.
public struct IndicatorLabelsV1: Codable, Sendable, Equatable {
    public var typeNameTh: String
    public var d1: String, d2: String, d3: String, d4: String
    public var criteria: String

    public init(typeNameTh: String, d1: String, d2: String, d3: String, d4: String, criteria: String) {
        self.typeNameTh = typeNameTh; self.d1 = d1; self.d2 = d2; self.d3 = d3; self.d4 = d4; self.criteria = criteria
    }
}

/// One round of an indicator in an event: its order and label.
public struct IndicatorRoundV1: Codable, Sendable, Equatable {
    public var seq: Int
    public var labelTh: String
    public init(seq: Int, labelTh: String) { self.seq = seq; self.labelTh = labelTh }
}

/// A controller defined an indicator (กำหนดตัวชี้วัด).
public struct IndicatorDefinedV1: IndicatorStateEvent, Equatable {
    public static let eventType = "th.kpi.catalogue.indicator.defined.v1"
    public static let topic = Topics.catalogue

    public var indicatorId: UUID
    public var yearBE: Int
    public var areaCode: Int
    public var number: String
    public var nameTh: String
    public var typeCode: String
    public var weight: Double
    public var workgroupId: Int?
    public var status: String
    public var roundMode: String
    public var rounds: [IndicatorRoundV1]
    /// Increases with every change of the indicator (its status and rounds included).
    public var version: Int

    public var scoring: ScoringV1?
    public var labels: IndicatorLabelsV1?

    public init(indicatorId: UUID, yearBE: Int, areaCode: Int, number: String, nameTh: String, typeCode: String, weight: Double,
                workgroupId: Int?, status: String, roundMode: String, rounds: [IndicatorRoundV1], version: Int, scoring: ScoringV1?) {
        self.indicatorId = indicatorId; self.yearBE = yearBE; self.areaCode = areaCode; self.number = number; self.nameTh = nameTh
        self.typeCode = typeCode; self.weight = weight; self.workgroupId = workgroupId; self.status = status
        self.roundMode = roundMode; self.rounds = rounds; self.version = version; self.scoring = scoring
    }

    public var aggregateId: String { "indicator-\(indicatorId.uuidString.lowercased())" }
}

/// A controller changed an indicator (แก้ไขตัวชี้วัด). Carries the whole new definition.
public struct IndicatorChangedV1: IndicatorStateEvent, Equatable {
    public static let eventType = "th.kpi.catalogue.indicator.changed.v1"
    public static let topic = Topics.catalogue

    public var indicatorId: UUID
    public var yearBE: Int
    public var areaCode: Int
    public var number: String
    public var nameTh: String
    public var typeCode: String
    public var weight: Double
    public var workgroupId: Int?
    public var status: String
    public var roundMode: String
    public var rounds: [IndicatorRoundV1]
    public var version: Int

    public var scoring: ScoringV1?
    public var labels: IndicatorLabelsV1?

    public init(indicatorId: UUID, yearBE: Int, areaCode: Int, number: String, nameTh: String, typeCode: String, weight: Double,
                workgroupId: Int?, status: String, roundMode: String, rounds: [IndicatorRoundV1], version: Int, scoring: ScoringV1?) {
        self.indicatorId = indicatorId; self.yearBE = yearBE; self.areaCode = areaCode; self.number = number; self.nameTh = nameTh
        self.typeCode = typeCode; self.weight = weight; self.workgroupId = workgroupId; self.status = status
        self.roundMode = roundMode; self.rounds = rounds; self.version = version; self.scoring = scoring
    }

    public var aggregateId: String { "indicator-\(indicatorId.uuidString.lowercased())" }
}

/// An indicator's status changed: open, closed (visible, not accepting reports) or hidden.
public struct IndicatorStatusChangedV1: DomainEvent, Equatable {
    public static let eventType = "th.kpi.catalogue.indicator.status-changed.v1"
    public static let topic = Topics.catalogue

    public var indicatorId: UUID
    public var areaCode: Int
    public var status: String
    public var version: Int

    public init(indicatorId: UUID, areaCode: Int, status: String, version: Int) {
        self.indicatorId = indicatorId; self.areaCode = areaCode; self.status = status; self.version = version
    }

    public var aggregateId: String { "indicator-\(indicatorId.uuidString.lowercased())" }
}

/// A round was opened (it accepts reports) or closed.
public struct RoundStateChangedV1: DomainEvent, Equatable {
    public static let eventType = "th.kpi.catalogue.round.state-changed.v1"
    public static let topic = Topics.catalogue

    public var indicatorId: UUID
    public var areaCode: Int
    public var seq: Int
    /// "open" or "closed".
    public var state: String
    public var version: Int

    public init(indicatorId: UUID, areaCode: Int, seq: Int, state: String, version: Int) {
        self.indicatorId = indicatorId; self.areaCode = areaCode; self.seq = seq; self.state = state; self.version = version
    }

    public var aggregateId: String { "indicator-\(indicatorId.uuidString.lowercased())" }
}

/// Units were assigned to report in one round of an indicator (or removed from it).
public struct RoundUnitsChangedV1: DomainEvent, Equatable {
    public static let eventType = "th.kpi.catalogue.round.units-changed.v1"
    public static let topic = Topics.catalogue

    public var indicatorId: UUID
    public var areaCode: Int
    public var seq: Int
    /// Units that now report in the round.
    public var assigned: [Int]
    /// Units that no longer do.
    public var removed: [Int]
    public var version: Int

    public init(indicatorId: UUID, areaCode: Int, seq: Int, assigned: [Int], removed: [Int], version: Int) {
        self.indicatorId = indicatorId; self.areaCode = areaCode; self.seq = seq
        self.assigned = assigned; self.removed = removed; self.version = version
    }

    public var aggregateId: String { "indicator-\(indicatorId.uuidString.lowercased())" }
}

/// A round's dates were set: it opens on `opensOn`, reports are due on `dueOn`, and after
/// `cutoffOn` (Thailand's date) the round accepts no report but from units with an extension.
/// Dates are ISO days ("2024-03-31"); nil when not set.
public struct RoundDatesSetV1: DomainEvent, Equatable {
    public static let eventType = "th.kpi.catalogue.round.dates-set.v1"
    public static let topic = Topics.catalogue

    public var indicatorId: UUID
    public var areaCode: Int
    public var seq: Int
    public var opensOn: String?
    public var dueOn: String?
    public var cutoffOn: String?
    public var version: Int

    public init(indicatorId: UUID, areaCode: Int, seq: Int, opensOn: String?, dueOn: String?, cutoffOn: String?, version: Int) {
        self.indicatorId = indicatorId; self.areaCode = areaCode; self.seq = seq
        self.opensOn = opensOn; self.dueOn = dueOn; self.cutoffOn = cutoffOn; self.version = version
    }

    public var aggregateId: String { "indicator-\(indicatorId.uuidString.lowercased())" }
}

/// One unit may report in a round until `untilOn` (Thailand's date), after the cut-off. The
/// reason stays in catalogue; the event says who granted it by user id.
public struct RoundExtensionGrantedV1: DomainEvent, Equatable {
    public static let eventType = "th.kpi.catalogue.round.extension-granted.v1"
    public static let topic = Topics.catalogue

    public var indicatorId: UUID
    public var areaCode: Int
    public var seq: Int
    public var unitCode: Int
    public var untilOn: String
    public var grantedBy: String
    public var version: Int

    public init(indicatorId: UUID, areaCode: Int, seq: Int, unitCode: Int, untilOn: String, grantedBy: String, version: Int) {
        self.indicatorId = indicatorId; self.areaCode = areaCode; self.seq = seq; self.unitCode = unitCode
        self.untilOn = untilOn; self.grantedBy = grantedBy; self.version = version
    }

    public var aggregateId: String { "indicator-\(indicatorId.uuidString.lowercased())" }
}

/// An area office closed a fiscal year (nothing of its indicators changes any more) or opened
/// it again.
public struct AreaYearStateChangedV1: DomainEvent, Equatable {
    public static let eventType = "th.kpi.catalogue.area-year.state-changed.v1"
    public static let topic = Topics.catalogue

    public var yearBE: Int
    public var areaCode: Int
    /// "open" or "closed".
    public var state: String

    public init(yearBE: Int, areaCode: Int, state: String) { self.yearBE = yearBE; self.areaCode = areaCode; self.state = state }

    public var aggregateId: String { "year-\(yearBE)-area-\(areaCode)" }
}

/// A document was attached to an indicator (คำอธิบายตัวชี้วัด, เครื่องมือประเมินระดับคุณภาพ or
/// another file). The bytes stay in catalogue's file store; the event says what they are.
public struct IndicatorAttachmentAddedV1: DomainEvent, Equatable {
    public static let eventType = "th.kpi.catalogue.indicator.attachment-added.v1"
    public static let topic = Topics.catalogue

    public var indicatorId: UUID
    public var areaCode: Int
    public var attachmentId: UUID
    /// "description", "tool" or "other".
    public var slot: String
    public var fileName: String
    /// The kind the bytes were found to be (pdf, docx, …), not what the browser said.
    public var contentKind: String
    public var size: Int64
    public var sha256: String

    public init(indicatorId: UUID, areaCode: Int, attachmentId: UUID, slot: String, fileName: String, contentKind: String,
                size: Int64, sha256: String) {
        self.indicatorId = indicatorId; self.areaCode = areaCode; self.attachmentId = attachmentId; self.slot = slot
        self.fileName = fileName; self.contentKind = contentKind; self.size = size; self.sha256 = sha256
    }

    public var aggregateId: String { "indicator-\(indicatorId.uuidString.lowercased())" }
}

/// A document was taken off an indicator (the red bin).
public struct IndicatorAttachmentRemovedV1: DomainEvent, Equatable {
    public static let eventType = "th.kpi.catalogue.indicator.attachment-removed.v1"
    public static let topic = Topics.catalogue

    public var indicatorId: UUID
    public var areaCode: Int
    public var attachmentId: UUID

    public init(indicatorId: UUID, areaCode: Int, attachmentId: UUID) {
        self.indicatorId = indicatorId; self.areaCode = areaCode; self.attachmentId = attachmentId
    }

    public var aggregateId: String { "indicator-\(indicatorId.uuidString.lowercased())" }
}
