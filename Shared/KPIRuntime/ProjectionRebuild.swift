import Foundation
import KPIEvents
import KPIKafka
import KPIPostgres
import Logging

/// Empties one projection and replays its topics into it from the start, while the service
/// runs on. The live consumer leaves the projection alone meanwhile (`projections.rebuilding_since`);
/// the rebuild reads up to the end the topics had when it started, hands the projection back,
/// and then reads up to the end again, so that nothing the live consumer left alone is missed.
/// The inbox makes an event that both apply count once.
///
/// With Apache Kafka the history is the topics (kept without time limit). The local broker
/// keeps only a few MB per partition: `deploy/kpi rebuild` first has the producing services
/// republish their retained outbox rows, so the whole history is on the topics again.
public struct ProjectionRebuild {
    /// Records per transaction of a replay: more than the live consumer's, since a replay is
    /// one long stream and its figures are settled once at the end.
    public static let batchSize = 5000

    let projection: Projection
    let database: ServiceDatabase
    let config: ServiceConfig
    let metrics: ServiceMetrics
    let logger: Logger

    /// Returns how many events were applied.
    func run() async throws -> Int {
        let tables = projection.tables.joined(separator: ", ")
        try await database.transaction { tx in
            // Waits for live batches that hold the projection's row; later ones skip it.
            try await tx.execute("UPDATE projections SET rebuilding_since = clock_timestamp() WHERE name = \(projection.name)")
            // A projection with no tables of its own to empty (people's notices, which hold their
            // read state) is replayed over what it keeps; its inserts skip what exists.
            if !tables.isEmpty { try await tx.execute(PostgresQuery(unsafeSQL: "TRUNCATE \(tables)")) }
            try await tx.execute("DELETE FROM inbox WHERE projection = \(projection.name)")
        }
        logger.info("projection emptied; replaying", metadata: ["projection": "\(projection.name)"])
        let applier = ProjectionApplier(projections: [projection], database: database)
        let consumer = try KafkaConsumer(
            settings: config.kafkaSettings.merging([
                "group.id": "\(config.consumerGroup).rebuild.\(projection.name).\(UUID().uuidString.prefix(8))",
                "enable.auto.commit": "false",
            ]) { _, new in new },
            topics: applier.topics, log: kafkaLogHandler(logger: logger, metrics: metrics))
        let partitions = Dictionary(uniqueKeysWithValues: applier.topics.map { t in (t, Topics.all.first { $0.name == t }?.partitions ?? 1) })
        var applied = 0
        var next: [String: [Int32: Int64]] = [:]
        do {
            applied += try await replay(consumer, applier, from: &next, until: try await consumer.watermarks(topics: partitions))
            try await database.transaction { tx in
                try await tx.execute("UPDATE projections SET rebuilding_since = NULL, needs_replay = false WHERE name = \(projection.name)")
            }
            applied += try await replay(consumer, applier, from: &next, until: try await consumer.watermarks(topics: partitions))
        } catch {
            await consumer.close()
            logger.error("rebuild stopped; the projection stays marked as rebuilding until a rebuild completes",
                         metadata: ["projection": "\(projection.name)", "error": "\(error)"])
            throw error
        }
        await consumer.close()
        // The deferred work of the whole replay, once (the live settler left it alone).
        try await ProjectionSettler.settle(projection, database: database, unlessRebuilding: false)
        return applied
    }

    /// Applies records until every partition reached `ends`; `next` is the position in each
    /// partition, kept from one call to the next. Undecodable records are skipped here (the live
    /// consumer sent them to the dead-letter topic when they first came).
    private func replay(_ consumer: KafkaConsumer, _ applier: ProjectionApplier, from next: inout [String: [Int32: Int64]],
                        until ends: [String: [Int32: Range<Int64>]]) async throws -> Int {
        func reached(_ next: [String: [Int32: Int64]]) -> Bool {
            ends.allSatisfy { topic, parts in parts.allSatisfy { p, held in held.isEmpty || (next[topic]?[p] ?? 0) >= held.upperBound } }
        }
        var applied = 0
        var idleSince = ContinuousClock.now
        while !reached(next) {
            try Task.checkCancellation()
            var messages: [KafkaMessage] = []
            for event in await consumer.pollBatch(max: Self.batchSize) {
                switch event {
                case .message(let m): messages.append(m)
                case .error(let error, let topic, let partition):
                    logger.warning("consumer error", metadata: ["error": "\(error)", "kafka.topic": "\(topic ?? "")", "kafka.partition": "\(partition ?? -1)"])
                }
            }
            if messages.isEmpty {
                if ContinuousClock.now - idleSince > .seconds(30) {
                    let behind = ends.flatMap { topic, parts in
                        parts.filter { p, held in !held.isEmpty && (next[topic]?[p] ?? 0) < held.upperBound }
                            .map { p, held in "\(topic)[\(p)] at \(next[topic]?[p] ?? -1) of \(held)" }
                    }
                    throw KafkaError(code: -1, message: "no records for 30 s before the end of the topics was reached: \(behind.sorted().joined(separator: ", "))")
                }
                continue
            }
            idleSince = .now
            for m in messages { next[m.topic, default: [:]][m.partition] = m.offset + 1 }
            let batch = messages.compactMap { try? applier.prepare($0) }
            if !batch.isEmpty {
                let outcomes = try await applier.apply(batch, skipRebuilding: false)
                applied += outcomes.filter { $0 == .applied }.count
            }
        }
        return applied
    }
}
