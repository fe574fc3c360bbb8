import Foundation
import KPIEvents
import KPIPostgres
import KPIRuntime

/// Units in identity's schema. Every change commits together with its event.
public struct UnitStore: Sendable {
    let db: ServiceDatabase

    public init(db: ServiceDatabase) { self.db = db }

    public func all() async throws -> [OrgUnit] {
        try await db.query("SELECT code, name_th, kind, active, version FROM units ORDER BY code").map(Self.unit)
    }

    public func find(code: Int) async throws -> OrgUnit? {
        try await db.query("SELECT code, name_th, kind, active, version FROM units WHERE code = \(code)").first.map(Self.unit)
    }

    /// Renames, re-kinds, deactivates or reactivates a unit and publishes `UnitUpdatedV1` with
    /// the whole new state and the next version, in the same transaction.
    @discardableResult
    public func update(code: Int, nameTh: String?, kind: UnitKind?, active: Bool?) async throws -> OrgUnit {
        try await db.transaction { tx in
            guard let row = try await tx.query("SELECT code, name_th, kind, active, version FROM units WHERE code = \(code) FOR UPDATE").first else {
                throw Problem(status: .notFound, detail: "ไม่พบหน่วยงานรหัส \(code)")
            }
            var unit = try Self.unit(row)
            if let nameTh { unit.nameTh = try Self.validName(nameTh) }
            if let kind { unit.kind = kind }
            if let active { unit.active = active }
            unit.version += 1
            try await tx.execute("""
                UPDATE units SET name_th = \(unit.nameTh), kind = \(unit.kind.rawValue), active = \(unit.active),
                    version = \(unit.version), updated_at = now() WHERE code = \(code)
                """)
            try await tx.publish(UnitUpdatedV1(code: unit.code, nameTh: unit.nameTh, kind: unit.kind, active: unit.active, version: unit.version))
            return unit
        }
    }

    /// A unit name: 1 to 200 characters after trimming.
    static func validName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(trimmed.count) else {
            throw FieldProblems(fields: ["nameTh": "กรุณากรอกชื่อหน่วยงาน (ไม่เกิน 200 ตัวอักษร)"]).problem
        }
        return trimmed
    }

    /// Adds a unit and publishes `UnitCreatedV1` in the same transaction.
    public func create(_ unit: OrgUnit) async throws {
        var unit = unit
        unit.nameTh = try Self.validName(unit.nameTh)
        guard unit.code > 0, unit.code < 100_000_000 else { throw FieldProblems(fields: ["code": "รหัสหน่วยงานต้องเป็นเลขจำนวนเต็มบวก"]).problem }
        if try await find(code: unit.code) != nil { throw FieldProblems(fields: ["code": "มีหน่วยงานรหัสนี้แล้ว"]).problem }
        try await db.transaction { tx in try await insert(unit, tx: tx) }
    }

    /// Loads the seed list when the table is empty (first start). Two instances starting at once
    /// take turns on an advisory lock, so the units and their events are written once.
    @discardableResult
    public func seedIfEmpty(_ units: [OrgUnit]) async throws -> Int {
        try await db.transaction { tx in
            try await tx.query("SELECT pg_advisory_xact_lock(hashtext('kpi.identity.seed-units'))")
            let count = try await tx.query("SELECT count(*) FROM units").first?.decode(Int.self, at: 0) ?? 0
            guard count == 0 else { return 0 }
            try await insertAll(units, tx: tx)
            return units.count
        }
    }

    /// Adds a unit inside a transaction the caller holds (bulk imports).
    public func insert(_ unit: OrgUnit, tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO units (code, name_th, kind, active, version)
            VALUES (\(unit.code), \(unit.nameTh), \(unit.kind.rawValue), \(unit.active), \(unit.version))
            """)
        try await tx.publish(unit.createdEvent)
    }

    /// Adds many units and their events with two statements (imports of thousands of schools).
    public func insertAll(_ units: [OrgUnit], tx: Transaction) async throws {
        if units.isEmpty { return }
        struct Row: Encodable { var code: Int, name_th: String, kind: String, active: Bool, version: Int }
        let json = String(decoding: try JSONEncoder().encode(units.map {
            Row(code: $0.code, name_th: $0.nameTh, kind: $0.kind.rawValue, active: $0.active, version: $0.version)
        }), as: UTF8.self)
        try await tx.execute("""
            INSERT INTO units (code, name_th, kind, active, version)
            SELECT code, name_th, kind, active, version
            FROM jsonb_to_recordset(\(json)::jsonb) AS r(code int, name_th text, kind text, active boolean, version int)
            """)
        try await tx.publishAll(units.map(\.createdEvent))
    }

    static func unit(_ row: PostgresRow) throws -> OrgUnit {
        let (code, name, kind, active, version) = try row.decode((Int, String, String, Bool, Int).self)
        guard let k = UnitKind(rawValue: kind) else { throw PostgresError.decoding("unknown unit kind \(kind)") }
        return OrgUnit(code: code, nameTh: name, kind: k, active: active, version: version)
    }
}
