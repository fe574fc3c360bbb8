import KPIEvents
import KPIPostgres
import KPIRuntime

/// Counts of active units by kind, kept from unit events. The counts are adjusted (not
/// recomputed) per event, so the inbox is what keeps them right under re-delivery.
public enum UnitTotals {
    /// Runs before the unit directory stores the new state, so it sees the old one.
    static func register(in handlers: inout EventHandlers) {
        handlers.on(UnitCreatedV1.self) { e, _, tx in
            try await adjust(code: e.code, kind: e.kind, active: e.active, version: e.version, tx: tx)
        }
        handlers.on(UnitUpdatedV1.self) { e, _, tx in
            try await adjust(code: e.code, kind: e.kind, active: e.active, version: e.version, tx: tx)
        }
    }

    static func adjust(code: Int, kind: UnitKind, active: Bool, version: Int, tx: Transaction) async throws {
        let old = try await tx.query("SELECT kind, active, version FROM unit_directory WHERE code = \(code) FOR UPDATE")
            .decode((String, Bool, Int).self).first
        if let old, old.2 >= version { return }
        if let old, old.1 { try await add(-1, kind: old.0, tx: tx) }
        if active { try await add(1, kind: kind.rawValue, tx: tx) }
    }

    static func add(_ delta: Int, kind: String, tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO unit_totals (kind, units) VALUES (\(kind), \(max(delta, 0)))
            ON CONFLICT (kind) DO UPDATE SET units = unit_totals.units + \(delta)
            """)
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
