@preconcurrency import CRdKafka

/// One line that librdkafka logged. `level` is syslog's (3 error, 4 warning, 6 info, 7 debug).
public struct KafkaLogLine: Sendable {
    public var level: Int32
    public var facility: String
    public var message: String

    public init(level: Int32, facility: String, message: String) {
        self.level = level; self.facility = facility; self.message = message
    }

    /// librdkafka moved a consumer's position because the stored one was not on the broker any
    /// more (fell behind retention, or the broker lost its data). Logged by librdkafka as a
    /// warning with facility OFFSET; a fresh group's first reset is only debug-logged.
    public var isOffsetResetAfterError: Bool { facility == "OFFSET" && level <= 4 && message.contains("offset reset") }

    /// The topic named at the start of an OFFSET line ("topic [3]: offset reset …").
    public var topic: String? {
        guard let r = message.range(of: " [") else { return nil }
        return String(message[..<r.lowerBound])
    }
}

public typealias KafkaLogHandler = @Sendable (KafkaLogLine) -> Void

/// Holds the handler for the C callback, which finds it through the client's opaque pointer.
final class KafkaLogSink {
    let handler: KafkaLogHandler
    init(_ handler: @escaping KafkaLogHandler) { self.handler = handler }
}

/// Routes librdkafka's log lines to `handler` instead of stderr. The returned pointer is the
/// retained sink; release it after `rd_kafka_destroy`.
func installLogSink(_ conf: OpaquePointer, _ handler: @escaping KafkaLogHandler) -> UnsafeMutableRawPointer {
    let sink = Unmanaged.passRetained(KafkaLogSink(handler)).toOpaque()
    rd_kafka_conf_set_opaque(conf, sink)
    rd_kafka_conf_set_log_cb(conf, kafkaLogCallback)
    return sink
}

func releaseLogSink(_ sink: UnsafeMutableRawPointer) {
    Unmanaged<KafkaLogSink>.fromOpaque(sink).release()
}

private let kafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = { rk, level, fac, buf in
    guard let rk, let opaque = rd_kafka_opaque(rk) else { return }
    let sink = Unmanaged<KafkaLogSink>.fromOpaque(opaque).takeUnretainedValue()
    sink.handler(KafkaLogLine(level: level, facility: fac.map { String(cString: $0) } ?? "",
                              message: buf.map { String(cString: $0) } ?? ""))
}
