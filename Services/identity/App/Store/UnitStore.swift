import Foundation
import KPIEvents
import KPIPostgres
import KPIRuntime

/// Units in identity's schema. Every change commits together with its event.
public struct UnitStore: Sendable {
    let db: ServiceDatabase

    public init(db: ServiceDatabase) { self.db = db }

    static let columns = "code, name_th, kind, area_code, active, version"

    public func all() async throws -> [OrgUnit] {
        try await db.query("SELECT \(unescaped: Self.columns) FROM units ORDER BY code").map(Self.unit)
    }

    /// What a unit search asks: text (an exact code, or part of the name), area, kind, whether
    /// only active units, and which page.
    public struct Search: Sendable {
        public var text: String?
        public var area: Int?
        public var kind: UnitKind?
        public var activeOnly = false
        public var offset = 0
        public var limit = 100
        public static let maxLimit = 500
        public init(text: String? = nil, area: Int? = nil, kind: UnitKind? = nil, activeOnly: Bool = false, offset: Int = 0, limit: Int = 100) {
            self.text = text; self.area = area; self.kind = kind; self.activeOnly = activeOnly
            self.offset = max(0, offset); self.limit = min(max(1, limit), Self.maxLimit)
        }
    }

    /// One page of the units that match, in code order, and how many match in all. Never more
    /// than `Search.maxLimit` rows: at 35,000 units no list is sent whole.
    public func search(_ s: Search) async throws -> (units: [OrgUnit], total: Int) {
        let text = s.text?.trimmingCharacters(in: .whitespaces).prefix(100).description
        let code = text.flatMap { Int($0) }
        let pattern = text.flatMap { $0.isEmpty || code != nil ? nil : PostgresQuery.containsPattern($0) }
        let rows = try await db.query("""
            SELECT \(unescaped: Self.columns), count(*) OVER () FROM units
            WHERE (\(code)::int IS NULL OR code = \(code))
              AND (\(pattern)::text IS NULL OR name_th ILIKE \(pattern))
              AND (\(s.area)::int IS NULL OR area_code = \(s.area))
              AND (\(s.kind?.rawValue)::text IS NULL OR kind = \(s.kind?.rawValue))
              AND (active OR NOT \(s.activeOnly))
            ORDER BY code LIMIT \(s.limit) OFFSET \(s.offset)
            """)
        let total = try rows.first?.decode(Int.self, at: 6) ?? 0
        if rows.isEmpty, s.offset > 0 {
            // Past the end: still say how many there are.
            var first = s; first.offset = 0; first.limit = 1
            return ([], try await search(first).total)
        }
        return (try rows.map(Self.unit), total)
    }

    public func find(code: Int) async throws -> OrgUnit? {
        try await db.query("SELECT \(unescaped: Self.columns) FROM units WHERE code = \(code)").first.map(Self.unit)
    }

