// kpi-bench: measures the running system (`bash deploy/kpi start` first) and prints numbers.
//
//   kpi-bench latency [count]   commit in identity → effect in catalogue and statistics, one
//                               unit at a time; the writer is an identity instance of its own
//                               (own pool, producer and relay, woken by its commits)
//   kpi-bench burst [count]     many units in transactions of 500; time until statistics
//                               applied them all (consumer throughput)
//   kpi-bench throughput [count]  pgbench -N (8 clients, 2,500 transactions each) against the same PostgreSQL, then
//                               a burst of count (20,000) events; prints both rates and their ratio
//   kpi-bench signin [count]    server time of a sign-in (Argon2id verify, throttle checks,
//                               session insert), right and wrong password, in-process
//   kpi-bench catalogue [area]  2,000 schools and 100 indicators of 4 rounds in a new area (or
//                               the area of an earlier run, measured again):
//                               the indicator list's and the gear page's times and bytes, and
//                               the public list under wrk beside nginx (needs wrk, nginx-light)
//   kpi-bench evidence          a 200 MB file through the gateway into intake beside cp + sync,
//                               peak memory of both, and confirming a report while 20 uploads run
//                               (start with KPI_FILE_MAX_BYTES=268435456)
//   kpi-bench national [areas schools]  B12: a national year (245 areas, 35,000 schools, 100
//                               indicators × 4 rounds each: 14 M slots) applied through
//                               statistics' projections as a rebuild does, beside COPY; then
//                               the indicator list, the summaries, the matrix and the public page
//
// Reads run/secrets.env and run/broker.addr like deploy/kpi; measures with the cluster's
// superuser over its socket (run/pgsock). Leaves the units it made (codes from 500000).
import Foundation
import IdentityService
import KPIKafka
import KPIPostgres
import KPIRuntime
import Logging

@preconcurrency import CRdKafka
kpi_line_buffer_stdout()

// Lines as they come, when a script or a pipe reads them.
setvbuf(stdout, nil, _IOLBF, 0)
let runDir = ProcessInfo.processInfo.environment["KPI_RUN_DIR"] ?? "run"
func readFile(_ path: String) -> String { (try? String(contentsOfFile: "\(runDir)/\(path)", encoding: .utf8)) ?? "" }
var secrets: [String: String] = [:]
for line in readFile("secrets.env").split(separator: "\n") {
    let parts = line.split(separator: "=", maxSplits: 1)
    if parts.count == 2 { secrets[String(parts[0])] = String(parts[1]) }
}
let port = Int(ProcessInfo.processInfo.environment["KPI_DB_PORT"] ?? "55432")!
let brokers = readFile("broker.addr").trimmingCharacters(in: .whitespacesAndNewlines)
guard !brokers.isEmpty, let password = secrets["KPI_IDENTITY_DB_PASSWORD"] else {
    print("kpi-bench: start the system first (bash deploy/kpi start)")
    exit(2)
}
let args = Array(CommandLine.arguments.dropFirst())
let mode = args.first ?? "latency"
let count = args.count > 1 ? Int(args[1]) ?? 300 : ["burst": 5000, "throughput": 20000][mode] ?? 300

let admin = PostgresPool(config: PostgresConfig(host: FileManager.default.currentDirectoryPath + "/\(runDir)/pgsock", port: port, user: "postgres", poolSize: 2))
let pool = PostgresPool(config: PostgresConfig(port: port, user: "identity", password: password, applicationName: "kpi-bench", poolSize: 4, searchPath: "identity"))
let logger = Logger(label: "kpi-bench")
let metrics = ServiceMetrics()
let producer = try KafkaProducer(settings: ["bootstrap.servers": brokers, "client.id": "kpi-bench"], log: { _ in })
let relay = OutboxRelay(schema: "identity", pool: pool, producer: producer, metrics: metrics, pollMs: 200, retentionDays: 30, logger: logger)
let relayTask = Task { try await relay.run() }
let db = ServiceDatabase(pool: pool, service: "identity", relayWake: { relay.nudge() })
let units = UnitStore(db: db)

func scalar(_ q: PostgresQuery) async throws -> Int { try await admin.query(q).first?.decode(Int.self, at: 0) ?? 0 }
let firstCode = (try await scalar("SELECT COALESCE(max(code), 499999) + 1 FROM identity.units WHERE code >= 500000"))

