@preconcurrency import CRdKafka
import Foundation

/// What `poll` hands back: a record, or an error the consumer should know about.
public enum KafkaConsumerEvent: Sendable {
    case message(KafkaMessage)
    /// A consumer error reported by librdkafka (it keeps trying on its own).
    case error(KafkaError, topic: String?, partition: Int32?)
}

/// A consumer-group consumer with explicit offset storage: an offset is stored only when the
/// caller says the message's effect is committed (`enable.auto.offset.store=false`), and stored
/// offsets are committed in the background and on close.
///
/// - Important: every call into librdkafka runs on one dedicated queue, never on Swift's
///   cooperative pool; `close()` commits stored offsets and leaves the group.
public final class KafkaConsumer: @unchecked Sendable {
    private let rk: OpaquePointer
    private let logSink: UnsafeMutableRawPointer
    private let queue = DispatchQueue(label: "kpi.kafka.consumer")
    private let lock = NSLock()
    private var closed = false

    public static let defaults: [String: String] = [
        "enable.auto.offset.store": "false",
        "enable.auto.commit": "true",
        "auto.commit.interval.ms": "1000",
        // A fresh group starts from the beginning. A stored position that the broker no longer
        // holds also restarts from the beginning, and librdkafka logs it as an OFFSET warning,
        // which reaches the log handler (`KafkaLogLine.isOffsetResetAfterError`).
        "auto.offset.reset": "earliest",
        "session.timeout.ms": "6000",
        "fetch.wait.max.ms": "10",
        "enable.partition.eof": "false",
    ]

    public init(settings: [String: String], topics: [String], log: @escaping KafkaLogHandler) throws {
        let conf = try makeConf(Self.defaults.merging(settings) { _, new in new })
        let sink = installLogSink(conf, log)
        do { rk = try newClient(RD_KAFKA_CONSUMER, conf) } catch {
            releaseLogSink(sink)
            throw error
        }
        logSink = sink
        rd_kafka_poll_set_consumer(rk)
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for t in topics { rd_kafka_topic_partition_list_add(list, t, RD_KAFKA_PARTITION_UA) }
        let err = rd_kafka_subscribe(rk, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            rd_kafka_destroy(rk)
            releaseLogSink(sink)
            throw KafkaError(err)
        }
    }

    /// True once `close()` began: polling returns nothing from then on.
    public var isClosed: Bool { lock.withLock { closed } }

    /// Waits up to `timeoutMs` for the next event; nil when none came or the consumer is closed.
    public func poll(timeoutMs: Int32 = 100) async -> KafkaConsumerEvent? {
        await withCheckedContinuation { cont in
            queue.async { [self] in
                guard !isClosed, let msg = rd_kafka_consumer_poll(rk, timeoutMs) else { return cont.resume(returning: nil) }
                defer { rd_kafka_message_destroy(msg) }
                cont.resume(returning: Self.event(from: msg))
            }
        }
    }

