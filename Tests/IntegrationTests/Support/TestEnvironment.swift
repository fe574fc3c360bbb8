import AsyncHTTPClient
import NIOCore
import Foundation
import KPIEvents
import KPIKafka
import KPIPostgres
import KPIRuntime
import Testing

/// What `deploy/kpi test` started for the integration tests: a private PostgreSQL cluster and
/// the development broker. Services are started by the tests themselves, as real processes.
struct TestEnvironment: Sendable {
    let bin: String
    let dbPort: Int
    let dbSocket: String
    let brokers: String
    let logs: String
    let pids: String
    let passwords: [String: String]

    static let shared: TestEnvironment = {
        let env = ProcessInfo.processInfo.environment
        func need(_ key: String) -> String {
            guard let v = env[key], !v.isEmpty else {
                fatalError("\(key) is not set: run the integration tests with `bash deploy/kpi test`")
            }
            return v
        }
        var passwords: [String: String] = [:]
        for s in ["identity", "catalogue", "intake", "review", "statistics"] {
            passwords[s] = env["KPI_\(s.uppercased())_DB_PASSWORD"] ?? ""
        }
        return TestEnvironment(bin: need("KPI_TEST_BIN"), dbPort: Int(need("KPI_TEST_DB_PORT"))!,
                               dbSocket: need("KPI_TEST_DB_SOCKET"), brokers: need("KPI_TEST_BROKERS"),
                               logs: need("KPI_TEST_LOGS"), pids: need("KPI_TEST_PIDS"), passwords: passwords)
    }()

    /// A superuser connection over the cluster's socket: tests look into every schema.
    static let admin = PostgresPool(config: PostgresConfig(host: shared.dbSocket, port: shared.dbPort, user: "postgres", poolSize: 4))

    /// A pool that connects as a service's own role, the way that service does.
    func pool(as service: String) -> PostgresPool {
        PostgresPool(config: PostgresConfig(port: dbPort, user: service, password: passwords[service] ?? "",
                                            applicationName: "test-\(service)", poolSize: 4, searchPath: service))
    }

    /// identity's database as the identity service sees it: writes go through its outbox.
    func identityDatabase() -> ServiceDatabase {
        ServiceDatabase(pool: pool(as: "identity"), service: "identity")
    }
}

/// Superuser shortcuts.
enum Admin {
    static func int(_ query: PostgresQuery) async throws -> Int {
        try await TestEnvironment.admin.query(query).first?.decode(Int.self, at: 0) ?? 0
    }
}

/// Waits until `condition` holds, polling; fails the test with `message` after `timeout`.
func eventually(_ message: String, timeout: Duration = .seconds(30), poll: Duration = .milliseconds(50),
                _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: poll)
    }
    throw TimeoutError(message: "timed out after \(timeout): \(message)")
}

struct TimeoutError: Error { var message: String }

/// Reads a topic from its start with a fresh consumer group until `stop` says enough.
func readTopic(_ topic: String, timeout: Duration = .seconds(20), until stop: ([KafkaMessage]) -> Bool) async throws -> [KafkaMessage] {
    let consumer = try KafkaConsumer(
        settings: ["bootstrap.servers": TestEnvironment.shared.brokers, "group.id": "test-\(UUID().uuidString)"],
        topics: [topic], log: { _ in })
    var seen: [KafkaMessage] = []
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline, !stop(seen) {
        if case .message(let m) = await consumer.poll(timeoutMs: 100) { seen.append(m) }
    }
    await consumer.close()
    return seen
}

/// GET and the body as text.
func httpGet(_ url: String, headers: [(String, String)] = []) async throws -> (status: Int, body: String, headers: [(String, String)]) {
    var request = HTTPClientRequest(url: url)
    for (k, v) in headers { request.headers.add(name: k, value: v) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    let body = try await response.body.collect(upTo: 10 * 1024 * 1024)
    return (Int(response.status.code), String(buffer: body), response.headers.map { ($0.name, $0.value) })
}

/// Every integration test runs in this one suite, one at a time: they share the cluster, the
/// broker and the services' consumer groups.
@Suite(.serialized) enum IntegrationSuite {}

/// A request with an optional JSON body (or raw bytes); the reply's status and body.
func httpSend(_ method: String, _ url: String, json: (any Encodable)? = nil, bytes: [UInt8]? = nil,
              headers: [(String, String)] = []) async throws -> (status: Int, body: String) {
    var request = HTTPClientRequest(url: url)
    request.method = .init(rawValue: method)
    for (k, v) in headers { request.headers.add(name: k, value: v) }
    if let json {
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(json)))
    }
    if let bytes { request.body = .bytes(ByteBuffer(bytes: bytes)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
    let body = try await response.body.collect(upTo: 10 * 1024 * 1024)
    return (Int(response.status.code), String(buffer: body))
}

func jsonObject(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}
