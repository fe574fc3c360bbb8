import Foundation
import KPIEvents
import KPIKafka
import KPIPostgres
import Logging
import ServiceLifecycle

/// Consumes other services' events exactly once in effect, in batches: up to `batchSize`
/// records already fetched are applied in one transaction that also records their ids in each
/// projection's inbox, and their offsets are stored only after that commit. Partition order is
/// kept (a batch is applied in the order consumed).
///
/// A record that cannot be decoded goes to the dead-letter topic with the error and the
/// partition moves on. A lost database waits and retries; nothing is skipped. A batch whose
/// effect fails for another reason is applied again record by record, and the record that keeps
/// failing goes to the dead-letter topic after `maxAttempts`.
public final class EventConsumer: Service, @unchecked Sendable {
    let config: ServiceConfig
    let applier: ProjectionApplier
    let producer: KafkaProducer
    let metrics: ServiceMetrics
    let logger: Logger
    private let lock = NSLock()
    private var consumer: KafkaConsumer?
    /// Effects that fail this often for a reason other than a lost connection are dead-lettered.
    static let maxAttempts = 5
    static let batchSize = 500

    /// Called after every applied batch (the projections' deferred work).
    let applied: @Sendable () -> Void

    public init(config: ServiceConfig, projections: [Projection], database: ServiceDatabase, producer: KafkaProducer,
                metrics: ServiceMetrics, logger: Logger, applied: @escaping @Sendable () -> Void = {}) {
        self.config = config; self.applier = ProjectionApplier(projections: projections, database: database)
        self.producer = producer; self.metrics = metrics; self.logger = logger; self.applied = applied
    }

    /// True while the consumer exists and the broker answers.
    public func isBrokerReachable() async -> Bool {
        guard let consumer = lock.withLock({ self.consumer }) else { return false }
        return await consumer.isBrokerReachable()
    }

    public func run() async throws {
        let consumer = try KafkaConsumer(
            settings: config.kafkaSettings.merging(["group.id": config.consumerGroup]) { _, new in new },
            topics: applier.topics, log: kafkaLogHandler(logger: logger, metrics: metrics))
        lock.withLock { self.consumer = consumer }
        logger.info("consuming", metadata: ["kafka.topics": "\(applier.topics)", "kafka.group": "\(config.consumerGroup)"])
        // Graceful shutdown ends the loop between batches; a batch being applied finishes first
        // (database calls do not stop half-way), and its offsets are stored.
        await cancelOnGracefulShutdown { [self] in
            while !Task.isCancelled {
                let events = await consumer.pollBatch(max: Self.batchSize)
                if events.isEmpty {
                    if consumer.isClosed { break }
                    continue
                }
                var messages: [KafkaMessage] = []
                for event in events {
                    switch event {
                    case .message(let m): messages.append(m)
                    case .error(let error, let topic, let partition):
                        logger.warning("consumer error", metadata: ["error": "\(error)", "kafka.topic": "\(topic ?? "")", "kafka.partition": "\(partition ?? -1)"])
                    }
                }
                if messages.isEmpty { continue }
                guard await handle(messages) else { break }
                do { try await consumer.storeOffsets(of: messages) } catch {
                    logger.warning("offsets not stored", metadata: ["error": "\(error)"])
                }
                // The lag of each partition the batch came from, after its last record.
                var lastOfPartition: [String: KafkaMessage] = [:]
                for m in messages { lastOfPartition["\(m.topic)/\(m.partition)"] = m }
                for m in lastOfPartition.values {
                    metrics.consumerLag(topic: m.topic, partition: m.partition).set(await consumer.lag(after: m))
                }
            }
        }
        await consumer.close()
        logger.info("consumer closed; stored offsets committed")
    }

    /// Applies the messages; true when every one is done (applied, duplicate, ignored or
    /// dead-lettered) and their offsets may be stored, false when shutting down before that.
    func handle(_ messages: [KafkaMessage]) async -> Bool {
        var batch: [Delivery] = []
        for message in messages {
            do { batch.append(try applier.prepare(message)) } catch {
                // Undecodable: nothing to apply. Later records of the batch still go in order.
                guard await deadLetter(message, error: error) else { return false }
            }
        }
        if batch.isEmpty { return true }
        switch await applyRetrying(batch, untilAttempts: batch.count == 1 ? Self.maxAttempts : 1) {
        case .done: return true
        case .shuttingDown: return false
        case .failed:
            // Find the record that fails: apply one at a time, in order.
            for delivery in batch {
                switch await applyRetrying([delivery], untilAttempts: Self.maxAttempts) {
                case .done: continue
                case .shuttingDown: return false
                case .failed(let error):
                    guard await deadLetter(delivery.message, error: error) else { return false }
                }
            }
            return true
        }
    }

    enum BatchResult { case done, shuttingDown, failed(any Error) }

    /// Applies the batch, retrying a lost database for as long as it takes and other failures
    /// until `untilAttempts`.
    private func applyRetrying(_ batch: [Delivery], untilAttempts: Int) async -> BatchResult {
        var attempt = 0
        var delay = Duration.milliseconds(200)
        while true {
            attempt += 1
            do {
                let outcomes = try await applier.apply(batch, skipRebuilding: true)
                for (d, outcome) in zip(batch, outcomes) {
                    metrics.eventsConsumed(topic: d.message.topic, result: outcome.rawValue).increment()
                    Correlation.$id.withValue(d.envelope.correlationId) {
                        logger.debug("event consumed", metadata: ["event.id": "\(d.envelope.id)", "event.type": "\(d.envelope.type)", "outcome": "\(outcome.rawValue)"])
                    }
                }
                if outcomes.contains(.applied) { applied() }
                return .done
            } catch {
                let transient = (error as? PostgresError)?.isTransient ?? false
                if !transient && attempt >= untilAttempts { return .failed(error) }
                logger.warning("event effect failed; retrying", metadata: [
                    "events": "\(batch.count)", "event.id": "\(batch[0].envelope.id)", "attempt": "\(attempt)", "error": "\(error)"])
                if Task.isShuttingDownGracefully || Task.isCancelled { return .shuttingDown }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// Sends the record as it came, plus the error, to the dead-letter topic. Retries until the
    /// broker takes it, so the partition never moves past a record that went nowhere.
    private func deadLetter(_ message: KafkaMessage, error: any Error) async -> Bool {
        logger.error("event sent to the dead-letter topic",
                     metadata: ["kafka.topic": "\(message.topic)", "kafka.partition": "\(message.partition)",
                                "kafka.offset": "\(message.offset)", "error": "\(error)"])
        let headers = message.headers + [
            KafkaHeader(key: "kpi_dlq_error", string: "\(error)"),
            KafkaHeader(key: "kpi_dlq_topic", string: message.topic),
            KafkaHeader(key: "kpi_dlq_partition", string: String(message.partition)),
            KafkaHeader(key: "kpi_dlq_offset", string: String(message.offset)),
            KafkaHeader(key: "kpi_dlq_group", string: config.consumerGroup),
        ]
        let record = KafkaRecord(topic: Topics.deadLetter.name, key: message.key ?? "", value: message.value, headers: headers)
        while true {
            do {
                _ = try await producer.send(record)
                metrics.eventsConsumed(topic: message.topic, result: ProjectionApplier.Outcome.deadlettered.rawValue).increment()
                return true
            } catch {
                logger.warning("dead-letter send failed; retrying", metadata: ["error": "\(error)"])
                if Task.isShuttingDownGracefully || Task.isCancelled { return false }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
