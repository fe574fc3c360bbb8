import Foundation
import IdentityService
import KPIEvents
import KPIKafka
import KPIPostgres
@testable import KPIRuntime
import Logging
import Testing

/// Projections as values: batched consumption with a per-projection inbox, a handler that keeps
/// failing, and the rebuild of one projection while the others carry on.
extension IntegrationSuite {
@Suite struct ProjectionTests {
    let env = TestEnvironment.shared

    /// An event of the tests' own, on a topic of its own, so the services never see it.
    struct ProbeV1: DomainEvent {
        static let eventType = "th.kpi.test.probe.v1"
        static let topic = Topic(name: "kpi.test.probe.v1", partitions: 3)
        var code: Int
        var aggregateId: String { "probe-\(code)" }
    }

    func publishProbes(_ codes: [Int]) async throws {
        let producer = try KafkaProducer(settings: ["bootstrap.servers": env.brokers], log: { _ in })
        let records = try codes.map { code in
            let e = try EventEnvelope(ProbeV1(code: code), source: "/kpi/test", correlationId: nil)
            return KafkaRecord(topic: ProbeV1.topic.name, key: e.aggregateId, value: e.data,
                               headers: e.headers.map { KafkaHeader(key: $0.0, string: $0.1) })
        }
        for result in await producer.sendAll(records) { _ = try result.get() }
        await producer.close()
    }

    struct Refused: Error, CustomStringConvertible { var description: String { "this unit is refused by the test" } }

    @Test("a handler that keeps failing sends its event to the dead-letter topic after the maximum attempts; the rest of its batch is applied once")
    func failingHandlerDeadLetters() async throws {
        let base = Int.random(in: 0..<900) * 10
        let poison = base + 5
        let schema = try await ScratchSchema()
        try await schema.pool.execute("CREATE TABLE seen (code int NOT NULL)")
        let projection = Projection(name: "seen", migrations: nil, tables: ["seen"]) { handlers in
            handlers.on(ProbeV1.self) { events, tx in
                for e in events {
                    if e.event.code == poison { throw Refused() }
                    try await tx.execute("INSERT INTO seen (code) VALUES (\(e.event.code))")
                }
            }
        }
        try await Inbox.prepare([projection], database: schema.database)
        let config = try ServiceConfig(service: schema.name, environment: EnvironmentVariables(["KPI_KAFKA_BROKERS": env.brokers]))
        let producer = try KafkaProducer(settings: ["bootstrap.servers": env.brokers], log: { _ in })
        let consumer = EventConsumer(config: config, projections: [projection], database: schema.database, producer: producer,
                                     metrics: ServiceMetrics(), logger: Logger(label: "test.consumer"))
        try await publishProbes(Array(base..<(base + 10)))
        let running = Task { try await consumer.run() }
        try await eventually("the nine other units applied", timeout: .seconds(60)) {
            try await schema.int("SELECT count(*) FROM seen WHERE code BETWEEN \(base) AND \(base + 9)") == 9
        }
        let dead = try await readTopic(Topics.deadLetter.name) { seen in
            seen.contains { $0.key == "probe-\(poison)" && $0.header("kpi_dlq_group") == config.consumerGroup }
        }.filter { $0.header("kpi_dlq_group") == config.consumerGroup }
        running.cancel()
        _ = try? await running.value
        await producer.close()

        #expect(dead.map(\.key) == ["probe-\(poison)"])
        #expect(dead.first?.header("kpi_dlq_error")?.contains("refused by the test") == true)
        #expect(try await schema.int("SELECT count(*) FROM seen WHERE code = \(poison)") == 0)
        #expect(try await schema.int("SELECT max(n) FROM (SELECT count(*) AS n FROM seen GROUP BY code) x") == 1,
                "the batch that failed was rolled back; every other event applied once")
        #expect(try await schema.int("SELECT count(*) FROM inbox WHERE projection = 'seen'") == 9)
        try await schema.drop()
    }

