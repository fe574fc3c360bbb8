import Foundation

/// A Swift value that travels to PostgreSQL as a text-format bind parameter.
public protocol PostgresEncodable: Sendable {
    var postgresText: String { get }
}

/// A Swift value read from a text-format result column.
public protocol PostgresDecodable: Sendable {
    static func decode(postgresText text: String) throws -> Self
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: String) throws -> Self { try Wrapped.decode(postgresText: text) }
}

extension String: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { self }
    public static func decode(postgresText text: String) throws -> String { text }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { String(self) }
    public static func decode(postgresText text: String) throws -> Int {
        guard let v = Int(text) else { throw PostgresError.decoding("not an integer: \(text.prefix(40))") }
        return v
    }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { String(self) }
    public static func decode(postgresText text: String) throws -> Int64 {
        guard let v = Int64(text) else { throw PostgresError.decoding("not an integer: \(text.prefix(40))") }
        return v
    }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { String(self) }
    public static func decode(postgresText text: String) throws -> Int32 {
        guard let v = Int32(text) else { throw PostgresError.decoding("not an int4: \(text.prefix(40))") }
        return v
    }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { String(self) }
    public static func decode(postgresText text: String) throws -> Double {
        guard let v = Double(text) else { throw PostgresError.decoding("not a number: \(text.prefix(40))") }
        return v
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { self ? "t" : "f" }
    public static func decode(postgresText text: String) throws -> Bool {
        switch text {
        case "t", "true": return true
        case "f", "false": return false
        default: throw PostgresError.decoding("not a boolean: \(text.prefix(40))")
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { uuidString.lowercased() }
    public static func decode(postgresText text: String) throws -> UUID {
        guard let v = UUID(uuidString: text) else { throw PostgresError.decoding("not a uuid: \(text.prefix(40))") }
        return v
    }
}

extension Date: PostgresEncodable, PostgresDecodable {
    /// Timestamps travel as ISO 8601 in UTC; columns are `timestamptz`, sessions run in UTC.
    public var postgresText: String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: self)
    }

    public static func decode(postgresText text: String) throws -> Date {
        // PostgreSQL's text output in a UTC session: "2026-11-25 22:10:48.123456+00"
        var t = Substring(text)
        if t.hasSuffix("+00") { t = t.dropLast(3) }
        let parts = t.split(separator: ".", maxSplits: 1)
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        f.timeZone = TimeZone(identifier: "UTC")
        guard let first = parts.first, let base = f.date(from: String(first)) else {
            throw PostgresError.decoding("not a timestamp: \(text.prefix(40))")
        }
        let fraction = parts.count == 2 ? (Double("0." + parts[1]) ?? 0) : 0
        return base.addingTimeInterval(fraction)
    }
}

/// Raw bytes for `bytea` columns (sent and read in PostgreSQL's hex form).
public struct PostgresBytes: PostgresEncodable, PostgresDecodable, Equatable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var postgresText: String {
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 2 + bytes.count * 2)
        out[0] = UInt8(ascii: "\\"); out[1] = UInt8(ascii: "x")
        for (i, b) in bytes.enumerated() {
            out[2 + 2 * i] = hex[Int(b >> 4)]
            out[3 + 2 * i] = hex[Int(b & 0xF)]
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(postgresText text: String) throws -> PostgresBytes {
        let u = Array(text.utf8)
        guard u.count >= 2, u[0] == UInt8(ascii: "\\"), u[1] == UInt8(ascii: "x"), u.count % 2 == 0 else {
            throw PostgresError.decoding("bytea not in hex form")
        }
        func nibble(_ c: UInt8) throws -> UInt8 {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: throw PostgresError.decoding("bad hex digit in bytea")
            }
        }
        var out = [UInt8](); out.reserveCapacity((u.count - 2) / 2)
        var i = 2
        while i < u.count { out.append(try nibble(u[i]) << 4 | nibble(u[i + 1])); i += 2 }
        return PostgresBytes(out)
    }
}
