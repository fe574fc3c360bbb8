import Foundation
import KPIEvents
import KPIKafka
import KPIPostgres

/// A consumed record made ready to apply: its envelope, and the data decoded once for each
/// projection that handles its type.
struct Delivery: Sendable {
    let message: KafkaMessage
    let envelope: EventEnvelope
    let decoded: [String: any Sendable]
}

/// Applies consumed records to a service's projections, many records per transaction, each
/// exactly once per projection through the inbox. Used by the live consumer and by a rebuild.
struct ProjectionApplier: Sendable {
    let projections: [Projection]
    let database: ServiceDatabase

    enum Outcome: String { case applied, duplicate, ignored, deadlettered }

    var topics: [String] { Set(projections.flatMap(\.handlers.topics)).sorted() }

    /// Reads the envelope and decodes the data for each projection that takes the type. Throws
    /// what makes the record undecodable (it then goes to the dead-letter topic).
    func prepare(_ message: KafkaMessage) throws -> Delivery {
        let headers = Dictionary(message.headers.map { ($0.key, String(decoding: $0.value, as: UTF8.self)) }) { _, last in last }
        let envelope = try EventEnvelope(headers: headers, key: message.key, value: message.value)
        var decoded: [String: any Sendable] = [:]
        for p in projections {
            if let entry = p.handlers.entry(for: envelope.type) { decoded[p.name] = try entry.decode(envelope) }
        }
        return Delivery(message: message, envelope: envelope, decoded: decoded)
    }

    /// Applies `batch` in one transaction and returns each record's outcome, in order.
    ///
    /// Per projection, the new event ids are found with one inbox insert; then runs of
    /// consecutive new events of one type go to the handler together, in partition order.
    /// A projection being rebuilt is left alone when `skipRebuilding` (its rebuild replays
    /// these events); the shared row lock orders this against the rebuild's start and end.
    func apply(_ batch: [Delivery], skipRebuilding: Bool) async throws -> [Outcome] {
        try await database.transaction { tx in
            var skipped = Set<String>()
            if skipRebuilding {
                for row in try await tx.query("SELECT name, rebuilding_since IS NOT NULL FROM projections FOR SHARE") {
                    let (name, rebuilding) = try row.decode((String, Bool).self)
                    if rebuilding { skipped.insert(name) }
                }
            }
            var applied = Set<Int>()
            for p in projections where !skipped.contains(p.name) {
                let mine = batch.indices.filter { batch[$0].decoded[p.name] != nil }
                if mine.isEmpty { continue }
                var fresh = try await Inbox.record(mine.map { batch[$0] }, projection: p.name, tx: tx)
                var run: [any Sendable] = []
                var runType = ""
                func flush() async throws {
                    if run.isEmpty { return }
                    try await p.handlers.entry(for: runType)!.apply(run, tx)
                    run.removeAll()
                }
                for i in mine {
                    let d = batch[i]
                    // An event twice in one batch (a republished copy) is applied once.
                    guard fresh.remove(d.envelope.id) != nil else { continue }
                    if d.envelope.type != runType { try await flush(); runType = d.envelope.type }
                    run.append(d.decoded[p.name]!)
                    applied.insert(i)
                }
                try await flush()
            }
            return batch.indices.map { i in
                applied.contains(i) ? .applied : (batch[i].decoded.isEmpty ? .ignored : .duplicate)
            }
        }
    }
}

/// The inbox: which events each projection has applied.
enum Inbox {
    private struct Row: Encodable {
        var event_id: UUID, event_type: String, source: String, topic: String, partition: Int32, offset: Int64
    }

    /// Records the deliveries for `projection`; returns the ids that were not there before.
    static func record(_ deliveries: [Delivery], projection: String, tx: Transaction) async throws -> Set<UUID> {
        let rows = deliveries.map {
            Row(event_id: $0.envelope.id, event_type: $0.envelope.type, source: $0.envelope.source,
                topic: $0.message.topic, partition: $0.message.partition, offset: $0.message.offset)
        }
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        let inserted = try await tx.query("""
            INSERT INTO inbox (projection, event_id, event_type, source, topic, partition, "offset")
            SELECT \(projection), r.event_id, r.event_type, r.source, r.topic, r.partition, r."offset"
            FROM jsonb_to_recordset(\(json)::jsonb)
                AS r(event_id uuid, event_type text, source text, topic text, partition int, "offset" bigint)
            ON CONFLICT DO NOTHING
            RETURNING event_id
            """)
        return Set(try inserted.map { try $0.decode(UUID.self, at: 0) })
    }

    /// Registers the service's projections and gives events recorded before the inbox was kept
    /// per projection to each of them. Returns the projections that are new to a service that
    /// has consumed before: they missed the history and are marked `needs_replay`.
    @discardableResult
    static func prepare(_ projections: [Projection], database: ServiceDatabase) async throws -> [String] {
        let names = "{" + projections.map(\.name).joined(separator: ",") + "}"
        return try await database.transaction { tx in
            let consumedBefore = try await tx.query("SELECT EXISTS (SELECT 1 FROM inbox)").decode(Bool.self).first ?? false
            let added = try await tx.query("""
                INSERT INTO projections (name) SELECT unnest(\(names)::text[]) ON CONFLICT DO NOTHING RETURNING name
                """).decode(String.self)
            if consumedBefore && !added.isEmpty {
                try await tx.execute("UPDATE projections SET needs_replay = true WHERE name = ANY(\("{" + added.joined(separator: ",") + "}")::text[])")
            }
            try await tx.execute("""
                INSERT INTO inbox (projection, event_id, event_type, source, topic, partition, "offset", applied_at)
                SELECT p, event_id, event_type, source, topic, partition, "offset", applied_at
                FROM inbox, unnest(\(names)::text[]) AS p WHERE projection = ''
                ON CONFLICT DO NOTHING
                """)
            try await tx.execute("DELETE FROM inbox WHERE projection = ''")
            return consumedBefore ? added : []
        }
    }
}