    /// Renames, re-kinds, deactivates or reactivates a unit and publishes `UnitUpdatedV1` with
    /// the whole new state and the next version, in the same transaction.
    @discardableResult
    public func update(code: Int, nameTh: String?, kind: UnitKind?, active: Bool?) async throws -> OrgUnit {
        try await db.transaction { tx in
            guard let row = try await tx.query("SELECT \(unescaped: Self.columns) FROM units WHERE code = \(code) FOR UPDATE").first else {
                throw Problem(status: .notFound, detail: "ไม่พบหน่วยงานรหัส \(code)")
            }
            var unit = try Self.unit(row)
            if let nameTh { unit.nameTh = try Self.validName(nameTh) }
            if let kind, kind != unit.kind {
                // Moving between the levels of the tree is not a rename: schools and other units
                // swap freely, area offices and the nation stay what they are.
                guard [.school, .other].contains(kind), [.school, .other].contains(unit.kind) else {
                    throw FieldProblems(fields: ["kind": "เปลี่ยนประเภทได้เฉพาะระหว่างโรงเรียนกับหน่วยงานอื่น"]).problem
                }
                unit.kind = kind
            }
            if let active { unit.active = active }
            unit.version += 1
            try await tx.execute("""
                UPDATE units SET name_th = \(unit.nameTh), kind = \(unit.kind.rawValue), active = \(unit.active),
                    version = \(unit.version), updated_at = now() WHERE code = \(code)
                """)
            try await tx.publish(unit.updatedEvent)
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

    /// Adds a unit and publishes `UnitCreatedV1` in the same transaction. An area office is its
    /// own area; a school or other unit needs an active area office as its area; the nation
    /// exists once and is never added.
    public func create(_ unit: OrgUnit) async throws {
        var unit = unit
        unit.nameTh = try Self.validName(unit.nameTh)
        // Codes are national: up to ten digits, as the ministry's school codes are.
        guard unit.code > 0, unit.code < 2_000_000_000 else {
            throw FieldProblems(fields: ["code": "รหัสหน่วยงานต้องเป็นเลขจำนวนเต็มบวก ไม่เกิน 10 หลัก"]).problem
        }
        switch unit.kind {
        case .nation: throw FieldProblems(fields: ["kind": "มีหน่วยงานระดับประเทศได้หน่วยเดียว"]).problem
        case .district: unit.areaCode = unit.code
        case .school, .other:
            guard let area = unit.areaCode, let office = try await find(code: area), office.kind == .district, office.active else {
                throw FieldProblems(fields: ["areaCode": "กรุณาเลือกสำนักงานเขตพื้นที่ที่ใช้งานอยู่"]).problem
            }
        }
        if try await find(code: unit.code) != nil { throw FieldProblems(fields: ["code": "มีหน่วยงานรหัสนี้แล้ว"]).problem }
        try await db.transaction { tx in try await insert(unit, tx: tx) }
    }

    /// Gives units stored before there were areas their place in the tree, with events: the
    /// nation is added, an area office becomes its own area, and every other unit joins the
    /// area office when there is exactly one active one (an installation's units were all one office's).
    /// Returns how many units changed.
    @discardableResult
    public func placeInTree() async throws -> Int {
        try await db.transaction { tx in
            try await tx.query("SELECT pg_advisory_xact_lock(hashtext('kpi.identity.seed-units'))")
            var changed = 0
            if try await tx.query("SELECT 1 FROM units WHERE code = \(OrgUnit.nationCode)").first == nil,
               try await tx.query("SELECT 1 FROM units").first != nil {
                try await insert(OrgUnit(code: OrgUnit.nationCode, nameTh: OrgUnit.nationName, kind: .nation, areaCode: nil), tx: tx)
                changed += 1
            }
            let offices = try await tx.query("SELECT code FROM units WHERE kind = 'district' AND active").map { try $0.decode(Int.self, at: 0) }
            let moved = try await tx.query("""
                UPDATE units SET area_code = CASE WHEN kind = 'district' THEN code ELSE \(offices.count == 1 ? offices[0] : nil) END,
                    version = version + 1, updated_at = now()
                WHERE area_code IS NULL AND kind <> 'nation' AND (kind = 'district' OR \(offices.count == 1))
                RETURNING \(unescaped: Self.columns)
                """).map(Self.unit)
            try await tx.publishAll(moved.map(\.updatedEvent))
            return changed + moved.count
        }
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
            INSERT INTO units (code, name_th, kind, area_code, active, version)
            VALUES (\(unit.code), \(unit.nameTh), \(unit.kind.rawValue), \(unit.areaCode), \(unit.active), \(unit.version))
            """)
        try await tx.publish(unit.createdEvent)
    }

    /// Adds many units and their events with two statements (imports of thousands of schools).
    public func insertAll(_ units: [OrgUnit], tx: Transaction) async throws {
        if units.isEmpty { return }
        struct Row: Encodable { var code: Int, name_th: String, kind: String, area_code: Int?, active: Bool, version: Int }
        let json = String(decoding: try JSONEncoder().encode(units.map {
            Row(code: $0.code, name_th: $0.nameTh, kind: $0.kind.rawValue, area_code: $0.areaCode, active: $0.active, version: $0.version)
        }), as: UTF8.self)
        // Area offices before their units, so each row's area already exists.
        try await tx.execute("""
            INSERT INTO units (code, name_th, kind, area_code, active, version)
            SELECT code, name_th, kind, area_code, active, version
            FROM jsonb_to_recordset(\(json)::jsonb) AS r(code int, name_th text, kind text, area_code int, active boolean, version int)
            ORDER BY CASE kind WHEN 'nation' THEN 0 WHEN 'district' THEN 1 ELSE 2 END
            """)
        try await tx.publishAll(units.map(\.createdEvent))
    }

    static func unit(_ row: PostgresRow) throws -> OrgUnit {
        let (code, name, kind, area, active, version) = try row.decode((Int, String, String, Int?, Bool, Int).self)
        guard let k = UnitKind(rawValue: kind) else { throw PostgresError.decoding("unknown unit kind \(kind)") }
        return OrgUnit(code: code, nameTh: name, kind: k, areaCode: area, active: active, version: version)
    }
}
