import Foundation
import KPIEvents
import KPIPostgres

/// A service's own schema: transactions that change state and record the events of that
/// change in the same commit (the transactional outbox).
public struct ServiceDatabase: Sendable {
    public let pool: PostgresPool
    let source: String
    let relayWake: @Sendable () -> Void

    public init(pool: PostgresPool, service: String, relayWake: @escaping @Sendable () -> Void = {}) {
        self.pool = pool
        self.source = "/kpi/\(service)"
        self.relayWake = relayWake
    }

    /// Runs `body` in one transaction. Events published through the transaction are in the
    /// outbox exactly when the change commits; the relay is woken after COMMIT.
    public func transaction<T: Sendable>(_ body: (Transaction) async throws -> T) async throws -> T {
        let tx = Transaction(source: source)
        let value = try await pool.withTransaction { conn in
            tx.connection = conn
            return try await body(tx)
        }
        if tx.published { relayWake() }
        return value
    }

    /// One statement outside any explicit transaction (reads).
    public func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await pool.query(query)
    }
}

/// The open transaction handed to a `ServiceDatabase.transaction` body.
public final class Transaction: @unchecked Sendable {
    public fileprivate(set) var connection: PostgresConnection!
    let source: String
    fileprivate(set) var published = false

    init(source: String) { self.source = source }

    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> [PostgresRow] { try await connection.query(query) }

    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int { try await connection.execute(query) }

    /// Records `event` in the outbox of this transaction, with the task's correlation id.
    @discardableResult
    public func publish<E: DomainEvent>(_ event: E) async throws -> UUID {
        let envelope = try EventEnvelope(event, source: source, correlationId: Correlation.id)
        let payload = String(decoding: envelope.data, as: UTF8.self)
        try await connection.execute("""
            INSERT INTO outbox (event_id, topic, aggregate_id, event_type, subject, correlation_id, payload)
            VALUES (\(envelope.id), \(E.topic.name), \(envelope.aggregateId), \(envelope.type), \(envelope.subject),
                    \(envelope.correlationId), \(payload)::jsonb)
            """)
        published = true
        return envelope.id
    }

    /// Records many events in the outbox with one statement (bulk imports), in order.
    public func publishAll<E: DomainEvent>(_ events: [E]) async throws {
        if events.isEmpty { return }
        let rows = try events.map { event in
            let e = try EventEnvelope(event, source: source, correlationId: Correlation.id)
            return OutboxRow(event_id: e.id, aggregate_id: e.aggregateId, event_type: e.type, subject: e.subject,
                       correlation_id: e.correlationId, payload: String(decoding: e.data, as: UTF8.self))
        }
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        // WITH ORDINALITY keeps the given order in the ids, so the relay sends them in that order.
        try await connection.execute("""
            INSERT INTO outbox (event_id, topic, aggregate_id, event_type, subject, correlation_id, payload)
            SELECT r.event_id, \(E.topic.name), r.aggregate_id, r.event_type, r.subject, r.correlation_id, r.payload::jsonb
            FROM ROWS FROM (jsonb_to_recordset(\(json)::jsonb)
                AS (event_id uuid, aggregate_id text, event_type text, subject text, correlation_id text, payload text))
                WITH ORDINALITY AS r(event_id, aggregate_id, event_type, subject, correlation_id, payload, n)
            ORDER BY n
            """)
        published = true
    }
}

extension ServiceDatabase {
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await pool.execute(query)
    }
}

/// One outbox row as `publishAll` hands it to PostgreSQL.
private struct OutboxRow: Encodable {
    var event_id: UUID, aggregate_id: String, event_type: String, subject: String?, correlation_id: String?, payload: String
}
