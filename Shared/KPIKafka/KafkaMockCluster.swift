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

    /// Makes `partition` leaderless (`broker` -1) or gives it back a leader: produce requests
    /// for it wait and then time out, the way they do while a real broker fails over.
    public func setLeader(topic: String, partition: Int32, broker: Int32) throws {
        let err = rd_kafka_mock_partition_set_leader(cluster, topic, partition, broker)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err) }
    }

    /// The next `errors.count` produce requests fail with these error codes, in order.
    public func failNextProduceRequests(_ errors: [Int32]) {
        let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        codes.withUnsafeBufferPointer { rd_kafka_mock_push_request_errors_array(cluster, 0, codes.count, $0.baseAddress) }
    }

    public func shutdown() {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(rk)
    }
}
