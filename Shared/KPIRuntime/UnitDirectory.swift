import Foundation
import KPIEvents

/// A service's own copy of identity's units (`unit_directory`), kept from unit events. A stale
/// event (lower version than the stored one) changes nothing, so the copy is right whatever
/// order copies of old events arrive in.
public enum UnitDirectory {
    public static let projection = Projection(
        name: "unit_directory", migrations: Migrator.runtimeFolder("UnitDirectory"), tables: ["unit_directory"]
    ) { handlers in
        handlers.on(UnitCreatedV1.self) { events, tx in try await upsert(events.map { State($0.event) }, tx: tx) }
        handlers.on(UnitUpdatedV1.self) { events, tx in try await upsert(events.map { State($0.event) }, tx: tx) }
    }

    struct State: Encodable {
        var code: Int, name_th: String, kind: String, area_code: Int?, active: Bool, version: Int
        init(_ e: some UnitStateEvent) {
            code = e.code; name_th = e.nameTh; kind = e.kind.rawValue; area_code = e.areaCode; active = e.active; version = e.version
        }
    }

    /// One statement for a run of events: per unit the highest version wins.
    static func upsert(_ states: [State], tx: Transaction) async throws {
        let json = String(decoding: try JSONEncoder().encode(states), as: UTF8.self)
        try await tx.execute("""
            INSERT INTO unit_directory (code, name_th, kind, area_code, active, version)
            SELECT DISTINCT ON (code) code, name_th, kind, area_code, active, version
            FROM jsonb_to_recordset(\(json)::jsonb) AS r(code int, name_th text, kind text, area_code int, active boolean, version int)
            ORDER BY code, version DESC
            ON CONFLICT (code) DO UPDATE SET name_th = EXCLUDED.name_th, kind = EXCLUDED.kind, area_code = EXCLUDED.area_code,
                active = EXCLUDED.active, version = EXCLUDED.version, updated_at = clock_timestamp()
            WHERE unit_directory.version < EXCLUDED.version
            """)
    }
}
