import Foundation
import KPIEvents
import Logging

/// Writes one JSON object per line to stdout: time, level, service, logger label, message,
/// the task's correlation id and the metadata (dotted keys).
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let service: String

    public init(label: String, service: String, level: Logger.Level) {
        self.label = label; self.service = service; self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [
            "time": EventCoding.formatTime(Date()), "level": event.level.rawValue, "service": service,
            "logger": label, "msg": event.message.description,
        ]
        if let id = Correlation.id { fields["correlation.id"] = id }
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) {
            fields[k] = "\(v)"
        }
        if event.level >= .error { fields["source"] = "\(event.file):\(event.line)" }
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        var line = data
        line.append(0x0A)
        // One write(2) per line: lines from several threads never interleave.
        FileHandle.standardOutput.write(line)
    }
}

