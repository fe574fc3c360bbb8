/// Every Kafka topic of the system, in one place. One topic per producing service; the key of
/// every record is its aggregate id, so one aggregate's events stay in order on one partition.
public struct Topic: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let partitions: Int32
    public var description: String { name }

    public init(name: String, partitions: Int32) { self.name = name; self.partitions = partitions }
}

public enum Topics {
    public static let identity = Topic(name: "kpi.identity.v1", partitions: 12)
    public static let catalogue = Topic(name: "kpi.catalogue.v1", partitions: 12)
    public static let intake = Topic(name: "kpi.intake.v1", partitions: 12)
    public static let review = Topic(name: "kpi.review.v1", partitions: 12)
    public static let statistics = Topic(name: "kpi.statistics.v1", partitions: 12)
    /// Records no consumer could decode, with the error in the `kpi_dlq_*` headers.
    public static let deadLetter = Topic(name: "kpi.deadletter.v1", partitions: 3)

    public static let all: [Topic] = [identity, catalogue, intake, review, statistics, deadLetter]

    /// The topic a service publishes to.
    public static func owned(by service: String) -> Topic? {
        all.first { $0.name == "kpi.\(service).v1" }
    }
}
