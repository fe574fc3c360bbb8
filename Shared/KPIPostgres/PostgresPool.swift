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

    public init(host: String = "127.0.0.1", port: Int = 5432, user: String, password: String = "",
                database: String = "kpi", applicationName: String = "kpi", poolSize: Int = 8, searchPath: String? = nil) {
        self.host = host; self.port = port; self.user = user; self.password = password
        self.database = database; self.applicationName = applicationName; self.poolSize = poolSize
        self.searchPath = searchPath
    }
}

/// A bounded pool of connections. Callers past the bound wait in order for a free connection.
public actor PostgresPool {
    public nonisolated let config: PostgresConfig
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var waiters: [CheckedContinuation<PostgresConnection, any Error>] = []
    private var closed = false

    public init(config: PostgresConfig) {
        self.config = config
    }

    /// Leases a connection for the closure and returns it afterwards (or drops it when broken).
    public nonisolated func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let conn = try await lease()
        do {
            let value = try await body(conn)
            await release(conn)
            return value
        } catch {
            await release(conn)
            throw error
        }
    }

    /// Runs one statement on any connection.
    public nonisolated func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await withConnection { try await $0.query(query) }
    }

    @discardableResult
    public nonisolated func execute(_ query: PostgresQuery) async throws -> Int {
        try await withConnection { try await $0.execute(query) }
    }

    /// Runs the closure in one transaction: COMMIT when it returns, ROLLBACK when it throws.
    /// The error says at which stage the transaction failed.
    public nonisolated func withTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
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
    public func close() {
        closed = true
        idle.removeAll()
        for w in waiters { w.resume(throwing: PostgresError.poolClosed) }
        waiters.removeAll()
    }

    private func lease() async throws -> PostgresConnection {
        if closed { throw PostgresError.poolClosed }
        if let conn = idle.popLast() { return conn }
        if open < config.poolSize {
            open += 1
            do {
                return try await Self.connect(config)
            } catch {
                open -= 1
                throw error
            }
        }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    private func release(_ conn: PostgresConnection) {
        guard !closed, conn.isHealthy else {
            open -= 1
            // A broken connection frees a slot: let the next waiter open a new one.
            if !waiters.isEmpty, !closed {
                open += 1
                let waiter = waiters.removeFirst()
                let config = self.config
                Task {
                    do { waiter.resume(returning: try await Self.connect(config)) } catch {
                        self.connectFailed()
                        waiter.resume(throwing: error)
                    }
                }
            }
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: conn)
        } else {
            idle.append(conn)
        }
    }

    private func connectFailed() { open -= 1 }

    /// Opening a connection blocks in libpq, so it runs off the cooperative pool.
    private static func connect(_ config: PostgresConfig) async throws -> PostgresConnection {
        try await withCheckedThrowingContinuation { cont in
            DispatchQueue.global().async { cont.resume(with: Result { try PostgresConnection(config: config) }) }
        }
    }
}

import Dispatch
