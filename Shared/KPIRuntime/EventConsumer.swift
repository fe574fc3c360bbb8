import Foundation
import KPIEvents
import KPIKafka
import KPIPostgres
import Logging
import ServiceLifecycle

/// Consumes other services' events exactly once in effect: the event id goes into the inbox
/// in the same transaction as the effect, and the offset is stored only after that commit.
/// A record that cannot be decoded goes to the dead-letter topic with the error, and the
/// partition moves on. A lost database waits and retries; nothing is skipped.
public final class EventConsumer: Service, @unchecked Sendable {
    let config: ServiceConfig
    let handlers: EventHandlers
    let database: ServiceDatabase
    let producer: KafkaProducer
    let metrics: ServiceMetrics
    let logger: Logger
    private let lock = NSLock()
    private var consumer: KafkaConsumer?
    /// Effects that fail this often for a reason other than a lost connection are dead-lettered.
    static let maxAttempts = 5

    public init(config: ServiceConfig, handlers: EventHandlers, database: ServiceDatabase, producer: KafkaProducer,
                metrics: ServiceMetrics, logger: Logger) {
        self.config = config; self.handlers = handlers; self.database = database
        self.producer = producer; self.metrics = metrics; self.logger = logger
    }

    /// True while the consumer exists and the broker answers.
    public func isBrokerReachable() async -> Bool {
        guard let consumer = lock.withLock({ self.consumer }) else { return false }
        return await consumer.isBrokerReachable()
    }

    public func run() async throws {
        let consumer = try KafkaConsumer(
            settings: config.kafkaSettings.merging(["group.id": config.consumerGroup]) { _, new in new },
            topics: handlers.topics, log: kafkaLogHandler(logger: logger, metrics: metrics))
        lock.withLock { self.consumer = consumer }
        logger.info("consuming", metadata: ["kafka.topics": "\(handlers.topics)", "kafka.group": "\(config.consumerGroup)"])
        // Graceful shutdown cancels the loop between records; a record being applied finishes
        // first (database calls do not stop half-way), and its offset is stored.
        await cancelOnGracefulShutdown { [self] in
            for await event in consumer.events {
                switch event {
                case .message(let message):
                    if await handle(message, consumer: consumer) {
                        do { try await consumer.storeOffset(of: message) } catch {
                            logger.warning("offset not stored", metadata: ["error": "\(error)"])
                        }
                        metrics.consumerLag(topic: message.topic, partition: message.partition).set(consumer.lag(after: message))
                    }
                case .error(let error, let topic, let partition):
                    logger.warning("consumer error", metadata: ["error": "\(error)", "kafka.topic": "\(topic ?? "")", "kafka.partition": "\(partition ?? -1)"])
                }
            }
        }
        await consumer.close()
        logger.info("consumer closed; stored offsets committed")
    }

    enum Outcome: String { case applied, duplicate, ignored, deadlettered }

    /// Returns true when the message is done (applied, duplicate, ignored or dead-lettered) and
    /// its offset may be stored; false when shutting down before it was done.
    func handle(_ message: KafkaMessage, consumer: KafkaConsumer) async -> Bool {
        let headers = Dictionary(message.headers.map { ($0.key, String(decoding: $0.value, as: UTF8.self)) }) { _, last in last }
        let envelope: EventEnvelope
        do {
            envelope = try EventEnvelope(headers: headers, key: message.key, value: message.value)
        } catch {
            return await deadLetter(message, error: error)
        }
        return await Correlation.$id.withValue(envelope.correlationId) {
            var attempt = 0
            var delay = Duration.milliseconds(200)
            while true {
                attempt += 1
                do {
                    let outcome = try await apply(envelope, message)
                    metrics.eventsConsumed(topic: message.topic, result: outcome.rawValue).increment()
                    logger.debug("event consumed", metadata: ["event.id": "\(envelope.id)", "event.type": "\(envelope.type)", "outcome": "\(outcome.rawValue)"])
                    return true
                } catch let error as EventDecodingError {
                    return await deadLetter(message, error: error)
                } catch {
                    let transient = (error as? PostgresError)?.isTransient ?? false
                    if !transient && attempt >= Self.maxAttempts {
                        return await deadLetter(message, error: error)
                    }
                    logger.warning("event effect failed; retrying", metadata: ["event.id": "\(envelope.id)", "attempt": "\(attempt)", "error": "\(error)"])
                    if Task.isShuttingDownGracefully { return false }
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(5))
                }
            }
        }
    }

    private func apply(_ envelope: EventEnvelope, _ message: KafkaMessage) async throws -> Outcome {
        try await database.transaction { tx in
            let inserted = try await tx.execute("""
                INSERT INTO inbox (event_id, event_type, source, topic, partition, "offset")
                VALUES (\(envelope.id), \(envelope.type), \(envelope.source), \(message.topic), \(Int(message.partition)), \(message.offset))
                ON CONFLICT (event_id) DO NOTHING
                """)
            guard inserted == 1 else { return .duplicate }
            let effects = handlers.handlers(for: envelope.type)
            for effect in effects { try await effect(envelope, tx) }
            return effects.isEmpty ? .ignored : .applied
        }
    }

    /// Sends the record as it came, plus the error, to the dead-letter topic. Retries until the
    /// broker takes it, so the partition never moves past a record that went nowhere.
    private func deadLetter(_ message: KafkaMessage, error: any Error) async -> Bool {
        logger.error("undecodable event sent to the dead-letter topic",
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
                metrics.eventsConsumed(topic: message.topic, result: Outcome.deadlettered.rawValue).increment()
                return true
            } catch {
                logger.warning("dead-letter send failed; retrying", metadata: ["error": "\(error)"])
                if Task.isShuttingDownGracefully { return false }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
