/// The Thai national ID (เลขประจำตัวประชาชน): 13 digits, the last a check digit. Personal data:
/// shown masked except to administrators, never written to logs or events.
public struct NationalID: Sendable, Equatable, CustomStringConvertible {
    public let digits: String

    /// Accepts digits with optional spaces or dashes ("1-2345-67890-12-1"); nil when not valid.
    public init?(_ text: String) {
        let digits = text.filter { $0 != " " && $0 != "-" }
        guard digits.count == 13, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let d = digits.compactMap { $0.wholeNumberValue }
        let sum = (0..<12).reduce(0) { $0 + d[$1] * (13 - $1) }
        guard (11 - sum % 11) % 10 == d[12] else { return nil }
        self.digits = digits
    }

    /// "1-2345-xxxxx-xx-1": the first five and the last digit, as on a printed card.
    public var masked: String {
        let c = Array(digits)
        return "\(c[0])-\(String(c[1...4]))-xxxxx-xx-\(c[12])"
    }

    /// Never the digits themselves, so interpolating one into a log line leaks nothing.
    public var description: String { masked }
}
