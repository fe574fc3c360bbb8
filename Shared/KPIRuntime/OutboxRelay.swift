import Foundation
import KPIConcurrency
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
    static let batchSize = 1000

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
        var attempts: Int
    }

    /// A send that failed: when to try again, or whether to set the row aside for good.
    struct Failure: Sendable {
        var id: Int64
        var retryAfterMs: Int
        var dead: Bool
        var error: String
    }

    /// Sends one batch of due rows; returns how many were published.
    ///
    /// Per-aggregate order: a row is sent only after every earlier row of its aggregate was
    /// delivered (or set aside as dead). Rows go out in waves: the first due row of each
    /// aggregate, then the second of those whose first was delivered, and so on; a failure
    /// holds back the rest of its aggregate, which waits out the failed row's backoff.
    func relayBatch() async throws -> Int {
        let (sent, counts) = try await pool.withTransaction { conn -> (Int, (backlog: Int, dead: Int)?) in
            let locked = try await conn.query("SELECT pg_try_advisory_xact_lock(hashtext(\("kpi.outbox." + schema)))")
            guard try locked.first?.decode(Bool.self, at: 0) == true else { return (0, nil) }
            let rows = try await conn.query("""
                SELECT id, event_id, topic, aggregate_id, event_type, subject, correlation_id, payload::text, created_at, attempts
                FROM outbox o
                WHERE published_at IS NULL AND dead_at IS NULL
                  AND (next_attempt_at IS NULL OR next_attempt_at <= clock_timestamp())
                  AND NOT EXISTS (SELECT 1 FROM outbox e
                                  WHERE e.aggregate_id = o.aggregate_id AND e.id < o.id
                                    AND e.published_at IS NULL AND e.dead_at IS NULL
                                    AND e.next_attempt_at > clock_timestamp())
                ORDER BY id LIMIT \(Self.batchSize)
                """).map { row -> Row in
                    let (id, eventId, topic, aggregate, type, subject, correlation, payload, created, attempts) =
                        try row.decode((Int64, UUID, String, String, String, String?, String?, String, Date, Int).self)
                    return Row(id: id, envelope: EventEnvelope(id: eventId, source: "/kpi/\(schema)", type: type, time: created,
                                                               subject: subject, aggregateId: aggregate,
                                                               correlationId: correlation, data: Array(payload.utf8)),
                               topic: topic, attempts: attempts)
                }
            if rows.isEmpty { return (0, try await Self.counts(conn)) }
            var done: [Int64] = []
            var failures: [Failure] = []
            var blocked = Set<String>()
            for wave in Self.waves(rows) {
                let ready = wave.filter { !blocked.contains($0.envelope.aggregateId) }
                if ready.isEmpty { break }
                let results = await producer.sendAll(ready.map { Self.record(for: $0) })
                for (row, result) in zip(ready, results) {
                    switch result {
                    case .success:
                        done.append(row.id)
                        metrics.eventsPublished(topic: row.topic).increment()
                    case .failure(let error):
                        let failure = Self.failure(of: row, error: error)
                        failures.append(failure)
                        // A dead row no longer holds its aggregate back; a waiting one does.
                        if !failure.dead { blocked.insert(row.envelope.aggregateId) }
                        metrics.outboxFailures(topic: row.topic, kind: failure.dead ? "permanent" : "transient").increment()
                        if failure.dead {
                            logger.error("event can never be delivered; set aside as dead in the outbox",
                                         metadata: ["event.id": "\(row.envelope.id)", "event.type": "\(row.envelope.type)", "error": "\(error)"])
                        } else {
                            logger.warning("event not delivered; its aggregate waits before the next attempt",
                                           metadata: ["event.id": "\(row.envelope.id)", "attempt": "\(row.attempts + 1)",
                                                      "retry.ms": "\(failure.retryAfterMs)", "error": "\(error)"])
                        }
                    }
                }
            }
            if !done.isEmpty {
                let ids = "{" + done.map(String.init).joined(separator: ",") + "}"
                try await conn.execute("""
                    UPDATE outbox SET published_at = clock_timestamp(), next_attempt_at = NULL WHERE id = ANY(\(ids)::bigint[])
                    """)
            }
            for f in failures {
                try await conn.execute("""
                    UPDATE outbox SET attempts = attempts + 1, last_error = \(f.error),
                        next_attempt_at = clock_timestamp() + make_interval(secs => \(Double(f.retryAfterMs) / 1000)),
                        dead_at = CASE WHEN \(f.dead) THEN clock_timestamp() END
                    WHERE id = \(f.id)
                    """)
            }
            return (done.count, try await Self.counts(conn))
        }
        if let counts {
            metrics.outboxBacklog.set(Int64(counts.backlog))
            metrics.outboxDead.set(Int64(counts.dead))
        }
        return sent
    }

    /// Splits rows (in id order) into waves: wave k holds the k-th row of each aggregate.
    static func waves(_ rows: [Row]) -> [[Row]] {
        var waves: [[Row]] = []
        var seen: [String: Int] = [:]
        for row in rows {
            let k = seen[row.envelope.aggregateId, default: 0]
            seen[row.envelope.aggregateId] = k + 1
            if k == waves.count { waves.append([]) }
            waves[k].append(row)
        }
        return waves
    }

    /// Backoff per aggregate: 200 ms doubling to at most a minute. Only a permanent error sets
    /// the row aside; a broker that is away for hours loses nothing.
    static func failure(of row: Row, error: KafkaError) -> Failure {
        let delay = min(200 << min(row.attempts, 9), 60_000)
        return Failure(id: row.id, retryAfterMs: delay, dead: error.isPermanent, error: error.description)
    }

    static func counts(_ conn: PostgresConnection) async throws -> (backlog: Int, dead: Int) {
        let row = try await conn.query("""
            SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL AND dead_at IS NULL),
                   (SELECT count(*) FROM outbox WHERE dead_at IS NOT NULL)
            """).first
        return (try row?.decode(Int.self, at: 0) ?? 0, try row?.decode(Int.self, at: 1) ?? 0)
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
        try await pool.execute("UPDATE outbox SET published_at = NULL, attempts = 0 WHERE published_at IS NOT NULL")
    }

    /// Gives rows set aside as dead another chance (after the cause was fixed, say a larger
    /// `message.max.bytes`). They go out after the rows already sent, so a consumer sees them late.
    public static func requeueDead(pool: PostgresPool) async throws -> Int {
        try await pool.execute("UPDATE outbox SET dead_at = NULL, next_attempt_at = NULL, attempts = 0 WHERE dead_at IS NOT NULL")
    }
}
