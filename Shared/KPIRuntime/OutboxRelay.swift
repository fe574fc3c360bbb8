import Foundation
import KPIEvents
import KPIKafka
import KPIPostgres
import Logging
import ServiceLifecycle

/// Publishes outbox rows to Kafka in id order and marks a row published only after its
/// delivery report succeeded. One relay per schema works at a time (advisory lock), so rows of
/// one aggregate leave in order even with many instances. Old published rows are deleted after
/// the retention period; until then `republishAll` can send them again.
public final class OutboxRelay: Service, @unchecked Sendable {
    let pool: PostgresPool
    let producer: KafkaProducer
    let metrics: ServiceMetrics
    let logger: Logger
    let pollInterval: Duration
    let retentionDays: Int
    let schema: String
    private let wakeup = Wakeup()
    static let batchSize = 500

    public init(schema: String, pool: PostgresPool, producer: KafkaProducer, metrics: ServiceMetrics,
                pollMs: Int, retentionDays: Int, logger: Logger) {
        self.schema = schema; self.pool = pool; self.producer = producer; self.metrics = metrics
        self.pollInterval = .milliseconds(pollMs); self.retentionDays = retentionDays; self.logger = logger
    }

    /// Called after a transaction that wrote outbox rows has committed.
    public func nudge() { wakeup.signal() }

    public func run() async throws {
        var lastCleanup = ContinuousClock.now - .seconds(3600)
        var backoff = Duration.milliseconds(100)
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    let sent = try await relayBatch()
                    backoff = .milliseconds(100)
                    if ContinuousClock.now - lastCleanup > .seconds(3600) {
                        try await deleteExpired()
                        lastCleanup = .now
                    }
                    if sent > 0 { continue }
                } catch {
                    logger.warning("outbox relay failed; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(5))
                    continue
                }
                // Sleep until nudged or the poll interval passes (rows from other instances).
                await wakeup.wait(timeout: pollInterval)
            }
        } onGracefulShutdown: {
            self.wakeup.signal()
        }
    }

    struct Row: Sendable {
        var id: Int64
        var envelope: EventEnvelope
        var topic: String
    }

    /// Sends one batch of unpublished rows; returns how many were published.
    func relayBatch() async throws -> Int {
        let (sent, backlog) = try await pool.withTransaction { conn -> (Int, Int) in
            let locked = try await conn.query("SELECT pg_try_advisory_xact_lock(hashtext(\("kpi.outbox." + schema)))")
            guard try locked.first?.decode(Bool.self, at: 0) == true else { return (0, -1) }
            let rows = try await conn.query("""
                SELECT id, event_id, topic, aggregate_id, event_type, subject, correlation_id, payload::text, created_at
                FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT \(Self.batchSize)
                """).map { row -> Row in
                    let (id, eventId, topic, aggregate, type, subject, correlation, payload, created) =
                        try row.decode((Int64, UUID, String, String, String, String?, String?, String, Date).self)
                    return Row(id: id, envelope: EventEnvelope(id: eventId, source: "/kpi/\(schema)", type: type, time: created,
                                                               subject: subject, aggregateId: aggregate,
                                                               correlationId: correlation, data: Array(payload.utf8)),
                               topic: topic)
                }
            if rows.isEmpty { return (0, 0) }
            let results = await producer.sendAll(rows.map { Self.record(for: $0) })
            // A failed row blocks the later rows of its aggregate, so per-aggregate order holds.
            var blocked = Set<String>()
            var done: [Int64] = []
            for (row, result) in zip(rows, results) {
                switch result {
                case .success where !blocked.contains(row.envelope.aggregateId):
                    done.append(row.id)
                    metrics.eventsPublished(topic: row.topic).increment()
                case .success:
                    break
                case .failure(let error):
                    blocked.insert(row.envelope.aggregateId)
                    logger.warning("event not delivered; will retry", metadata: ["event.id": "\(row.envelope.id)", "error": "\(error)"])
                }
            }
            if !done.isEmpty {
                let ids = "{" + done.map(String.init).joined(separator: ",") + "}"
                try await conn.execute("UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY(\(ids)::bigint[])")
            }
            let backlog = try await conn.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").first?.decode(Int.self, at: 0) ?? 0
            return (done.count, backlog)
        }
        if backlog >= 0 { metrics.outboxBacklog.set(Int64(backlog)) }
        return sent
    }

    static func record(for row: Row) -> KafkaRecord {
        KafkaRecord(topic: row.topic, key: row.envelope.aggregateId, value: row.envelope.data,
                    headers: row.envelope.headers.map { KafkaHeader(key: $0.0, string: $0.1) })
    }

    func deleteExpired() async throws {
        let deleted = try await pool.execute("""
            DELETE FROM outbox WHERE published_at < now() - make_interval(days => \(retentionDays))
            """)
        if deleted > 0 { logger.info("expired outbox rows deleted", metadata: ["rows": "\(deleted)"]) }
    }

    /// Marks every retained published row unpublished, so the relay sends them again (after a
    /// broker restart lost its messages). Consumers ignore what they already applied.
    public static func republishAll(pool: PostgresPool) async throws -> Int {
        try await pool.execute("UPDATE outbox SET published_at = NULL WHERE published_at IS NOT NULL")
    }
}

/// A signal that one waiter sleeps on until it is given or a timeout passes. A signal given
/// while nobody waits is kept for the next wait.
final class Wakeup: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?

    func signal() {
        let w: CheckedContinuation<Void, Never>? = lock.withLock {
            if let w = waiter { waiter = nil; return w }
            pending = true
            return nil
        }
        w?.resume()
    }

    func wait(timeout: Duration) async {
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { self?.signal() }
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now: Bool = lock.withLock {
                if pending { pending = false; return true }
                waiter = c
                return false
            }
            if now { c.resume() }
        }
        timer.cancel()
    }
}
