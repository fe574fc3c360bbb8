import Foundation

/// The correlation id of the work at hand. Set by the HTTP middleware (from `X-Correlation-Id`
/// or W3C `traceparent`, else new) and by the event consumer (from `ce_correlationid`); read by
/// the outbox, so events carry it, and by the log handler, so every line shows it.
public enum Correlation {
    @TaskLocal public static var id: String?

    public static func newId() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// Accepts an inbound id only if it is short and plain, so logs cannot be forged through it.
    public static func sanitize(_ text: String?) -> String? {
        guard let text, !text.isEmpty, text.count <= 64,
              text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) })
        else { return nil }
        return text
    }

    /// The trace id of a W3C `traceparent` header (`00-<32 hex>-<16 hex>-<2 hex>`).
    public static func traceId(fromTraceparent header: String?) -> String? {
        guard let parts = header?.split(separator: "-"), parts.count == 4, parts[1].count == 32 else { return nil }
        return sanitize(String(parts[1]))
    }
}
