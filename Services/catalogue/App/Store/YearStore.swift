import Foundation
import KPIPostgres
import KPIRuntime

/// A fiscal year (ปีงบประมาณ) in Buddhist Era with its C.E. dates.
public struct FiscalYear: Codable, Sendable, Equatable {
    public var yearBE: Int
    public var startsOn: String
    public var endsOn: String
}

public struct YearStore: Sendable {
    let db: ServiceDatabase

    public init(db: ServiceDatabase) { self.db = db }

    public func all() async throws -> [FiscalYear] {
        try await db.query("SELECT year_be, starts_on::text, ends_on::text FROM fiscal_years ORDER BY year_be")
            .decode((Int, String, String).self)
            .map { FiscalYear(yearBE: $0.0, startsOn: $0.1, endsOn: $0.2) }
    }
}
