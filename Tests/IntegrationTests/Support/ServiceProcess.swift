import Foundation
import Testing

/// One service executable running as its own process, with the environment `deploy/kpi` gives
/// it, logging to the test log folder.
final class ServiceProcess: @unchecked Sendable {
    let service: String
    let port: Int
    let extraEnvironment: [String: String]
    private var process: Process?

    init(_ service: String, port: Int, environment: [String: String] = [:]) {
        self.service = service; self.port = port; self.extraEnvironment = environment
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var pid: Int32? { process?.processIdentifier }
    var logPath: String { "\(TestEnvironment.shared.logs)/\(service)-\(port).log" }
    var pidFile: String { "\(TestEnvironment.shared.pids)/test-\(service)-\(port).pid" }

    /// The environment `deploy/kpi` gives the service, plus the test's extras.
    private func environment() -> [String: String] {
        let env = TestEnvironment.shared
        var vars = ProcessInfo.processInfo.environment
        vars["KPI_HTTP_PORT"] = String(port)
        vars["KPI_DB_PORT"] = String(env.dbPort)
        vars["KPI_DB_PASSWORD"] = env.passwords[service] ?? ""
        vars["KPI_KAFKA_BROKERS"] = env.brokers
        vars["KPI_OUTBOX_POLL_MS"] = "50"
        vars["KPI_LOG_LEVEL"] = "debug"
        for (k, v) in extraEnvironment { vars[k] = v }
        return vars
    }

    /// Runs one operator command of the service executable (`statistics rebuild unit_totals`)
    /// to its end; returns the exit status and what it printed on standard output.
    func command(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "\(TestEnvironment.shared.bin)/\(service)")
        p.arguments = arguments
        var vars = environment()
        if extraEnvironment["KPI_LOG_LEVEL"] == nil { vars["KPI_LOG_LEVEL"] = "info" }
        p.environment = vars
        let out = Pipe()
        p.standardOutput = out
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        p.standardError = log
        try p.run()
        let data = try await Task.detached { try out.fileHandleForReading.readToEnd() ?? Data() }.value
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Starts the process and waits until its /health/ready answers 200.
    @discardableResult
    func start(timeout: Duration = .seconds(60)) async throws -> Self {
        let env = TestEnvironment.shared
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "\(env.bin)/\(service)")
        p.environment = environment()
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        p.standardOutput = log
        p.standardError = log
        try p.run()
        process = p
        // deploy/kpi test kills whatever a failed test left running, by these files.
        try? String(p.processIdentifier).write(toFile: pidFile, atomically: true, encoding: .utf8)
        try await eventually("\(service) ready on \(port) (log: \(logPath))", timeout: timeout, poll: .milliseconds(100)) {
            guard p.isRunning else { return false }
            return (try? await httpGet("\(baseURL)/health/ready").status) == 200
        }
        return self
    }

    /// SIGTERM and wait for a clean exit; returns the exit status.
    @discardableResult
    func stop() async -> Int32 {
        guard let p = process, p.isRunning else { return process?.terminationStatus ?? 0 }
        p.terminate()
        return await waitForExit(p)
    }

    /// SIGKILL: no chance to store offsets or flush anything.
    func kill9() async {
        guard let p = process, p.isRunning else { return }
        kill(p.processIdentifier, SIGKILL)
        _ = await waitForExit(p)
    }

    private func waitForExit(_ p: Process) async -> Int32 {
        for _ in 0..<300 where p.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: pidFile)
        return p.terminationStatus
    }

    /// The internal metrics listener (the HTTP port + 1000).
    var metricsURL: String { "http://127.0.0.1:\(port + 1000)/metrics" }

    func metric(_ line: String) async throws -> Double? {
        let body = try await httpGet(metricsURL).body
        for l in body.split(separator: "\n") where l.hasPrefix(line + " ") {
            return Double(l.split(separator: " ").last ?? "")
        }
        return nil
    }

    func logText() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

/// Starts the given services, runs `body`, and stops them whatever happens.
func withServices<T>(_ services: [ServiceProcess], _ body: () async throws -> T) async throws -> T {
    var started: [ServiceProcess] = []
    do {
        for s in services { started.append(try await s.start()) }
        let value = try await body()
        for s in started.reversed() { await s.stop() }
        return value
    } catch {
        for s in started.reversed() { await s.stop() }
        throw error
    }
}
