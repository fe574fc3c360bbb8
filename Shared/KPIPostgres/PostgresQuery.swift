/// A SQL statement whose values only ever travel as bind parameters.
///
/// String interpolation turns every interpolated value into `$n`:
/// ```swift
/// let q: PostgresQuery = "SELECT name FROM units WHERE code = \(code)"
/// ```
/// Text that must become part of the SQL itself (a schema name from configuration) has to be
/// spelled out with `\(unescaped:)`, so an unsafe splice is visible in review.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    public var sql: String
    public var binds: [String?]

    public init(unsafeSQL sql: String, binds: [String?] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [String?] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        public mutating func appendLiteral(_ literal: String) { sql += literal }

        public mutating func appendInterpolation<T: PostgresEncodable>(_ value: T) {
            binds.append(value.postgresText)
            sql += "$\(binds.count)"
        }

        public mutating func appendInterpolation<T: PostgresEncodable>(_ value: T?) {
            binds.append(value?.postgresText)
            sql += "$\(binds.count)"
        }

        /// Splices text into the SQL itself. Only for identifiers that come from our own code.
        public mutating func appendInterpolation(unescaped text: String) { sql += text }

        /// Embeds another query (a condition several statements share): its parameters join
        /// this one's, renumbered, so its values still travel only as bind parameters.
        public mutating func appendInterpolation(fragment: PostgresQuery) {
            let offset = binds.count
            var out = "", digits = "", inParameter = false
            func flush() {
                if inParameter { out += "$" + (Int(digits).map { String($0 + offset) } ?? digits) }
                digits = ""; inParameter = false
            }
            for ch in fragment.sql {
                if inParameter, ch.isASCII, ch.isNumber { digits.append(ch); continue }
                flush()
                if ch == "$" { inParameter = true } else { out.append(ch) }
            }
            flush()
            sql += out
            binds += fragment.binds
        }
    }
}

extension PostgresQuery {
    /// A LIKE/ILIKE pattern matching any text that contains `text` literally: its `\`, `%` and
    /// `_` are escaped, so what a user types is never read as a wildcard.
    public static func containsPattern(_ text: String) -> String {
        "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}
