import Foundation
import KPIPostgres
import KPIEvents
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

    /// The years a new installation starts with.
    public static let seedYears = [2566, 2567, 2568]

    /// Adds a fiscal year: B.E. y runs 1 October (y − 544) to 30 September (y − 543) C.E.
    /// Publishes `FiscalYearAddedV1` in the same transaction.
    public func add(yearBE: Int) async throws -> FiscalYear {
        guard (2500...2700).contains(yearBE) else { throw Problem(status: .unprocessableContent, detail: "ปีต้องอยู่ระหว่าง 2500 ถึง 2700") }
        return try await db.transaction { tx in
            guard let year = try await insert(yearBE: yearBE, tx: tx) else {
                throw Problem(status: .conflict, detail: "มีปีงบประมาณ \(yearBE) แล้ว")
            }
            return year
        }
    }

    /// Adds the seed years when there are no years yet (first start), through the outbox like
    /// any other, so that other services learn them from events. Returns how many were added.
    public func seedIfEmpty(_ years: [Int]) async throws -> Int {
        try await db.transaction { tx in
            // Two instances starting at once take turns; the second finds the years there.
            try await tx.query("SELECT pg_advisory_xact_lock(hashtext('kpi.catalogue.seed-years'))")
            let existing = try await tx.query("SELECT count(*) FROM fiscal_years").first?.decode(Int.self, at: 0) ?? 0
            if existing > 0 { return 0 }
            var added = 0
            for y in years where try await insert(yearBE: y, tx: tx) != nil { added += 1 }
            return added
        }
    }

    private func insert(yearBE: Int, tx: Transaction) async throws -> FiscalYear? {
        let year = FiscalYear(yearBE: yearBE, startsOn: "\(yearBE - 544)-10-01", endsOn: "\(yearBE - 543)-09-30")
        let inserted = try await tx.execute("""
            INSERT INTO fiscal_years (year_be, starts_on, ends_on) VALUES (\(year.yearBE), \(year.startsOn)::date, \(year.endsOn)::date)
            ON CONFLICT (year_be) DO NOTHING
            """)
        guard inserted == 1 else { return nil }
        try await tx.publish(FiscalYearAddedV1(yearBE: year.yearBE, startsOn: year.startsOn, endsOn: year.endsOn))
        return year
    }

    public func all() async throws -> [FiscalYear] {
        try await db.query("SELECT year_be, starts_on::text, ends_on::text FROM fiscal_years ORDER BY year_be")
            .decode((Int, String, String).self)
            .map { FiscalYear(yearBE: $0.0, startsOn: $0.1, endsOn: $0.2) }
    }
}
