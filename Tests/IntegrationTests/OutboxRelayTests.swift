import Foundation
import KPIEvents
import KPIKafka
import KPIPostgres
@testable import KPIRuntime
import Logging
import Testing

/// The relay under partial failure, against librdkafka's mock cluster in this process (so a
/// test can take a partition's leader away): per-aggregate order, per-aggregate backoff, a
/// failure metric, and undeliverable rows set aside instead of retried forever.
extension IntegrationSuite {
@Suite struct OutboxRelayTests {
    /// A scratch outbox, a mock cluster with topics `up` and `down` (3 partitions each), and a
    /// relay whose producer gives up on a record after 1 s.
    struct Rig {
        let schema: ScratchSchema
        let cluster: KafkaMockCluster
        let producer: KafkaProducer
        let metrics = ServiceMetrics()
        let relay: OutboxRelay

        init() async throws {
            schema = try await ScratchSchema()
            cluster = try KafkaMockCluster()
            for t in ["relay.up", "relay.down"] { try cluster.createTopic(t, partitions: 3) }
            producer = try KafkaProducer(settings: ["bootstrap.servers": cluster.bootstrapServers, "message.timeout.ms": "1000",
                                                    "linger.ms": "1"], log: { _ in })
            relay = OutboxRelay(schema: schema.name, pool: schema.pool, producer: producer, metrics: metrics,
                                pollMs: 50, retentionDays: 30, logger: Logger(label: "test.relay"))
        }

        /// An outbox row as `Transaction.publish` writes it, its payload `{"n": n}`; `bytes` pads it.
        func insert(_ aggregate: String, _ n: Int, topic: String, bytes: Int = 0) async throws {
            let payload = "{\"n\":\(n),\"pad\":\"" + String(repeating: "x", count: bytes) + "\"}"
            try await schema.pool.execute("""
                INSERT INTO outbox (event_id, topic, aggregate_id, event_type, payload)
                VALUES (\(UUID()), \(topic), \(aggregate), 'th.kpi.test.v1', \(payload)::jsonb)
                """)
        }

        /// (aggregate, attempts, published, dead) of every row, in id order.
        func rows() async throws -> [(String, Int, Bool, Bool)] {
            try await schema.pool.query("""
                SELECT aggregate_id, attempts, published_at IS NOT NULL, dead_at IS NOT NULL FROM outbox ORDER BY id
                """).decode((String, Int, Bool, Bool).self)
        }

        /// "key:n" of everything on `topic`, partition by partition in offset order.
        func keys(on topic: String) async throws -> [String] {
            let consumer = try KafkaConsumer(settings: ["bootstrap.servers": cluster.bootstrapServers, "group.id": "t-\(UUID())"],
                                             topics: [topic], log: { _ in })
            let ends = try await consumer.watermarks(topics: [topic: 3])[topic]!
            let total = ends.values.reduce(0) { $0 + $1.count }
            var seen: [KafkaMessage] = []
            let deadline = ContinuousClock.now + .seconds(20)
            while seen.count < total, ContinuousClock.now < deadline {
                for case .message(let m) in await consumer.pollBatch(max: 100) { seen.append(m) }
            }
            await consumer.close()
            struct N: Decodable { var n: Int }
            return seen.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }.map { m in
                "\(m.key ?? ""):\((try? JSONDecoder().decode(N.self, from: Data(m.value)).n) ?? -1)"
            }
        }

        func close() async throws {
            await producer.close()
            cluster.shutdown()
            try await schema.drop()
        }
    }

    @Test("a record the broker can never take is set aside as dead, once; the later rows of its aggregate follow it")
    func oversizedRecordIsDead() async throws {
        let rig = try await Rig()
        try await rig.insert("agg-a", 1, topic: "relay.up", bytes: 1_200_000)  // over message.max.bytes
        try await rig.insert("agg-a", 2, topic: "relay.up")
        try await rig.insert("agg-b", 1, topic: "relay.up")
        for _ in 0..<4 { _ = try await rig.relay.relayBatch() }

        let rows = try await rig.rows()
        #expect(rows.map(\.0) == ["agg-a", "agg-a", "agg-b"])
        #expect(rows[0].1 == 1 && !rows[0].2 && rows[0].3, "the oversized row is tried once and set aside")
        #expect(rows[1].2 && rows[2].2, "the rows after it are published")
        #expect(try await rig.schema.int("SELECT count(*) FROM outbox WHERE last_error LIKE '%too large%'") == 1)
        // Each deliverable row is on the topic exactly once: nothing is sent again on later polls.
        #expect(try await rig.keys(on: "relay.up").sorted() == ["agg-a:2", "agg-b:1"])
        #expect(rig.metrics.render().contains("kpi_outbox_send_failures_total{topic=\"relay.up\",kind=\"permanent\"} 1"))
        #expect(rig.metrics.render().contains("kpi_outbox_dead 1"))
        // After the cause is fixed, an operator can send it again.
        #expect(try await OutboxRelay.requeueDead(pool: rig.schema.pool) == 1)
        #expect(try await rig.schema.int("SELECT count(*) FROM outbox WHERE dead_at IS NULL AND published_at IS NULL") == 1)
        try await rig.close()
    }

