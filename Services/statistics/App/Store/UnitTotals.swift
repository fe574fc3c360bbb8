import Foundation
import KPIEvents
import KPIPostgres
import KPIRuntime

/// Counts of active units by area office and kind, kept from unit events (the nation's figure
/// is their sum). The counts are adjusted (not
/// recomputed) per event, so the inbox is what keeps them right under re-delivery. The
/// projection keeps each unit's last applied state in `unit_totals_members` to know what to
/// take away when a unit changes.
public enum UnitTotals {
    static let projection = Projection(name: "unit_totals", migrations: nil, tables: ["unit_totals", "unit_totals_members"]) { handlers in
        handlers.on(UnitCreatedV1.self) { events, tx in try await adjust(events.map { Member($0.event) }, tx: tx) }
        handlers.on(UnitUpdatedV1.self) { events, tx in try await adjust(events.map { Member($0.event) }, tx: tx) }
    }

    struct Member: Encodable {
        var code: Int, area_code: Int, kind: String, active: Bool, version: Int
        init(_ e: some UnitStateEvent) {
            code = e.code; area_code = e.rollupArea; kind = e.kind.rawValue; active = e.active; version = e.version
        }
    }

    /// For a run of events: per unit the newest state wins; units whose state is newer than the
    /// stored one move their count from the old area and kind to the new ones.
    static func adjust(_ members: [Member], tx: Transaction) async throws {
        let json = String(decoding: try JSONEncoder().encode(members), as: UTF8.self)
        let deltas = try await tx.query("""
            WITH incoming AS (
                SELECT DISTINCT ON (code) code, area_code, kind, active, version
                FROM jsonb_to_recordset(\(json)::jsonb) AS r(code int, area_code int, kind text, active boolean, version int)
                ORDER BY code, version DESC),
            old AS (SELECT m.* FROM unit_totals_members m JOIN incoming USING (code) FOR UPDATE OF m),
            changed AS (
                SELECT i.code, i.area_code, i.kind, i.active, i.version,
                       o.area_code AS old_area, o.kind AS old_kind, o.active AS old_active
                FROM incoming i LEFT JOIN old o USING (code)
                WHERE o.code IS NULL OR o.version < i.version),
            stored AS (
                INSERT INTO unit_totals_members (code, area_code, kind, active, version)
                SELECT code, area_code, kind, active, version FROM changed
                ON CONFLICT (code) DO UPDATE SET area_code = EXCLUDED.area_code, kind = EXCLUDED.kind,
                    active = EXCLUDED.active, version = EXCLUDED.version)
            SELECT area_code, kind, sum(d)::int FROM (
                SELECT old_area AS area_code, old_kind AS kind, -1 AS d FROM changed WHERE old_active
                UNION ALL SELECT area_code, kind, 1 FROM changed WHERE active) x
            GROUP BY area_code, kind
            """).decode((Int, String, Int).self)
        for (area, kind, delta) in deltas where delta != 0 {
            try await tx.execute("""
                INSERT INTO unit_totals (area_code, kind, units) VALUES (\(area), \(kind), \(max(delta, 0)))
                ON CONFLICT (area_code, kind) DO UPDATE SET units = unit_totals.units + \(delta)
                """)
        }
    }

    /// The public figure: the nation's totals, and each area office's.
    public struct Summary: Codable, Sendable, Equatable {
        public var total: Int
        public var byKind: [String: Int]
        public var areas: [Area]

        public struct Area: Codable, Sendable, Equatable {
            public var areaCode: Int
            public var total: Int
            public var byKind: [String: Int]
        }
    }

    /// The nation's own unit (สพฐ.) is not a unit that takes part, so it is not counted.
    public static func summary(_ db: ServiceDatabase) async throws -> Summary {
        let rows = try await db.query("""
            SELECT area_code, kind, units FROM unit_totals WHERE kind <> 'nation' AND units > 0 ORDER BY area_code, kind
            """).decode((Int, String, Int).self)
        var nation: [String: Int] = [:]
        var areas: [Int: [String: Int]] = [:]
        for (area, kind, units) in rows {
            nation[kind, default: 0] += units
            areas[area, default: [:]][kind] = units
        }
        return Summary(total: nation.values.reduce(0, +), byKind: nation,
                       areas: areas.keys.sorted().map { Summary.Area(areaCode: $0, total: areas[$0]!.values.reduce(0, +), byKind: areas[$0]!) })
    }
}
