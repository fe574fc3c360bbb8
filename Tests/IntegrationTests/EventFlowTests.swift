import Foundation
import IdentityService
import KPIEvents
import KPIKafka
import KPIPostgres
import KPIRuntime
import Testing

/// The backbone's promises, on real PostgreSQL, the broker and service processes. One suite,
/// run in order, because the tests share the cluster and the broker.
extension IntegrationSuite {
@Suite struct EventFlowTests {
    let env = TestEnvironment.shared

    func identity() -> ServiceProcess { ServiceProcess("identity", port: 18081) }
    func catalogue() -> ServiceProcess { ServiceProcess("catalogue", port: 18082) }
    func statistics() -> ServiceProcess { ServiceProcess("statistics", port: 18085) }

    func schools() async throws -> Int {
        try await Admin.int("SELECT COALESCE(sum(units), 0)::int FROM statistics.unit_totals WHERE kind = 'school'")
    }

    func makeUnit(_ code: Int) -> OrgUnit {
        OrgUnit(code: code, nameTh: "โรงเรียนทดสอบ \(code)", kind: .school, areaCode: 74)
    }

    @Test("1. an event from identity's outbox reaches catalogue's and statistics' inbox and effect exactly once")
    func exactlyOnce() async throws {
        try await withServices([identity(), catalogue(), statistics()]) {
            // First start loads the nation and the 34 seed units through the same path.
            try await eventually("seed units projected") {
                let inCatalogue = try await Admin.int("SELECT count(*) FROM catalogue.unit_directory WHERE code <= 76")
                let inStatistics = try await Admin.int("SELECT count(*) FROM statistics.unit_directory WHERE code <= 76")
                // unit_totals is its own projection, applied in its own transaction, and earlier tests'
                // unit changes may still be on their way: count only once it has every unit's last version.
                let behind = try await Admin.int("""
                    SELECT count(*) FROM identity.units u LEFT JOIN statistics.unit_totals_members m USING (code)
                    WHERE m.version IS DISTINCT FROM u.version
                    """)
                return inCatalogue == 35 && inStatistics == 35 && behind == 0
            }
            let schoolsBefore = try await schools()
            try await UnitStore(db: env.identityDatabase()).create(makeUnit(1001))
            let eventId = try #require(try await TestEnvironment.admin.query(
                "SELECT event_id FROM identity.outbox WHERE aggregate_id = 'unit-1001'").first?.decode(UUID.self, at: 0))
            try await eventually("unit 1001 in both projections") {
                let inCatalogue = try await Admin.int("SELECT count(*) FROM catalogue.unit_directory WHERE code = 1001")
                let inStatistics = try await Admin.int("SELECT count(*) FROM statistics.unit_directory WHERE code = 1001")
                let inTotals = try await Admin.int("SELECT count(*) FROM statistics.unit_totals_members WHERE code = 1001")
                return inCatalogue == 1 && inStatistics == 1 && inTotals == 1
            }
            // Each projection records the event in its own inbox: catalogue has one, statistics two.
            let recorded = try await TestEnvironment.admin.query("""
                SELECT 'catalogue.' || projection FROM catalogue.inbox WHERE event_id = \(eventId)
                UNION ALL SELECT 'statistics.' || projection FROM statistics.inbox WHERE event_id = \(eventId) ORDER BY 1
                """).map { try $0.decode(String.self, at: 0) }
            #expect(recorded == ["catalogue.unit_directory", "statistics.unit_directory", "statistics.unit_totals"])
            #expect(try await schools() == schoolsBefore + 1)
            #expect(try await Admin.int("SELECT count(*) FROM identity.outbox WHERE aggregate_id = 'unit-1001' AND published_at IS NOT NULL") == 1)
            let name = try await TestEnvironment.admin.query("SELECT name_th FROM catalogue.unit_directory WHERE code = 1001").first?.decode(String.self, at: 0)
            #expect(name == "โรงเรียนทดสอบ 1001")
        }
    }

    @Test("2. re-delivery of every event (consumer group reset to earliest) changes nothing")
    func redeliveryChangesNothing() async throws {
        let snapshot: @Sendable () async throws -> [String] = {
            try await TestEnvironment.admin.query("""
                SELECT 'totals', area_code || ':' || kind || '=' || units FROM statistics.unit_totals
                UNION ALL SELECT 'dir', code || ':' || version FROM statistics.unit_directory
                UNION ALL SELECT 'inbox', count(*)::text FROM statistics.inbox
                UNION ALL SELECT 'cat', count(*)::text FROM catalogue.unit_directory ORDER BY 1, 2
                """).map { "\(try $0.decode(String.self, at: 0)) \(try $0.decode(String.self, at: 1))" }
        }
        let before = try await snapshot()
        let published = try await Admin.int("SELECT count(*) FROM identity.outbox WHERE published_at IS NOT NULL")
        #expect(published >= 35)
        for group in ["kpi.statistics", "kpi.catalogue"] {
            try await KafkaAdmin.resetGroupToEarliest(bootstrap: env.brokers, group: group,
                                                      topic: Topics.identity.name, partitions: Topics.identity.partitions)
        }
        let stats = statistics()
        try await withServices([catalogue(), stats]) {
            try await eventually("statistics re-read all \(published) events as duplicates") {
                (try await stats.metric("kpi_events_consumed_total{topic=\"kpi.identity.v1\",result=\"duplicate\"}") ?? 0) >= Double(published)
            }
        }
        #expect(try await snapshot() == before)
    }

    @Test("3. kill -9 of a consuming service mid-stream, then restart: nothing lost, nothing applied twice")
    func killNineMidStream() async throws {
        let count = 3000
        let schoolsBefore = try await schools()
        let applied: @Sendable () async throws -> Int = {
            try await Admin.int("SELECT count(*) FROM statistics.inbox WHERE projection = 'unit_totals'")
        }
        let inboxBefore = try await applied()
        let stats = statistics()
        try await withServices([identity(), stats]) {
            // One transaction per 500 units, as an administrator's bulk import would do.
            let db = env.identityDatabase()
            for batch in stride(from: 0, to: count, by: 500) {
                try await db.transaction { tx in
                    for code in (10_000 + batch)..<(10_000 + batch + 500) {
                        try await UnitStore(db: db).insert(makeUnit(code), tx: tx)
                    }
                }
            }
            try await eventually("statistics is part-way through", timeout: .seconds(60), poll: .milliseconds(10)) {
                try await applied() - inboxBefore > 150
            }
            await stats.kill9()
            let appliedBeforeKill = try await applied() - inboxBefore
            #expect(appliedBeforeKill < count, "the kill came after everything was applied; the test proves nothing")
            try await stats.start()
            try await eventually("all \(count) events applied after restart", timeout: .seconds(90)) {
                try await applied() - inboxBefore == count
            }
        }
        #expect(try await schools() == schoolsBefore + count)
        #expect(try await Admin.int("SELECT count(*) FROM statistics.unit_directory WHERE code BETWEEN 10000 AND 12999") == count)
        #expect(try await Admin.int("SELECT count(*) FROM statistics.unit_directory WHERE code BETWEEN 10000 AND 12999 AND version <> 1") == 0)
    }

    @Test("4. a rolled-back transaction leaves no outbox row and no Kafka record")
    func rollbackLeavesNothing() async throws {
        struct Abort: Error {}
        let db = env.identityDatabase()
        await #expect(throws: Abort.self) {
            try await db.transaction { tx in
                try await UnitStore(db: db).insert(makeUnit(2001), tx: tx)
                throw Abort()
            }
        }
        #expect(try await Admin.int("SELECT count(*) FROM identity.outbox WHERE aggregate_id = 'unit-2001'") == 0)
        #expect(try await Admin.int("SELECT count(*) FROM identity.units WHERE code = 2001") == 0)
        try await withServices([identity()]) {
            // A committed marker after it: once the marker is on the topic, the relay has passed.
            try await UnitStore(db: db).create(makeUnit(2002))
            let records = try await readTopic(Topics.identity.name) { seen in seen.contains { $0.key == "unit-2002" } }
            #expect(records.contains { $0.key == "unit-2002" })
            #expect(!records.contains { $0.key == "unit-2001" })
        }
    }

    @Test("5. a poison message goes to the dead-letter topic and consumption continues")
    func poisonToDeadLetter() async throws {
        let producer = try KafkaProducer(settings: ["bootstrap.servers": env.brokers], log: { _ in })
        let headers = [("ce_specversion", "1.0"), ("ce_id", UUID().uuidString), ("ce_source", "/kpi/identity"),
                       ("ce_type", UnitCreatedV1.eventType), ("ce_time", "2026-11-25T10:00:00Z")]
        _ = try await producer.send(KafkaRecord(topic: Topics.identity.name, key: "unit-poison", value: Array("{not json".utf8),
                                                headers: headers.map { KafkaHeader(key: $0.0, string: $0.1) }))
        _ = try await producer.send(KafkaRecord(topic: Topics.identity.name, key: "unit-noheaders", value: Array("{}".utf8)))
        await producer.close()
        try await withServices([identity(), statistics()]) {
            try await UnitStore(db: env.identityDatabase()).create(makeUnit(3001))
            try await eventually("unit 3001 applied after the poison") {
                try await Admin.int("SELECT count(*) FROM statistics.unit_directory WHERE code = 3001") == 1
            }
        }
        let dead = try await readTopic(Topics.deadLetter.name) { seen in
            seen.filter { $0.header("kpi_dlq_group") == "kpi.statistics" }.count >= 2
        }.filter { $0.header("kpi_dlq_group") == "kpi.statistics" }
        let poison = try #require(dead.first { $0.key == "unit-poison" })
        #expect(poison.value == Array("{not json".utf8))
        #expect(poison.header("kpi_dlq_topic") == Topics.identity.name)
        #expect(poison.header("kpi_dlq_error")?.contains("does not decode") == true)
        #expect(dead.contains { $0.key == "unit-noheaders" && $0.header("kpi_dlq_error")?.contains("missing header") == true })
    }

    @Test("6. one service's role cannot read another's schema")
    func rolesAreConfined() async throws {
        // The services create their schemas at start: start them here rather than count on
        // an earlier test having done it.
        try await withServices([identity(), catalogue(), statistics()]) {}
        let identityPool = env.pool(as: "identity")
        #expect(try await identityPool.query("SELECT count(*) FROM identity.units").first?.decode(Int.self, at: 0) ?? 0 >= 35)
        for (role, foreign) in [("identity", "catalogue.unit_directory"), ("catalogue", "identity.units"),
                                ("statistics", "catalogue.inbox"), ("review", "statistics.unit_totals")] {
            let pool = env.pool(as: role)
            do {
                _ = try await pool.query(PostgresQuery(unsafeSQL: "SELECT * FROM \(foreign) LIMIT 1"))
                Issue.record("\(role) read \(foreign)")
            } catch let error as PostgresError {
                #expect(error.sqlState == "42501", "\(role) on \(foreign): \(error)")
            }
            await pool.close()
        }
        await identityPool.close()
    }
}
}
