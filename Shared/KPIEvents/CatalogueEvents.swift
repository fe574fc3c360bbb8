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