    private static func event(from msg: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaConsumerEvent {
        let m = msg.pointee
        let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) }
        if m.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = String(cString: rd_kafka_message_errstr(msg))
            return .error(KafkaError(code: m.err.rawValue, message: text), topic: topic, partition: m.partition)
        }
        let value = m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) } ?? []
        let key = m.key.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: m.key_len), as: UTF8.self) }
        var headers: [KafkaHeader] = []
        var hdrs: OpaquePointer?
        if rd_kafka_message_headers(msg, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs {
            var idx = 0
            var name: UnsafePointer<CChar>?
            var val: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(hdrs, idx, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let bytes = val.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
                headers.append(KafkaHeader(key: name.map { String(cString: $0) } ?? "", value: bytes))
                idx += 1
            }
        }
        return .message(KafkaMessage(topic: topic ?? "", partition: m.partition, offset: m.offset,
                                     key: key, value: value, headers: headers))
    }

    /// Marks every message as done; per partition the highest offset counts.
    public func storeOffsets(of messages: [KafkaMessage]) async throws {
        var highest: [String: [Int32: Int64]] = [:]
        for m in messages { highest[m.topic, default: [:]][m.partition] = max(highest[m.topic]?[m.partition] ?? 0, m.offset + 1) }
        if highest.isEmpty { return }
        let next = highest
        try await onQueue { [self] in
            guard !isClosed else { throw KafkaError(code: -1, message: "consumer closed") }
            let list = rd_kafka_topic_partition_list_new(Int32(messages.count))!
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for (topic, partitions) in next {
                for (partition, offset) in partitions {
                    rd_kafka_topic_partition_list_add(list, topic, partition)!.pointee.offset = offset
                }
            }
            let err = rd_kafka_offsets_store(rk, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err) }
        }
    }

    /// Messages behind the end of the partition after `message` (from librdkafka's cached
    /// high watermark; no broker round trip), read on the consumer's queue like every call.
    public func lag(after message: KafkaMessage) async -> Int64 {
        await withCheckedContinuation { cont in
            queue.async { [self] in
                var low: Int64 = 0, high: Int64 = 0
                guard !isClosed, rd_kafka_get_watermark_offsets(rk, message.topic, message.partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR
                else { return cont.resume(returning: 0) }
                cont.resume(returning: max(0, high - message.offset - 1))
            }
        }
    }

    /// Waits up to `timeoutMs` for a first event, then takes whatever else is already fetched,
    /// up to `max` records in all; stops early at an error event so the caller sees it in order.
    public func pollBatch(max: Int, timeoutMs: Int32 = 100) async -> [KafkaConsumerEvent] {
        await withCheckedContinuation { cont in
            queue.async { [self] in
                var events: [KafkaConsumerEvent] = []
                var wait = timeoutMs
                while events.count < max, !isClosed, let msg = rd_kafka_consumer_poll(rk, wait) {
                    let event = Self.event(from: msg)
                    rd_kafka_message_destroy(msg)
                    events.append(event)
                    if case .error = event { break }
                    wait = 0
                }
                cont.resume(returning: events)
            }
        }
    }

    /// The first and next offset (low and high watermark) of each partition of `topics`, asked of the broker.
    public func watermarks(topics: [String: Int32], timeoutMs: Int32 = 5000) async throws -> [String: [Int32: Range<Int64>]] {
        try await withCheckedThrowingContinuation { cont in
            queue.async { [self] in
                var result: [String: [Int32: Range<Int64>]] = [:]
                for (topic, partitions) in topics {
                    for p in 0..<partitions {
                        var low: Int64 = 0, high: Int64 = 0
                        let err = rd_kafka_query_watermark_offsets(rk, topic, p, &low, &high, timeoutMs)
                        if err != RD_KAFKA_RESP_ERR_NO_ERROR { return cont.resume(throwing: KafkaError(err)) }
                        result[topic, default: [:]][p] = low..<max(low, high)
                    }
                }
                cont.resume(returning: result)
            }
        }
    }

    /// True when the cluster answered a metadata request within `timeoutMs`.
    public func isBrokerReachable(timeoutMs: Int32 = 1000) async -> Bool {
        await withCheckedContinuation { cont in
            queue.async { [self] in cont.resume(returning: !isClosed && fetchMetadata(rk, timeoutMs: timeoutMs) != nil) }
        }
    }

    /// Commits stored offsets, leaves the group and destroys the handle. Safe to call twice.
    public func close() async {
        guard lock.withLock({ () -> Bool in
            if closed { return false }
            closed = true
            return true
        }) else { return }
        await withCheckedContinuation { (cont: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                rd_kafka_commit(rk, nil, 0)
                rd_kafka_consumer_close(rk)
                rd_kafka_destroy(rk)
                releaseLogSink(logSink)
                cont.resume()
            }
        }
    }

    private func onQueue(_ work: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, any Error>) in
            queue.async { cont.resume(with: Result { try work() }) }
        }
    }
}
