import Foundation
import KPIPostgres
import KPIEvents
import KPIFiles
import KPIRuntime

/// A fiscal year (ปีงบประมาณ) in Buddhist Era with its C.E. dates.
public struct FiscalYear: Codable, Sendable, Equatable {
    public var yearBE: Int
    public var startsOn: String
    public var endsOn: String
    /// Whether the asking area office has closed it; absent when no area asked.
    public var closed: Bool?
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
        let year = FiscalYear(yearBE: yearBE, startsOn: "\(yearBE - 544)-10-01", endsOn: "\(yearBE - 543)-09-30", closed: nil)
        let inserted = try await tx.execute("""
            INSERT INTO fiscal_years (year_be, starts_on, ends_on) VALUES (\(year.yearBE), \(year.startsOn)::date, \(year.endsOn)::date)
            ON CONFLICT (year_be) DO NOTHING
            """)
        guard inserted == 1 else { return nil }
        try await tx.publish(FiscalYearAddedV1(yearBE: year.yearBE, startsOn: year.startsOn, endsOn: year.endsOn))
        return year
    }

    /// The years; with `area`, whether that area office has closed each.
    public func all(area: Int? = nil) async throws -> [FiscalYear] {
        try await db.query("""
            SELECT f.year_be, f.starts_on::text, f.ends_on::text,
                   EXISTS (SELECT 1 FROM area_years a WHERE a.year_be = f.year_be AND a.area_code = \(area) AND a.closed_at IS NOT NULL)
            FROM fiscal_years f ORDER BY f.year_be
            """).decode((Int, String, String, Bool).self)
            .map { row -> FiscalYear in
                let closed: Bool? = area == nil ? nil : row.3
                return FiscalYear(yearBE: row.0, startsOn: row.1, endsOn: row.2, closed: closed)
            }
    }

    /// Closes a year for one area office (nothing of its indicators changes), or opens it again.
    public func setClosed(_ closed: Bool, yearBE: Int, area: Int, by actor: Actor) async throws {
        try await db.transaction { tx in
            guard try await tx.query("SELECT 1 FROM fiscal_years WHERE year_be = \(yearBE)").first != nil else {
                throw Problem(status: .notFound, detail: "ไม่มีปีงบประมาณ \(yearBE)")
            }
            let changed = try await tx.execute("""
                INSERT INTO area_years (year_be, area_code, closed_at, closed_by)
                VALUES (\(yearBE), \(area), CASE WHEN \(closed) THEN now() END, CASE WHEN \(closed) THEN \(actor.userId) END)
                ON CONFLICT (year_be, area_code) DO UPDATE SET closed_at = EXCLUDED.closed_at, closed_by = EXCLUDED.closed_by
                WHERE (area_years.closed_at IS NOT NULL) <> \(closed)
                """)
            if changed > 0 { try await tx.publish(AreaYearStateChangedV1(yearBE: yearBE, areaCode: area, state: closed ? "closed" : "open")) }
        }
    }

    /// B7: copies an area's indicators of `from` with their rounds (not yet opened, dates a year
    /// later) and assignments (units still active in the area) into the next year, which is
    /// added when missing, in one transaction. Refused when the next year has indicators of the
    /// area already. Returns how many indicators were copied.
    public func copy(from: Int, area: Int, indicators store: IndicatorStore) async throws -> Int {
        let to = from + 1
        return try await db.transaction { tx in
            try await tx.query("SELECT pg_advisory_xact_lock(hashtext(\("kpi.catalogue.copy-\(to)-\(area)")))")
            if try await tx.query("SELECT 1 FROM fiscal_years WHERE year_be = \(to)").first == nil { _ = try await insert(yearBE: to, tx: tx) }
            try await IndicatorStore.ensureOpen(yearBE: to, area: area, tx: tx)
            if try await tx.query("SELECT 1 FROM indicators WHERE year_be = \(to) AND area_code = \(area)").first != nil {
                throw Problem(status: .conflict, detail: "ปีงบประมาณ \(to) มีตัวชี้วัดของเขตพื้นที่นี้แล้ว จึงคัดลอกซ้ำไม่ได้")
            }
            let copied = try await tx.execute("""
                INSERT INTO indicators (id, year_be, area_code, number, name_th, details, type_code, weight, d1, d2, d3, d4,
                    workgroup_id, assessment_note, criteria, status, round_mode)
                SELECT gen_random_uuid(), \(to), area_code, number, name_th, details, type_code, weight, d1, d2, d3, d4,
                    workgroup_id, assessment_note, criteria, status, round_mode
                FROM indicators WHERE year_be = \(from) AND area_code = \(area)
                """)
            guard copied > 0 else { return 0 }
            // Old and new of each indicator, matched by number (unique in a year and area).
            let pairs = """
                indicators o JOIN indicators n ON n.number = o.number AND n.area_code = o.area_code AND n.year_be = \(to)
                WHERE o.year_be = \(from) AND o.area_code = \(area)
                """
            try await tx.execute("""
                INSERT INTO rounds (indicator_id, seq, label_th, opens_on, due_on, cutoff_on)
                SELECT n.id, r.seq, r.label_th, (r.opens_on + interval '1 year')::date, (r.due_on + interval '1 year')::date,
                       (r.cutoff_on + interval '1 year')::date
                FROM rounds r, \(unescaped: pairs) AND r.indicator_id = o.id
                """)
            try await tx.execute("""
                INSERT INTO assignments (indicator_id, seq, unit_code)
                SELECT n.id, a.seq, a.unit_code
                FROM assignments a JOIN unit_directory d ON d.code = a.unit_code AND d.active AND d.area_code = \(area)
                , \(unescaped: pairs) AND a.indicator_id = o.id
                """)
            // Documents too: new rows for the same stored bytes, each file locked as when attached,
            // so that a red bin in the old year cannot remove bytes the new year comes to share.
            try await tx.query("""
                SELECT pg_advisory_xact_lock(\(unescaped: FileStore.lockKeySQL("sha256")))
                FROM (SELECT DISTINCT a.sha256 FROM indicator_attachments a JOIN indicators o ON o.id = a.indicator_id
                      WHERE o.year_be = \(from) AND o.area_code = \(area) AND a.removed_at IS NULL ORDER BY 1) files
                """)
            try await tx.execute("""
                INSERT INTO indicator_attachments (id, indicator_id, slot, file_name, content_kind, size, sha256, added_by, added_at)
                SELECT gen_random_uuid(), n.id, a.slot, a.file_name, a.content_kind, a.size, a.sha256, a.added_by, a.added_at
                FROM indicator_attachments a, \(unescaped: pairs) AND a.indicator_id = o.id AND a.removed_at IS NULL
                """)
            try await tx.execute("""
                UPDATE rounds r SET assigned_count = (SELECT count(*) FROM assignments a WHERE a.indicator_id = r.indicator_id AND a.seq = r.seq)
                WHERE r.indicator_id IN (SELECT id FROM indicators WHERE year_be = \(to) AND area_code = \(area))
                """)
            // The events, as if each had been defined, dated and assigned by hand.
            let units = try await tx.query("""
                SELECT a.indicator_id, a.seq, string_agg(a.unit_code::text, ',' ORDER BY a.unit_code)
                FROM assignments a JOIN indicators i ON i.id = a.indicator_id WHERE i.year_be = \(to) AND i.area_code = \(area)
                GROUP BY a.indicator_id, a.seq
                """).decode((UUID, Int, String).self)
            let assigned = Dictionary(grouping: units, by: \.0)
            for indicator in try await store.list(yearBE: to, area: area, includeHidden: true, tx: tx) {
                try await tx.publish(IndicatorDefinedV1(indicator))
                for round in indicator.rounds where round.opensOn != nil || round.dueOn != nil || round.cutoffOn != nil {
                    try await tx.publish(RoundDatesSetV1(indicatorId: indicator.id, areaCode: area, seq: round.seq, opensOn: round.opensOn,
                                                         dueOn: round.dueOn, cutoffOn: round.cutoffOn, version: indicator.version))
                }
                for a in indicator.attachments {
                    try await tx.publish(IndicatorAttachmentAddedV1(indicatorId: indicator.id, areaCode: area, attachmentId: a.id, slot: a.slot.rawValue,
                                                                    fileName: a.fileName, contentKind: a.contentKind, size: a.size,
                                                                    sha256: a.sha256))
                }
                for (_, seq, codes) in assigned[indicator.id] ?? [] {
                    try await tx.publish(RoundUnitsChangedV1(indicatorId: indicator.id, areaCode: area, seq: seq,
                                                             assigned: codes.split(separator: ",").compactMap { Int($0) }, removed: [],
                                                             version: indicator.version))
                }
            }
            return copied
        }
    }
}
