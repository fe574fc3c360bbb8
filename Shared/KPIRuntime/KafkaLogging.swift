import KPIKafka
import Logging

/// librdkafka's own log lines, into the service's structured log. A consumer position that the
/// broker no longer held is counted and logged as an error: events may be missing from the
/// broker (run the republish command), and nothing is skipped silently.
func kafkaLogHandler(logger: Logger, metrics: ServiceMetrics) -> KafkaLogHandler {
    { line in
        if line.isOffsetResetAfterError {
            metrics.offsetResets(topic: line.topic ?? "").increment()
            logger.error("consumer position no longer on the broker; reading from the earliest event it holds",
                         metadata: ["kafka.log": "\(line.message)"])
            return
        }
        let level: Logger.Level = switch line.level {
        case ...3: .error
        case 4: .warning
        case 5, 6: .info
        default: .debug
        }
        logger.log(level: level, "\(line.message)", metadata: ["kafka.facility": "\(line.facility)"])
    }
}