    @Test("a produce request the broker refuses for good (injected with rd_kafka_mock_push_request_errors) sets its row aside; the rest are published once")
    func injectedPermanentError() async throws {
        let rig = try await Rig()
        rig.cluster.failNextProduceRequests([87])  // RD_KAFKA_RESP_ERR_INVALID_RECORD: no retry can help
        try await rig.insert("agg-a", 1, topic: "relay.up")
        for _ in 0..<3 { _ = try await rig.relay.relayBatch() }
        try await rig.insert("agg-a", 2, topic: "relay.up")
        try await rig.insert("agg-b", 1, topic: "relay.up")
        for _ in 0..<3 { _ = try await rig.relay.relayBatch() }
        let rows = try await rig.rows()
        #expect(rows.count == 3 && rows[0].3 && !rows[0].2 && rows[0].1 == 1, "the refused row is tried once and set aside")
        #expect(rows[1].2 && rows[2].2, "the rows after it are published")
        #expect(try await rig.keys(on: "relay.up").sorted() == ["agg-a:2", "agg-b:1"])
        #expect(rig.metrics.render().contains("kpi_outbox_send_failures_total{topic=\"relay.up\",kind=\"permanent\"} 1"))
        try await rig.close()
    }

    @Test("a partition without a leader: its aggregate waits with backoff, later rows are not sent before earlier ones, other aggregates flow")
    func leaderlessPartition() async throws {
        let rig = try await Rig()
        for p: Int32 in 0..<3 { try rig.cluster.setLeader(topic: "relay.down", partition: p, broker: -1) }
        try await rig.insert("agg-c", 1, topic: "relay.down")
        try await rig.insert("agg-c", 2, topic: "relay.down")
        try await rig.insert("agg-d", 1, topic: "relay.up")
        #expect(try await rig.relay.relayBatch() == 1)
        var rows = try await rig.rows()
        #expect(rows[0].1 == 1 && !rows[0].2, "agg-c's first row failed once")
        #expect(rows[1].1 == 0 && !rows[1].2, "agg-c's second row was never sent while the first is unsent")
        #expect(rows[2].2, "agg-d is not held up by agg-c")
        // Within the backoff nothing of agg-c is tried again.
        #expect(try await rig.relay.relayBatch() == 0)
        #expect(try await rig.rows()[0].1 == 1)
        #expect(try await rig.schema.int("SELECT count(*) FROM outbox WHERE next_attempt_at > clock_timestamp()") == 1)

        for p: Int32 in 0..<3 { try rig.cluster.setLeader(topic: "relay.down", partition: p, broker: 1) }
        try await eventually("agg-c delivered once the partition has a leader again") {
            _ = try await rig.relay.relayBatch()
            return try await rig.rows().allSatisfy(\.2)
        }
        rows = try await rig.rows()
        #expect(!rows.contains { $0.3 }, "a transient failure never sets a row aside")
        #expect(try await rig.keys(on: "relay.down") == ["agg-c:1", "agg-c:2"], "agg-c's rows are on the topic once each, in order")
        #expect(rig.metrics.render().contains("kpi_outbox_send_failures_total{topic=\"relay.down\",kind=\"transient\"}"))
        try await rig.close()
    }

    @Test("closing the producer with sends in flight fails their waiters instead of leaving them waiting")
    func producerCloseWithSendsInFlight() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("relay.down", partitions: 1)
        try cluster.setLeader(topic: "relay.down", partition: 0, broker: -1)
        let producer = try KafkaProducer(settings: ["bootstrap.servers": cluster.bootstrapServers], log: { _ in })
        let records = (0..<20).map { KafkaRecord(topic: "relay.down", key: "k\($0)", value: Array("v".utf8)) }
        async let results = producer.sendAll(records)
        try await Task.sleep(for: .milliseconds(300))
        await producer.close(timeoutMs: 200)
        let done = await results
        #expect(done.count == 20)
        #expect(done.allSatisfy { if case .failure = $0 { return true } else { return false } })
        // A send after close fails at once.
        let late = await producer.sendAll([records[0]])
        #expect(late.count == 1 && (try? late[0].get()) == nil)
        cluster.shutdown()
    }
}
}
