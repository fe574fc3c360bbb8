import KPIConcurrency
import Logging

/// Where and how to connect. Defaults suit the local cluster that `deploy/kpi` starts.
public struct PostgresConfig: Sendable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var database: String
    public var applicationName: String
    /// Most connections the pool opens at once.
    public var poolSize: Int
    /// Schema that unqualified table names resolve to (a service's own schema).
    public var searchPath: String?
    /// How long a caller waits for a connection when all are in use; then `poolExhausted`.
    public var leaseTimeout: Duration
    /// Most callers waiting for a connection at once; more are refused at once (`poolExhausted`).
    public var maxWaiting: Int
    /// The server cancels a statement that runs longer (`statement_timeout`, SQLSTATE 57014).
    public var statementTimeoutMs: Int

    public init(host: String = "127.0.0.1", port: Int = 5432, user: String, password: String = "",
                database: String = "kpi", applicationName: String = "kpi", poolSize: Int = 8, searchPath: String? = nil,
                leaseTimeout: Duration = .seconds(5), maxWaiting: Int = 256, statementTimeoutMs: Int = 30_000) {
        self.host = host; self.port = port; self.user = user; self.password = password
        self.database = database; self.applicationName = applicationName; self.poolSize = poolSize
        self.searchPath = searchPath; self.leaseTimeout = leaseTimeout; self.maxWaiting = maxWaiting
        self.statementTimeoutMs = statementTimeoutMs
    }
}

/// A bounded pool of connections: at most `poolSize` are leased at once, further callers wait
/// in order up to `leaseTimeout`, and past `maxWaiting` waiters a lease is refused at once. An
/// exhausted pool therefore answers `PostgresError.poolExhausted` (a 503), it does not hang.
public final class PostgresPool: Sendable {
    public let config: PostgresConfig
    private let slots: Gate
    private let idle = Mutex<(connections: [PostgresConnection], closed: Bool)>(([], false))

    public init(config: PostgresConfig) {
        self.config = config
        self.slots = Gate(limit: config.poolSize, maxWaiting: config.maxWaiting, timeout: config.leaseTimeout)
    }

    /// Leases a connection for the closure and returns it afterwards (or drops it when broken).
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do { try await slots.enter() } catch is GateError { throw PostgresError.poolExhausted }
        defer { slots.leave() }
        let conn = try await lease()
        do {
            let value = try await body(conn)
            release(conn)
            return value
        } catch {
            release(conn)
            throw error
        }
    }

    /// Runs one statement on any connection.
    public func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await withConnection { try await $0.query(query) }
    }

    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await withConnection { try await $0.execute(query) }
    }

    /// Runs the closure in one transaction: COMMIT when it returns, ROLLBACK when it throws.
    /// The error says at which stage the transaction failed.
    public func withTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { conn in
            do { try await conn.execute("BEGIN") } catch {
                throw PostgresError.transaction(stage: .begin, underlying: error)
            }
            let value: T
            do {
                value = try await body(conn)
            } catch {
                do { try await conn.execute("ROLLBACK") } catch {
                    throw PostgresError.transaction(stage: .rollback, underlying: error)
                }
                throw error
            }
            do { try await conn.execute("COMMIT") } catch {
                throw PostgresError.transaction(stage: .commit, underlying: error)
            }
            return value
        }
    }

    /// Closes idle connections and refuses new leases; leased ones close when returned.
    public func close() async {
        idle.withLock { $0 = ([], true) }
    }

    /// An idle connection, or a new one (the caller holds a slot, so the bound holds).
    private func lease() async throws -> PostgresConnection {
        let (conn, closed) = idle.withLock { state in (state.connections.popLast(), state.closed) }
        if closed { throw PostgresError.poolClosed }
        if let conn { return conn }
        return try await Self.connect(config)
    }

    /// Keeps a healthy connection for the next caller; a broken one is dropped (closed by deinit).
    private func release(_ conn: PostgresConnection) {
        guard conn.isHealthy else { return }
        idle.withLock { state in if !state.closed { state.connections.append(conn) } }
    }

    /// Opening a connection blocks in libpq, so it runs off the cooperative pool.
    private static func connect(_ config: PostgresConfig) async throws -> PostgresConnection {
        try await withCheckedThrowingContinuation { cont in
            DispatchQueue.global().async { cont.resume(with: Result { try PostgresConnection(config: config) }) }
        }
    }
}

import Dispatch
import Synchronization