    @Test("rebuilding one projection replays its events into it and leaves the other projections' inboxes alone")
    func rebuildOneProjection() async throws {
        let stats = ServiceProcess("statistics", port: 18085)
        let snapshot: @Sendable () async throws -> [String] = {
            try await TestEnvironment.admin.query("""
                SELECT 'totals ' || kind || '=' || units FROM statistics.unit_totals
                UNION ALL SELECT 'members ' || count(*) FROM statistics.unit_totals_members ORDER BY 1
                """).map { try $0.decode(String.self, at: 0) }
        }
        let directoryInbox = "SELECT count(*) FROM statistics.inbox WHERE projection = 'unit_directory'"
        try await withServices([ServiceProcess("identity", port: 18081), stats]) {
            // A fresh unit, so the history surely holds something statistics applied.
            try await UnitStore(db: env.identityDatabase()).create(OrgUnit(code: 5001, nameTh: "โรงเรียนสร้างใหม่", kind: .school, areaCode: 74))
            try await eventually("unit 5001 counted") {
                try await Admin.int("SELECT count(*) FROM statistics.unit_totals_members WHERE code = 5001") == 1
            }
            // And every unit event identity ever published, so nothing of earlier tests still
            // arrives while the snapshot is compared (statistics may start behind).
            try await eventually("statistics applied every unit event") {
                try await Admin.int("""
                    SELECT ((SELECT count(*) FROM identity.outbox WHERE event_type LIKE 'th.kpi.identity.unit.%')
                            = (SELECT count(*) FROM statistics.inbox WHERE projection = 'unit_directory'))::int
                    """) == 1
            }
            let before = try await snapshot()
            let directoryBefore = try await Admin.int(PostgresQuery(unsafeSQL: directoryInbox))
            // Damage the projection the way a bug would.
            try await TestEnvironment.admin.execute("UPDATE statistics.unit_totals SET units = units + 7")
            try await TestEnvironment.admin.execute("DELETE FROM statistics.unit_totals_members WHERE code <= 76")
            #expect(try await snapshot() != before)

            let result = try await stats.command(["rebuild", "unit_totals"])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("projection unit_totals rebuilt"))
            #expect(try await snapshot() == before)
            #expect(try await Admin.int(PostgresQuery(unsafeSQL: directoryInbox)) == directoryBefore)
            #expect(try await Admin.int("SELECT count(*) FROM statistics.projections WHERE rebuilding_since IS NOT NULL") == 0)
            // The live consumer applies new events to the rebuilt projection again.
            try await UnitStore(db: env.identityDatabase()).create(OrgUnit(code: 5002, nameTh: "โรงเรียนสร้างใหม่ 2", kind: .school, areaCode: 74))
            try await eventually("unit 5002 counted after the rebuild") {
                try await Admin.int("SELECT count(*) FROM statistics.unit_totals_members WHERE code = 5002") == 1
            }
        }
        let unknown = try await stats.command(["rebuild", "nothing"])
        #expect(unknown.status == 2 && unknown.output.contains("unit_directory, unit_totals"))
    }

    @Test("a projection new to a service that has consumed before is marked for replay until a rebuild fills it")
    func newProjectionNeedsReplay() async throws {
        let stats = ServiceProcess("statistics", port: 18085)
        try await withServices([ServiceProcess("identity", port: 18081), stats]) {
            try await eventually("statistics applied some event") { try await Admin.int("SELECT count(*)::int FROM statistics.inbox") > 0 }
        }
        // As if report_figures came with an update: this database has never heard of it.
        try await TestEnvironment.admin.execute("DELETE FROM statistics.projections WHERE name = 'report_figures'")
        let marked = "SELECT count(*)::int FROM statistics.projections WHERE name = 'report_figures' AND needs_replay"
        try await withServices([stats]) {
            #expect(try await Admin.int(PostgresQuery(unsafeSQL: marked)) == 1)
            let result = try await stats.command(["rebuild", "report_figures"])
            #expect(result.status == 0, "\(result.output)")
            #expect(try await Admin.int(PostgresQuery(unsafeSQL: marked)) == 0)
        }
        // A projection present from the first start is never marked.
        #expect(try await Admin.int("SELECT count(*)::int FROM statistics.projections WHERE needs_replay") == 0)
    }

    @Test("catalogue's seed fiscal years go out as events, like identity's seed units")
    func seedYearsAreEvents() async throws {
        try await withServices([ServiceProcess("catalogue", port: 18082)]) {
            let rows = try await TestEnvironment.admin.query("""
                SELECT aggregate_id FROM catalogue.outbox WHERE event_type = \(FiscalYearAddedV1.eventType)
                  AND aggregate_id IN ('year-2566', 'year-2567', 'year-2568') ORDER BY 1
                """).map { try $0.decode(String.self, at: 0) }
            #expect(rows == ["year-2566", "year-2567", "year-2568"])
            let records = try await readTopic(Topics.catalogue.name) { seen in
                Set(seen.compactMap(\.key)).isSuperset(of: ["year-2566", "year-2567", "year-2568"])
            }
            #expect(Set(records.compactMap(\.key)).isSuperset(of: ["year-2566", "year-2567", "year-2568"]))
        }
    }
}
}
