import KPIEvents

/// A service's own copy of identity's units (`unit_directory`), kept from unit events. A stale
/// event (lower version than the stored one) changes nothing.
public enum UnitDirectory {
    public static func register(in handlers: inout EventHandlers) {
        handlers.on(UnitCreatedV1.self) { e, _, tx in
            try await upsert(code: e.code, nameTh: e.nameTh, kind: e.kind, active: e.active, version: e.version, tx: tx)
        }
        handlers.on(UnitUpdatedV1.self) { e, _, tx in
            try await upsert(code: e.code, nameTh: e.nameTh, kind: e.kind, active: e.active, version: e.version, tx: tx)
        }
    }

    static func upsert(code: Int, nameTh: String, kind: UnitKind, active: Bool, version: Int, tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO unit_directory (code, name_th, kind, active, version)
            VALUES (\(code), \(nameTh), \(kind.rawValue), \(active), \(version))
            ON CONFLICT (code) DO UPDATE SET name_th = EXCLUDED.name_th, kind = EXCLUDED.kind,
                active = EXCLUDED.active, version = EXCLUDED.version, updated_at = clock_timestamp()
            WHERE unit_directory.version < EXCLUDED.version
            """)
    }
}
