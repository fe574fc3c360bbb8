@preconcurrency import CRdKafka
import Foundation

/// An idempotent producer (enable.idempotence=true, acks=all, zstd) whose `send` returns only
/// after librdkafka's delivery report for that record.
///
/// - Important: a dedicated thread serves delivery reports (`rd_kafka_poll`); `close()` flushes
///   what is in flight and stops it.
public final class KafkaProducer: @unchecked Sendable {
    private let rk: OpaquePointer
    private let logSink: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var closed = false
    /// Signalled by the poll thread when it has left `rd_kafka_poll` for good: only then may
    /// the handle be destroyed.
    private let pollThreadDone = DispatchSemaphore(value: 0)
    /// Blocking calls other than produce (flush, metadata, close) run here, one at a time, so
    /// none of them can run on a handle that `close()` destroyed.
    private let control = DispatchQueue(label: "kpi.kafka.producer.control")
    /// Where records are handed to librdkafka, in the order `sendAll` was called.
    private let sendQueue = DispatchQueue(label: "kpi.kafka.producer.send")

    /// Defaults that every producer of ours uses; `settings` may add to them (bootstrap.servers, client.id).
    public static let defaults: [String: String] = [
        "enable.idempotence": "true",
        "acks": "all",
        "compression.type": "zstd",
        "linger.ms": "5",
        "message.timeout.ms": "30000",
    ]

    public init(settings: [String: String], log: @escaping KafkaLogHandler) throws {
        let conf = try makeConf(Self.defaults.merging(settings) { _, new in new })
        rd_kafka_conf_set_dr_msg_cb(conf, deliveryReport)
        let sink = installLogSink(conf, log)
        do { rk = try newClient(RD_KAFKA_PRODUCER, conf) } catch {
            releaseLogSink(sink)
            throw error
        }
        logSink = sink
        let thread = Thread { [self] in
            while !isClosed { rd_kafka_poll(rk, 100) }
            pollThreadDone.signal()
        }
        thread.name = "kpi.kafka.producer.poll"
        thread.start()
    }

    private var isClosed: Bool { lock.withLock { closed } }

    /// Enqueues the records in order and waits for every delivery report. Records with the
    /// same key keep their order (idempotent producer, same partition).
    ///
    /// Enqueueing runs on the producer's send queue, never on Swift's cooperative pool (a full
    /// local queue makes it wait), and one `sendAll` is enqueued whole before the next one or
    /// `close()` starts.
    public func sendAll(_ records: [KafkaRecord]) async -> [Result<KafkaDelivery, KafkaError>] {
        if records.isEmpty { return [] }
        return await withCheckedContinuation { (cont: CheckedContinuation<[Result<KafkaDelivery, KafkaError>], Never>) in
            let batch = DeliveryBatch(count: records.count, cont)
            sendQueue.async { [self] in
                for (i, record) in records.enumerated() {
                    let box = Unmanaged.passRetained(DeliveryBox { batch.set(i, $0) }).toOpaque()
                    if let error = enqueue(record, opaque: box) {
                        Unmanaged<DeliveryBox>.fromOpaque(box).release()
                        batch.set(i, .failure(error))
                    }
                }
            }
        }
    }

    /// Hands the record to librdkafka (copying key, value and headers); retries briefly when
    /// its local queue is full.
    private func enqueue(_ record: KafkaRecord, opaque: UnsafeMutableRawPointer) -> KafkaError? {
        if isClosed { return KafkaError(code: -1, message: "producer closed") }
        let topic = strdup(record.topic)!, key = strdup(record.key)!
        var value = record.value
        let headerNames = record.headers.map { strdup($0.key)! }
        defer { free(topic); free(key); headerNames.forEach { free($0) } }
        for attempt in 0..<100 {
            let err: OpaquePointer? = value.withUnsafeMutableBytes { valueBuf in
                var vus: [rd_kafka_vu_t] = []
                var vu = rd_kafka_vu_t()
                vu.vtype = RD_KAFKA_VTYPE_TOPIC; vu.u.cstr = UnsafePointer(topic); vus.append(vu)
                vu = rd_kafka_vu_t()
                vu.vtype = RD_KAFKA_VTYPE_KEY; vu.u.mem.ptr = UnsafeMutableRawPointer(key); vu.u.mem.size = strlen(key); vus.append(vu)
                vu = rd_kafka_vu_t()
                vu.vtype = RD_KAFKA_VTYPE_VALUE; vu.u.mem.ptr = valueBuf.baseAddress; vu.u.mem.size = valueBuf.count; vus.append(vu)
                vu = rd_kafka_vu_t()
                vu.vtype = RD_KAFKA_VTYPE_MSGFLAGS; vu.u.i = RD_KAFKA_MSG_F_COPY; vus.append(vu)
                vu = rd_kafka_vu_t()
                vu.vtype = RD_KAFKA_VTYPE_OPAQUE; vu.u.ptr = opaque; vus.append(vu)
                return withHeaderValues(record.headers) { valuePtrs in
                    for (i, h) in record.headers.enumerated() {
                        var hv = rd_kafka_vu_t()
                        hv.vtype = RD_KAFKA_VTYPE_HEADER
                        hv.u.header.name = UnsafePointer(headerNames[i])
                        hv.u.header.val = valuePtrs[i]
                        hv.u.header.size = h.value.count
                        vus.append(hv)
                    }
                    return rd_kafka_produceva(rk, vus, vus.count)
                }
            }
            guard let err else { return nil }
            let code = rd_kafka_error_code(err)
            let error = KafkaError(code: code.rawValue, message: String(cString: rd_kafka_error_string(err)))
            rd_kafka_error_destroy(err)
            if code == RD_KAFKA_RESP_ERR__QUEUE_FULL, attempt < 99 {
                usleep(10_000)
                continue
            }
            return error
        }
        return KafkaError(code: -1, message: "queue full")
    }

