/// One result row, copied out of libpq before its `PGresult` was cleared.
public struct PostgresRow: Sendable {
    public let columns: [String]
    public let values: [String?]

    public init(columns: [String], values: [String?]) {
        self.columns = columns
        self.values = values
    }

    /// Decodes the column at `index`; NULL is allowed only for optional types.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at index: Int) throws -> T {
        guard index < values.count else { throw PostgresError.decoding("no column \(index)") }
        guard let text = values[index] else {
            if let nullable = T.self as? any NullablePostgresDecodable.Type, let v = nullable.null as? T { return v }
            throw PostgresError.decoding("column \(columns[index]) is NULL")
        }
        return try T.decode(postgresText: text)
    }

    /// Decodes the leading columns into a typed tuple: `let (code, name) = try row.decode((Int, String).self)`.
    public func decode<each T: PostgresDecodable>(_ types: (repeat each T).Type) throws -> (repeat each T) {
        var index = 0
        func next<U: PostgresDecodable>(_ type: U.Type) throws -> U {
            defer { index += 1 }
            return try decode(U.self, at: index)
        }
        return (repeat try next((each T).self))
    }

    public subscript(column name: String) -> String? {
        guard let i = columns.firstIndex(of: name) else { return nil }
        return values[i]
    }
}

protocol NullablePostgresDecodable { static var null: Any { get } }
extension Optional: NullablePostgresDecodable { static var null: Any { Self.none as Any } }

extension Array where Element == PostgresRow {
    /// Decodes every row into a typed tuple.
    public func decode<each T: PostgresDecodable>(_ types: (repeat each T).Type) throws -> [(repeat each T)] {
        try map { try $0.decode(types) }
    }
}