func waitApplied(_ schema: String, codes: ClosedRange<Int>, timeout: Double = 120) async throws {
    let start = Date()
    let q = PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(schema).unit_directory WHERE code BETWEEN \(codes.lowerBound) AND \(codes.upperBound)")
    while try await scalar(q) < codes.count {
        if Date().timeIntervalSince(start) > timeout { print("timed out waiting for \(schema)"); exit(1) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

func percentiles(_ label: String, _ values: [Double]) {
    let s = values.sorted()
    func p(_ q: Double) -> Double { s[min(s.count - 1, Int(Double(s.count - 1) * q))] }
    print(String(format: "%@  n=%d  p50=%.1f ms  p95=%.1f ms  p99=%.1f ms  max=%.1f ms", label, s.count, p(0.5), p(0.95), p(0.99), s.last ?? 0))
}

/// Units written in transactions of 500 through identity's outbox (a bulk import: one statement
/// for the units, one for their events); returns events per second
/// from the first write until statistics applied the last one.
func burst(_ count: Int) async throws -> Double {
    let codes = firstCode...(firstCode + count - 1)
    let start = Date()
    for batch in stride(from: codes.lowerBound, through: codes.upperBound, by: 500) {
        let end = min(batch + 499, codes.upperBound)
        try await db.transaction { tx in
            try await units.insertAll((batch...end).map { OrgUnit(code: $0, nameTh: "หน่วยวัดปริมาณ \($0)", kind: .other, areaCode: 74) }, tx: tx)
        }
    }
    let written = Date().timeIntervalSince(start)
    try await waitApplied("statistics", codes: codes, timeout: 600)
    let applied = Date().timeIntervalSince(start)
    print(String(format: "burst of %d events: written in %.2f s, all applied by statistics after %.2f s", count, written, applied))
    return Double(count) / applied
}

/// pgbench's simple-update mode against a scratch database of the same cluster.
func pgbenchTPS() async throws -> Double {
    let bin = (ProcessInfo.processInfo.environment["PGBIN"] ?? "/usr/lib/postgresql/15/bin") + "/pgbench"
    let socket = FileManager.default.currentDirectoryPath + "/\(runDir)/pgsock"
    func run(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // The cluster's superuser is the postgres OS user (peer authentication on the socket).
        p.arguments = (getuid() == 0 ? ["runuser", "-u", "postgres", "--", bin] : [bin])
            + ["-h", socket, "-p", String(port), "-U", "postgres"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw BenchError(message: "pgbench \(args.first ?? "") failed") }
        return String(decoding: data, as: UTF8.self)
    }
    if try await admin.query("SELECT 1 FROM pg_database WHERE datname = 'kpi_pgbench'").isEmpty {
        try await admin.execute("CREATE DATABASE kpi_pgbench")
        _ = try run(["-i", "-q", "-s", "10", "kpi_pgbench"])
    }
    // A fixed number of transactions (-t), not a duration: -T never ended when started from here.
    let out = try run(["-N", "-c", "8", "-j", "2", "-t", "2500", "kpi_pgbench"])
    guard let line = out.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
          let tps = Double(line.dropFirst(6).prefix { $0 != " " }) else { throw BenchError(message: "no tps in pgbench output") }
    return tps
}

struct BenchError: Error { var message: String }

switch mode {
case "latency":
    let codes = firstCode...(firstCode + count - 1)
    for code in codes {
        try await units.create(OrgUnit(code: code, nameTh: "หน่วยวัดเวลา \(code)", kind: .other, areaCode: 74))
        try await waitApplied("statistics", codes: code...code)
    }
    try await waitApplied("catalogue", codes: codes)
    for schema in ["catalogue", "statistics"] {
        let rows = try await admin.query(PostgresQuery(unsafeSQL: """
            SELECT EXTRACT(EPOCH FROM (i.applied_at - o.created_at)) * 1000
            FROM identity.outbox o JOIN \(schema).inbox i ON i.event_id = o.event_id
            JOIN identity.units u ON o.aggregate_id = 'unit-' || u.code
            WHERE u.code BETWEEN \(codes.lowerBound) AND \(codes.upperBound)
            """))
        percentiles("identity commit → \(schema) effect", try rows.map { try $0.decode(Double.self, at: 0) })
    }
case "burst":
    let rate = try await burst(count)
    print(String(format: "%.0f events/s end to end", rate))
case "throughput":
    let tps = try await pgbenchTPS()
    print(String(format: "pgbench -N, 8 clients × 2,500 transactions: %.0f transactions/s", tps))
    let rate = try await burst(count)
    print(String(format: "events end to end: %.0f events/s; ratio events/s ÷ pgbench TPS = %.2f", rate, rate / tps))
case "signin":
    guard let vault = NationalIDVault(key: secrets["KPI_NATIONAL_ID_KEY"] ?? "") else {
        print("no KPI_NATIONAL_ID_KEY in run/secrets.env: start with bash deploy/kpi start"); exit(1)
    }
    let sessions = SessionStore(users: UserStore(db: db, vault: vault))
    let demoPassword = secrets["KPI_DEMO_PASSWORD"] ?? ""
    var ok: [Double] = [], refused: [Double] = []
    for i in 0..<count {
        var t = ContinuousClock.now
        if case .signedIn = try await sessions.signIn(username: "demo-school", password: demoPassword, address: "bench-\(i)") {} else {
            print("demo-school did not sign in: start with bash deploy/kpi start (demo accounts)"); exit(1)
        }
        ok.append(milliseconds(since: t))
        t = ContinuousClock.now
        _ = try await sessions.signIn(username: "demo-district", password: "wrong-\(i)", address: "bench-wrong-\(i)")
        refused.append(milliseconds(since: t))
    }
    percentiles("sign-in, right password", ok)
    percentiles("sign-in, wrong password", refused)
case "catalogue":
    try await CatalogueBench.run(units: units, identity: db, admin: admin, secrets: secrets, port: port, firstCode: firstCode,
                                 existing: args.count > 1 ? Int(args[1]) : nil)
case "evidence":
    try await EvidenceBench.run(admin: admin, identity: db, secrets: secrets, runDir: runDir)
case "national":
    try await NationalBench.run(admin: admin, secrets: secrets, port: port, areas: args.count > 1 ? Int(args[1]) ?? 245 : 245,
                                schools: args.count > 2 ? Int(args[2]) ?? 35_000 : 35_000)
default:
    print("usage: kpi-bench latency [count] | burst [count] | throughput [count] | signin [count] | catalogue | evidence | national [areas schools]")
    exit(2)
}
relayTask.cancel()
await producer.close()
await pool.close()
await admin.close()
