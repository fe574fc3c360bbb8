import Foundation

/// Reads configuration from environment variables. Every variable the system reads is named
/// `KPI_…` and documented in README.md's configuration table.
public struct EnvironmentVariables: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    public func string(_ key: String, default value: String) -> String {
        guard let v = values[key], !v.isEmpty else { return value }
        return v
    }

    public func int(_ key: String, default value: Int) throws -> Int {
        guard let text = values[key], !text.isEmpty else { return value }
        guard let v = Int(text) else { throw ConfigError(key: key, reason: "must be a whole number, got \(text)") }
        return v
    }

    public func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let text = values[key]?.lowercased(), !text.isEmpty else { return value }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigError(key: key, reason: "must be true or false, got \(text)")
        }
    }
}

public struct ConfigError: Error, CustomStringConvertible {
    public var key: String
    public var reason: String
    public init(key: String, reason: String) { self.key = key; self.reason = reason }
    public var description: String { "configuration \(key) \(reason)" }
}