    /// Waits until every record in flight has its delivery report, up to `timeoutMs`.
    @discardableResult
    public func flush(timeoutMs: Int32 = 10_000) async -> Bool {
        await withCheckedContinuation { cont in
            control.async { [self] in
                cont.resume(returning: !isClosed && rd_kafka_flush(rk, timeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR)
            }
        }
    }

    /// True when the cluster answered a metadata request within `timeoutMs`.
    public func isBrokerReachable(timeoutMs: Int32 = 1000) async -> Bool {
        await withCheckedContinuation { cont in
            control.async { [self] in cont.resume(returning: !isClosed && fetchMetadata(rk, timeoutMs: timeoutMs) != nil) }
        }
    }

    /// Partition counts of the cluster's topics, nil when it does not answer.
    public func topicPartitions(timeoutMs: Int32 = 2000) async -> [String: Int]? {
        await withCheckedContinuation { cont in
            control.async { [self] in cont.resume(returning: isClosed ? nil : fetchMetadata(rk, timeoutMs: timeoutMs)) }
        }
    }

    /// Flushes, stops the poll thread and destroys the handle. Safe to call twice. Sends that
    /// were enqueued before it are flushed; whatever is still undelivered after `timeoutMs` is
    /// purged, and its waiters get a failure, so no caller of `sendAll` waits forever.
    public func close(timeoutMs: Int32 = 10_000) async {
        guard lock.withLock({ () -> Bool in
            if closed { return false }
            closed = true
            return true
        }) else { return }
        await withCheckedContinuation { (cont: CheckedContinuation<Void, Never>) in
            // After every send enqueued before the close, then after any control call.
            sendQueue.async { [self] in
                control.async { [self] in
                    pollThreadDone.wait()
                    rd_kafka_flush(rk, timeoutMs)
                    rd_kafka_purge(rk, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
                    // Serve the purged records' delivery reports: each fails its waiter.
                    var rounds = 0
                    while rd_kafka_outq_len(rk) > 0 && rounds < 100 {
                        rd_kafka_poll(rk, 50)
                        rounds += 1
                    }
                    rd_kafka_destroy(rk)
                    releaseLogSink(logSink)
                    cont.resume()
                }
            }
        }
    }
}

final class DeliveryBox {
    let done: (Result<KafkaDelivery, KafkaError>) -> Void
    init(_ done: @escaping (Result<KafkaDelivery, KafkaError>) -> Void) { self.done = done }
}

/// Collects the delivery reports of one `sendAll` and resumes its waiter after the last one.
final class DeliveryBatch: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<KafkaDelivery, KafkaError>?]
    private var remaining: Int
    private let cont: CheckedContinuation<[Result<KafkaDelivery, KafkaError>], Never>

    init(count: Int, _ cont: CheckedContinuation<[Result<KafkaDelivery, KafkaError>], Never>) {
        results = Array(repeating: nil, count: count)
        remaining = count
        self.cont = cont
    }

    func set(_ index: Int, _ result: Result<KafkaDelivery, KafkaError>) {
        let finished: [Result<KafkaDelivery, KafkaError>]? = lock.withLock {
            results[index] = result
            remaining -= 1
            return remaining == 0 ? results.map { $0! } : nil
        }
        if let finished { cont.resume(returning: finished) }
    }
}

private let deliveryReport: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = { _, msg, _ in
    guard let msg, let opaque = msg.pointee._private else { return }
    let box = Unmanaged<DeliveryBox>.fromOpaque(opaque).takeRetainedValue()
    let err = msg.pointee.err
    if err != RD_KAFKA_RESP_ERR_NO_ERROR {
        box.done(.failure(KafkaError(err)))
    } else {
        let topic = msg.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        box.done(.success(KafkaDelivery(topic: topic, partition: msg.pointee.partition, offset: msg.pointee.offset)))
    }
}

private func withHeaderValues<R>(_ headers: [KafkaHeader], _ body: ([UnsafeRawPointer?]) -> R) -> R {
    let copies = headers.map { h -> UnsafeMutableRawPointer? in
        let p = malloc(max(h.value.count, 1))!
        h.value.withUnsafeBytes { if let base = $0.baseAddress { p.copyMemory(from: base, byteCount: $0.count) } }
        return p
    }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafeRawPointer($0) })
}

extension KafkaProducer {
    /// Produces one record and waits for its delivery report.
    public func send(_ record: KafkaRecord) async throws -> KafkaDelivery {
        try await sendAll([record])[0].get()
    }
}
