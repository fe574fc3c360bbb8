import Foundation
import IdentityService
import KPIEvents
import KPIPostgres
import KPIRuntime
import Logging
import Testing

/// Migrations, health, metrics, correlation, graceful stop and the gateway path, against real
/// processes.
extension IntegrationSuite {
@Suite struct RuntimeTests {
    let env = TestEnvironment.shared

    @Test("two instances migrating one schema at once apply each migration once")
    func concurrentMigrations() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "CREATE TABLE t1 (id int PRIMARY KEY);".write(to: folder.appendingPathComponent("001_t1.sql"), atomically: true, encoding: .utf8)
        try "INSERT INTO t1 VALUES (1);".write(to: folder.appendingPathComponent("002_seed.sql"), atomically: true, encoding: .utf8)
        let schema = "migtest_\(Int.random(in: 1000...9999))"
        let migrator = try Migrator(schema: schema, folders: [folder])
        let logger = Logger(label: "test")
        async let a = migrator.run(on: PostgresPool(config: TestEnvironment.admin.config), logger: logger)
        async let b = migrator.run(on: PostgresPool(config: TestEnvironment.admin.config), logger: logger)
        let (ra, rb) = try await (a, b)
        #expect((ra + rb).sorted() == ["001_t1", "002_seed"])
        #expect(try await Admin.int(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(schema).t1")) == 1)
        #expect(try await migrator.run(on: TestEnvironment.admin, logger: logger).isEmpty)
        try await TestEnvironment.admin.execute(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
    }

    @Test("health, readiness and Prometheus metrics on a domain service")
    func healthAndMetrics() async throws {
        let identity = ServiceProcess("identity", port: 18091)
        try await withServices([identity]) {
            let ready = try await httpGet("\(identity.baseURL)/health/ready")
            #expect(ready.status == 200)
            #expect(ready.body.contains("\"broker\":true") && ready.body.contains("\"database\":true"))
            #expect(try await httpGet("\(identity.baseURL)/health/live").status == 200)
            _ = try await httpGet("\(identity.baseURL)/units")
            // Request counts are recorded once the response is written, so poll briefly.
            try await eventually("/units counted in hb_requests") {
                (try await identity.metric("hb_requests{http_route=\"/units\",http_request_method=\"GET\",http_response_status_code=\"200\"}") ?? 0) >= 1
            }
            #expect(try await identity.metric("kpi_outbox_backlog") == 0)
            #expect(try await httpGet("\(identity.baseURL)/metrics").status == 404, "metrics only on the internal listener")
            // Refusals are counted with the status sent, not as 500.
            _ = try await httpGet("\(identity.baseURL)/units/abc")
            try await eventually("the 400 counted as 400") {
                (try await identity.metric("hb_requests{http_route=\"/units/{code}\",http_request_method=\"GET\",http_response_status_code=\"400\"}") ?? 0) >= 1
            }
        }
    }

    @Test("/health/ready reports the database down while the service's role cannot connect, and ready again after")
    func readinessReportsDatabase() async throws {
        let catalogue = ServiceProcess("catalogue", port: 18092)
        try await withServices([catalogue]) {
            #expect(try await httpGet("\(catalogue.baseURL)/health/ready").status == 200)
            // The role may no longer log in, and its open connections are cut.
            try await TestEnvironment.admin.execute("ALTER ROLE catalogue NOLOGIN")
            try await TestEnvironment.admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'catalogue'")
            do {
                try await eventually("readiness reports the database down") {
                    let ready = try await httpGet("\(catalogue.baseURL)/health/ready")
                    return ready.status == 503 && ready.body.contains("\"database\":false")
                }
                #expect(try await httpGet("\(catalogue.baseURL)/health/live").status == 200, "alive, only not ready")
            } catch {
                Issue.record(error)
            }
            try await TestEnvironment.admin.execute("ALTER ROLE catalogue LOGIN")
            try await eventually("ready again once the database is back") {
                try await httpGet("\(catalogue.baseURL)/health/ready").status == 200
            }
        }
    }

