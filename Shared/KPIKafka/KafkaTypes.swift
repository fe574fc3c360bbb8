@preconcurrency import CRdKafka

/// One Kafka header: binary-mode CloudEvents attributes travel as `ce_*` headers.
public struct KafkaHeader: Sendable, Equatable {
    public var key: String
    public var value: [UInt8]
    public init(key: String, value: [UInt8]) { self.key = key; self.value = value }
    public init(key: String, string: String) { self.init(key: key, value: Array(string.utf8)) }
}

/// A record to produce.
public struct KafkaRecord: Sendable {
    public var topic: String
    public var key: String
    public var value: [UInt8]
    public var headers: [KafkaHeader]
    public init(topic: String, key: String, value: [UInt8], headers: [KafkaHeader] = []) {
        self.topic = topic; self.key = key; self.value = value; self.headers = headers
    }
}

/// Where the broker stored a produced record.
public struct KafkaDelivery: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
}

/// A consumed record, copied out of librdkafka's memory.
public struct KafkaMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: String?
    public var value: [UInt8]
    public var headers: [KafkaHeader]

    public init(topic: String, partition: Int32, offset: Int64, key: String?, value: [UInt8], headers: [KafkaHeader]) {
        self.topic = topic; self.partition = partition; self.offset = offset
        self.key = key; self.value = value; self.headers = headers
    }

    public func header(_ key: String) -> String? {
        headers.last { $0.key == key }.map { String(decoding: $0.value, as: UTF8.self) }
    }
}

public struct KafkaError: Error, CustomStringConvertible, Sendable {
    public var code: Int32
    public var message: String
    public init(code: Int32, message: String) { self.code = code; self.message = message }
    init(_ err: rd_kafka_resp_err_t) {
        self.init(code: err.rawValue, message: String(cString: rd_kafka_err2str(err)))
    }
    public var description: String { "kafka error \(code): \(message)" }
}

/// Builds an `rd_kafka_conf_t`; the caller hands it to `rd_kafka_new`, which takes ownership.
func makeConf(_ settings: [String: String]) throws -> OpaquePointer {
    let conf = rd_kafka_conf_new()!
    var errbuf = [CChar](repeating: 0, count: 512)
    for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
        if rd_kafka_conf_set(conf, key, value, &errbuf, errbuf.count) != RD_KAFKA_CONF_OK {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(code: -1, message: "config \(key): " + String(cString: errbuf))
        }
    }
    return conf
}

func newClient(_ type: rd_kafka_type_t, _ conf: OpaquePointer) throws -> OpaquePointer {
    var errbuf = [CChar](repeating: 0, count: 512)
    guard let rk = rd_kafka_new(type, conf, &errbuf, errbuf.count) else {
        rd_kafka_conf_destroy(conf)
        throw KafkaError(code: -1, message: String(cString: errbuf))
    }
    return rk
}

/// Reads partition counts for topics from the cluster (blocking; call off the cooperative pool).
func fetchMetadata(_ rk: OpaquePointer, timeoutMs: Int32) -> [String: Int]? {
    var md: UnsafePointer<rd_kafka_metadata>?
    guard rd_kafka_metadata(rk, 1, nil, &md, timeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR, let md else { return nil }
    defer { rd_kafka_metadata_destroy(md) }
    var out: [String: Int] = [:]
    for i in 0..<Int(md.pointee.topic_cnt) {
        let t = md.pointee.topics[i]
        out[String(cString: t.topic)] = Int(t.partition_cnt)
    }
    return out
}

extension KafkaError {
    /// True when sending the same record again cannot succeed: it is too large or malformed
    /// for the broker. Other failures (timeouts, no leader, broker down) may pass later.
    public var isPermanent: Bool {
        [RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE, RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE,
         RD_KAFKA_RESP_ERR_INVALID_RECORD, RD_KAFKA_RESP_ERR__INVALID_ARG].contains { $0.rawValue == code }
    }
}
