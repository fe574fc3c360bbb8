@preconcurrency import CRdKafka

/// librdkafka's built-in mock cluster on loopback: a broker that speaks the Kafka protocol,
/// for local runs and tests where no Apache Kafka runs. Keeps messages in memory only.
public final class KafkaMockCluster: @unchecked Sendable {
    private let rk: OpaquePointer
    private let cluster: OpaquePointer

    public init(brokers: Int32 = 1) throws {
        let conf = try makeConf(["log_level": "3"])
        rk = try newClient(RD_KAFKA_PRODUCER, conf)
        guard let c = rd_kafka_mock_cluster_new(rk, brokers) else {
            rd_kafka_destroy(rk)
            throw KafkaError(code: -1, message: "could not start the mock cluster")
        }
        cluster = c
    }

    /// "host:port,…" for `bootstrap.servers`.
    public var bootstrapServers: String { String(cString: rd_kafka_mock_cluster_bootstraps(cluster)) }

    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws {
        let err = rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err) }
    }

    public func shutdown() {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(rk)
    }
}
