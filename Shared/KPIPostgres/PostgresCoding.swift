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

    /// PostgreSQL's text output in a UTC session: "2026-11-25 22:10:48.123456+00". Parsed by
    /// hand (days from the civil date): a formatter per value cost more than the query.
    public static func decode(postgresText text: String) throws -> Date {
        let u = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= u.count else { return nil }
            var n = 0
            for c in u[from..<(from + count)] {
                guard (48...57).contains(c) else { return nil }
                n = n * 10 + Int(c - 48)
            }
            return n
        }
        guard u.count >= 19, u[4] == 45, u[7] == 45, u[10] == 32 || u[10] == 84, u[13] == 58, u[16] == 58,
              let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2),
              let h = number(11, 2), let mi = number(14, 2), let s = number(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else {
            throw PostgresError.decoding("not a timestamp: \(text.prefix(40))")
        }
        var i = 19
        var fraction = 0.0
        if i < u.count, u[i] == 46 {
            var scale = 0.1
            i += 1
            while i < u.count, (48...57).contains(u[i]) { fraction += Double(u[i] - 48) * scale; scale /= 10; i += 1 }
        }
        // An offset other than +00 only if the session was not in UTC; honour it anyway.
        var offset = 0
        if i < u.count, u[i] == 43 || u[i] == 45 {
            let sign = u[i] == 45 ? -1 : 1
            guard let oh = number(i + 1, 2) else { throw PostgresError.decoding("not a timestamp: \(text.prefix(40))") }
            let om = (i + 3 < u.count && u[i + 3] == 58) ? (number(i + 4, 2) ?? 0) : 0
            offset = sign * (oh * 3600 + om * 60)
        }
        // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = days * 86_400 + h * 3600 + mi * 60 + s - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
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
