@preconcurrency import CLibPQ
import Dispatch
import Foundation
import Synchronization

/// One libpq connection. libpq connections are not thread-safe, so every call runs on this
/// connection's own serial queue: blocking `PQexecParams` never runs on Swift's cooperative pool.
public final class PostgresConnection: @unchecked Sendable {
    private let conn: OpaquePointer
    private let queue: DispatchQueue

    init(config: PostgresConfig) throws {
        let keys = ["host", "port", "user", "password", "dbname", "application_name", "connect_timeout", "options"]
        let values = [config.host, String(config.port), config.user, config.password, config.database,
                      config.applicationName, "5",
                      "-c TimeZone=UTC -c statement_timeout=\(config.statementTimeoutMs)"
                        + (config.searchPath.map { " -c search_path=\($0)" } ?? "")]
        let conn: OpaquePointer? = withCStrings(keys) { k in withCStrings(values) { v in PQconnectdbParams(k, v, 0) } }
        guard let conn else { throw PostgresError.connection("out of memory") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(conn)
            throw PostgresError.connection(message)
        }
        // Server notices ("schema already exists, skipping") are not errors; keep them off stderr.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        self.conn = conn
        self.queue = DispatchQueue(label: "kpi.postgres.connection")
    }

    deinit { PQfinish(conn) }

    /// Whether the connection was still up after its last statement. Read without waiting for
    /// the connection's queue, so returning a connection to the pool never blocks.
    var isHealthy: Bool { healthy.withLock { $0 } }
    private let healthy = Mutex(true)

    /// Runs one statement and copies its rows out.
    public func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<[PostgresRow], any Error>) in
            queue.async { cont.resume(with: Result { try self.run(query) }) }
        }
    }

    /// Runs one statement and returns how many rows it touched.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Int, any Error>) in
            queue.async { cont.resume(with: Result { try self.runCount(query) }) }
        }
    }

    /// Runs a script of several statements without parameters (migration files from our own
    /// bundle only: nothing a user typed may reach this).
    public func executeScript(unsafeSQL sql: String) async throws {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, any Error>) in
            queue.async {
                cont.resume(with: Result {
                    guard let res = PQexec(self.conn, sql) else {
                        throw PostgresError.connection(String(cString: PQerrorMessage(self.conn)))
                    }
                    defer { PQclear(res) }
                    let status = PQresultStatus(res)
                    guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
                        let message = String(cString: PQresultErrorMessage(res)).trimmingCharacters(in: .whitespacesAndNewlines)
                        throw PostgresError.query(message: message, sqlState: PQresultErrorField(res, Int32(UInt8(ascii: "C"))).map { String(cString: $0) })
                    }
                })
            }
        }
    }

    private func runCount(_ query: PostgresQuery) throws -> Int {
        try withResult(query) { res in Int(String(cString: PQcmdTuples(res))) ?? 0 }
    }

    private func run(_ query: PostgresQuery) throws -> [PostgresRow] {
        try withResult(query) { res in
            let rowCount = Int(PQntuples(res)), colCount = Int(PQnfields(res))
            let columns = (0..<colCount).map { String(cString: PQfname(res, Int32($0))) }
            var rows: [PostgresRow] = []
            rows.reserveCapacity(rowCount)
            for r in 0..<rowCount {
                var values: [String?] = []
                values.reserveCapacity(colCount)
                for c in 0..<colCount {
                    if PQgetisnull(res, Int32(r), Int32(c)) == 1 {
                        values.append(nil)
                    } else {
                        values.append(String(cString: PQgetvalue(res, Int32(r), Int32(c))))
                    }
                }
                rows.append(PostgresRow(columns: columns, values: values))
            }
            return rows
        }
    }

    /// Executes on the calling (queue) thread; the result is cleared before returning.
    private func withResult<T>(_ query: PostgresQuery, _ body: (OpaquePointer) throws -> T) throws -> T {
        let res: OpaquePointer? = withOptionalCStrings(query.binds) { params in
            PQexecParams(conn, query.sql, Int32(query.binds.count), nil, params, nil, nil, 0)
        }
        defer { healthy.withLock { $0 = PQstatus(conn) == CONNECTION_OK } }
        guard let res else {
            throw PostgresError.connection(String(cString: PQerrorMessage(conn)))
        }
        defer { PQclear(res) }
        switch PQresultStatus(res) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return try body(res)
        default:
            // Only the primary message: DETAIL lines quote the values of the row (a national ID
            // in a unique violation), and errors end up in logs.
            let message = PQresultErrorField(res, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
                ?? String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            let statePtr = PQresultErrorField(res, Int32(UInt8(ascii: "C")))
            let state = statePtr.map { String(cString: $0) }
            if PQstatus(conn) != CONNECTION_OK { throw PostgresError.connection(message) }
            throw PostgresError.query(message: message, sqlState: state)
        }
    }
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let dup = strings.map { strdup($0) }
    defer { dup.forEach { free($0) } }
    var ptrs: [UnsafePointer<CChar>?] = dup.map { UnsafePointer($0) } + [nil]
    return ptrs.withUnsafeMutableBufferPointer { body(UnsafePointer($0.baseAddress!)) }
}

private func withOptionalCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let dup = strings.map { $0.map { strdup($0) } ?? nil }
    defer { dup.forEach { free($0) } }
    var ptrs: [UnsafePointer<CChar>?] = dup.map { $0.map { UnsafePointer($0) } }
    if ptrs.isEmpty { return body(nil) }
    return ptrs.withUnsafeMutableBufferPointer { body(UnsafePointer($0.baseAddress!)) }
}