    @Test("a request that announces a large body and then sends nothing is closed after the idle timeout")
    func stalledBodyIsClosed() async throws {
        let identity = ServiceProcess("identity", port: 18093, environment: ["KPI_HTTP_IDLE_TIMEOUT_S": "2"])
        try await withServices([identity]) {
            let closedAfter = try await stalledRequest(port: 18093, seconds: 20)
            #expect(closedAfter != nil, "the connection was still open after 20 s")
            #expect((closedAfter ?? .seconds(99)) < .seconds(10))
        }
    }

    @Test("a correlation id travels from the request into events and the consumer's log lines")
    func correlationTravels() async throws {
        let stats = ServiceProcess("statistics", port: 18095)
        let id = "corr" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        try await withServices([ServiceProcess("identity", port: 18091), stats]) {
            try await Correlation.$id.withValue(id) {
                try await UnitStore(db: env.identityDatabase()).create(OrgUnit(code: 4001, nameTh: "หน่วยทดสอบ", kind: .other, areaCode: 74))
            }
            #expect(try await Admin.int("SELECT count(*) FROM identity.outbox WHERE correlation_id = \(id)") == 1)
            try await eventually("statistics logged the event with the correlation id") {
                stats.logText().split(separator: "\n").contains { $0.contains(id) && $0.contains("event consumed") }
            }
        }
    }

    @Test("SIGTERM stops a consuming service cleanly: offsets committed, exit status 0")
    func gracefulStop() async throws {
        let stats = try await ServiceProcess("statistics", port: 18095).start()
        let status = await stats.stop()
        #expect(status == 0)
        #expect(stats.logText().contains("consumer closed; stored offsets committed"))
        #expect(stats.logText().contains("\"msg\":\"stopped\""))
    }

    @Test("the gateway forwards /api/v1/units to identity and shows the units page")
    func gatewayPath() async throws {
        let identity = ServiceProcess("identity", port: 18091)
        let gateway = ServiceProcess("gateway", port: 18090, environment: [
            "KPI_IDENTITY_URL": "http://127.0.0.1:18091", "KPI_CATALOGUE_URL": "http://127.0.0.1:18091",
            "KPI_INTAKE_URL": "http://127.0.0.1:18091", "KPI_REVIEW_URL": "http://127.0.0.1:18091",
            "KPI_STATISTICS_URL": "http://127.0.0.1:18091"])
        try await withServices([identity, gateway]) {
            let api = try await httpGet("\(gateway.baseURL)/api/v1/units", headers: [("X-Correlation-Id", "abc123")])
            #expect(api.status == 200)
            struct U: Decodable { var code: Int; var nameTh: String }
            let units = try JSONDecoder().decode([U].self, from: Data(api.body.utf8))
            #expect(units.contains { $0.code == 74 && $0.nameTh == "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษากำแพงเพชร" })
            #expect(api.headers.contains { $0.0.lowercased() == "x-correlation-id" && $0.1 == "abc123" })
            let html = try await httpGet("\(gateway.baseURL)/units")
            #expect(html.status == 200)
            #expect(html.body.contains("กำแพงเพชรพิทยาคม") && html.body.contains("<html lang=\"th\">"))
            #expect(html.headers.contains { $0.0.lowercased() == "content-security-policy" })
            let bad = try await httpGet("\(gateway.baseURL)/api/v1/units/abc")
            #expect(bad.status == 400)
            #expect(bad.headers.contains { $0.0.lowercased() == "content-type" && $0.1 == "application/problem+json" })
            let missing = try await httpGet("\(gateway.baseURL)/api/v1/units/99999")
            #expect(missing.status == 404)
            await identity.stop()
            let down = try await httpGet("\(gateway.baseURL)/api/v1/units")
            #expect(down.status == 502)
            #expect(down.body.contains("identity did not answer"))
            #expect(try await httpGet("\(gateway.baseURL)/health/ready").status == 503)
        }
    }
}
}

/// Opens a connection, sends the head of a request announcing 1 GB, then nothing; returns how
/// long until the server closed the connection (nil if it did not within `seconds`).
func stalledRequest(port: Int, seconds: Int) async throws -> Duration? {
    try await Task.detached {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TimeoutError(message: "could not connect") }
        let head = "POST /registrations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{"
        _ = head.withCString { send(fd, $0, strlen($0), 0) }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let start = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { return ContinuousClock.now - start }  // closed by the server
            if n < 0 { return errno == EAGAIN || errno == EWOULDBLOCK ? nil : ContinuousClock.now - start }
        }
    }.value
}
