import Foundation
import KPIEvents
import KPIPostgres
import KPIRuntime

/// Counts of active units by kind, kept from unit events. The counts are adjusted (not
/// recomputed) per event, so the inbox is what keeps them right under re-delivery. The
/// projection keeps each unit's last applied state in `unit_totals_members` to know what to
/// take away when a unit changes.
public enum UnitTotals {
    static let projection = Projection(name: "unit_totals", migrations: nil, tables: ["unit_totals", "unit_totals_members"]) { handlers in
        handlers.on(UnitCreatedV1.self) { events, tx in try await adjust(events.map { Member($0.event) }, tx: tx) }
        handlers.on(UnitUpdatedV1.self) { events, tx in try await adjust(events.map { Member($0.event) }, tx: tx) }
    }

    struct Member: Encodable {
        var code: Int, kind: String, active: Bool, version: Int
        init(_ e: some UnitStateEvent) { code = e.code; kind = e.kind.rawValue; active = e.active; version = e.version }
    }

    /// For a run of events: per unit the newest state wins; units whose state is newer than the
    /// stored one move their count from the old kind to the new one.
    static func adjust(_ members: [Member], tx: Transaction) async throws {
        let json = String(decoding: try JSONEncoder().encode(members), as: UTF8.self)
        let deltas = try await tx.query("""
            WITH incoming AS (
                SELECT DISTINCT ON (code) code, kind, active, version
                FROM jsonb_to_recordset(\(json)::jsonb) AS r(code int, kind text, active boolean, version int)
                ORDER BY code, version DESC),
            old AS (SELECT m.* FROM unit_totals_members m JOIN incoming USING (code) FOR UPDATE OF m),
            changed AS (
                SELECT i.code, i.kind, i.active, i.version, o.kind AS old_kind, o.active AS old_active
                FROM incoming i LEFT JOIN old o USING (code)
                WHERE o.code IS NULL OR o.version < i.version),
            stored AS (
                INSERT INTO unit_totals_members (code, kind, active, version)
                SELECT code, kind, active, version FROM changed
                ON CONFLICT (code) DO UPDATE SET kind = EXCLUDED.kind, active = EXCLUDED.active, version = EXCLUDED.version)
            SELECT kind, sum(d)::int FROM (
                SELECT old_kind AS kind, -1 AS d FROM changed WHERE old_active
                UNION ALL SELECT kind, 1 FROM changed WHERE active) x
            GROUP BY kind
            """).decode((String, Int).self)
        for (kind, delta) in deltas where delta != 0 {
            try await tx.execute("""
                INSERT INTO unit_totals (kind, units) VALUES (\(kind), \(max(delta, 0)))
                ON CONFLICT (kind) DO UPDATE SET units = unit_totals.units + \(delta)
                """)
        }
    }

    public struct Summary: Codable, Sendable, Equatable {
        public var total: Int
        public var byKind: [String: Int]
    }

    public static func summary(_ db: ServiceDatabase) async throws -> Summary {
        let rows = try await db.query("SELECT kind, units FROM unit_totals ORDER BY kind").decode((String, Int).self)
        let byKind = Dictionary(uniqueKeysWithValues: rows.map { ($0.0, $0.1) })
        return Summary(total: byKind.values.reduce(0, +), byKind: byKind)
    }
}
