import Foundation
import KPIContracts
import KPIPasswords
import KPIPostgres
import KPIRuntime

/// An account as administrators and the account holder see it. `nationalId` is masked
/// unless the reader is an administrator.
public struct UserView: Codable, Sendable, Equatable {
    public var id: UUID
    public var username: String
    public var nationalId: String
    public var title: String
    public var firstNameTh: String
    public var lastNameTh: String
    public var firstNameEn: String
    public var lastNameEn: String
    public var staffKind: String
    public var position: String
    public var officePhone: String
    public var mobile: String
    public var unitCode: Int
    public var province: String
    public var email: String
    public var workgroupId: Int?
    public var status: String
    public var statusReason: String?
    public var rights: [Right]
    public var mustChangePassword: Bool
    public var hasRegistrationForm: Bool
    /// Other pending or active accounts with the same national ID (usernames); administrators
    /// only, empty for anyone else.
    public var sameNationalId: [String]
    /// The area office of the account's unit; nil when the unit is the nation (สพฐ.).
    public var areaCode: Int?
    public var unitNameTh: String

    public func has(_ right: Right) -> Bool { status == "active" && rights.contains(right) }

    /// What an administrator of this account may see and change: one area, or every area.
    public var scope: AreaScope { areaCode.map(AreaScope.area) ?? .nation }
}

/// The reach of a right: the user's own area office, or (for the nation's staff) every area.
public enum AreaScope: Sendable, Equatable {
    case nation
    case area(Int)

    /// The area filter for lists: nil means every area.
    public var areaFilter: Int? {
        if case .area(let code) = self { return code }
        return nil
    }

    public func covers(area: Int?) -> Bool {
        switch self {
        case .nation: true
        case .area(let code): area == code
        }
    }
}

/// Accounts in identity's schema. Every change is recorded in `user_audit`. National IDs are
/// sealed by `vault` before they reach the database.
public struct UserStore: Sendable {
    let db: ServiceDatabase
    let vault: NationalIDVault
    let hasher: PasswordHasher

    public init(db: ServiceDatabase, vault: NationalIDVault, hasher: PasswordHasher = PasswordHasher()) {
        self.db = db; self.vault = vault; self.hasher = hasher
    }

    /// A signed rights-request form: PDF, PNG or JPEG by content, at most 5 MB.
    public struct Form: Sendable {
        public var contentType: String
        public var bytes: [UInt8]
        public init?(bytes: [UInt8]) {
            guard !bytes.isEmpty, bytes.count <= 5 * 1024 * 1024 else { return nil }
            if bytes.starts(with: Array("%PDF-".utf8)) { contentType = "application/pdf" }
            else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { contentType = "image/png" }
            else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { contentType = "image/jpeg" }
            else { return nil }
            self.bytes = bytes
        }
    }

    /// Creates a pending account. Throws a 422 problem naming the fields that are wrong. The
    /// answer never tells whether the national ID is registered already (that would let anyone
    /// test a person's ID); administrators see such duplicates when they approve.
    public func register(_ r: Registration, form: Form?) async throws -> UUID {
        var problems = r.problems()
        let nid = NationalID(r.nationalId)
        let unit = try await db.query("SELECT kind FROM units WHERE code = \(r.unitCode) AND active").first
        if unit == nil { problems["unitCode"] = "กรุณาเลือกหน่วยงาน" }
        if try await db.query("SELECT 1 FROM users WHERE lower(username) = lower(\(r.username))").first != nil {
            problems["username"] = "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว"
        }
        guard problems.isEmpty, let nid else { throw FieldProblems(fields: problems).problem }
        let hash = try await hasher.hash(r.password)
        let id = UUID()
        let sealed = PostgresBytes(try vault.seal(nid)), lookup = PostgresBytes(vault.lookupHash(nid))
        try await db.transaction { tx in
            try await tx.execute("""
                INSERT INTO users (id, username, password_hash, national_id_sealed, national_id_hash, title, first_name_th, last_name_th,
                    first_name_en, last_name_en, staff_kind, position, office_phone, mobile, unit_code, province, email, status)
                VALUES (\(id), \(r.username), \(hash), \(sealed), \(lookup), \(r.title), \(r.firstNameTh), \(r.lastNameTh),
                    \(r.firstNameEn), \(r.lastNameEn), \(r.staffKind), \(r.position), \(r.officePhone), \(r.mobile),
                    \(r.unitCode), \(r.province), \(r.email), 'pending')
                """)
            if let form {
                try await tx.execute("INSERT INTO registration_forms (user_id, content_type, bytes) VALUES (\(id), \(form.contentType), \(PostgresBytes(form.bytes)))")
            }
            try await audit(tx, user: id, actor: nil, field: "status", old: nil, new: "pending")
        }
        return id
    }

    static let columns = """
        u.id, u.username, u.national_id_sealed, u.title, u.first_name_th, u.last_name_th, u.first_name_en, u.last_name_en,
        u.staff_kind, u.position, u.office_phone, u.mobile, u.unit_code, u.province, u.email, u.workgroup_id,
        u.status, u.status_reason, array_to_string(u.rights, ','), u.must_change_password,
        EXISTS (SELECT 1 FROM registration_forms f WHERE f.user_id = u.id),
        array_to_string(ARRAY(SELECT o.username FROM users o WHERE o.national_id_hash = u.national_id_hash AND o.id <> u.id
              AND o.status IN ('pending', 'active') ORDER BY o.username), ','),
        d.area_code, d.name_th
        """

    func view(_ row: PostgresRow, unmasked: Bool) throws -> UserView {
        let nid = try row.decode(PostgresBytes?.self, at: 2).flatMap { vault.open($0.bytes) }
        return UserView(
            id: try row.decode(UUID.self, at: 0), username: try row.decode(String.self, at: 1),
            // An ID this key cannot open (the key was changed) shows as unknown, never as an error.
            nationalId: nid.map { unmasked ? $0.digits : $0.masked } ?? "?",
            title: try row.decode(String.self, at: 3), firstNameTh: try row.decode(String.self, at: 4),
            lastNameTh: try row.decode(String.self, at: 5), firstNameEn: try row.decode(String.self, at: 6),
            lastNameEn: try row.decode(String.self, at: 7), staffKind: try row.decode(String.self, at: 8),
            position: try row.decode(String.self, at: 9), officePhone: try row.decode(String.self, at: 10),
            mobile: try row.decode(String.self, at: 11), unitCode: try row.decode(Int.self, at: 12),
            province: try row.decode(String.self, at: 13), email: try row.decode(String.self, at: 14),
            workgroupId: try row.decode(Int?.self, at: 15), status: try row.decode(String.self, at: 16),
            statusReason: try row.decode(String?.self, at: 17),
            rights: try row.decode(String.self, at: 18).split(separator: ",").compactMap { Right(rawValue: String($0)) }.sorted(),
            mustChangePassword: try row.decode(Bool.self, at: 19), hasRegistrationForm: try row.decode(Bool.self, at: 20),
            sameNationalId: unmasked ? try row.decode(String.self, at: 21).split(separator: ",").map(String.init) : [],
            areaCode: try row.decode(Int?.self, at: 22), unitNameTh: try row.decode(String.self, at: 23))
    }

    public func find(_ id: UUID, unmasked: Bool = false) async throws -> UserView? {
        try await db.query("SELECT \(unescaped: Self.columns) FROM users u JOIN units d ON d.code = u.unit_code WHERE u.id = \(id)").first.map { try view($0, unmasked: unmasked) }
    }

    /// The user list, filtered by area (nil: every area), status, unit and a search over names
    /// and username.
    public func list(area: Int?, status: String?, unitCode: Int?, search: String?, unmasked: Bool) async throws -> [UserView] {
        let pattern = search.map(PostgresQuery.containsPattern)
        return try await db.query("""
            SELECT \(unescaped: Self.columns) FROM users u JOIN units d ON d.code = u.unit_code
            WHERE (\(area)::int IS NULL OR d.area_code = \(area))
              AND (\(status)::text IS NULL OR u.status = \(status))
              AND (\(unitCode)::int IS NULL OR u.unit_code = \(unitCode))
              AND (\(pattern)::text IS NULL OR u.username ILIKE \(pattern) OR u.first_name_th ILIKE \(pattern)
                   OR u.last_name_th ILIKE \(pattern) OR u.first_name_en ILIKE \(pattern) OR u.last_name_en ILIKE \(pattern))
            ORDER BY u.unit_code, u.first_name_th LIMIT 1000
            """).map { try view($0, unmasked: unmasked) }
    }

    /// The shown names (title, first and last name in Thai) of the given users, only those of
    /// `area` (nil: every area): the people named beside reports and reviews (M11).
    public func names(_ ids: [UUID], area: Int?) async throws -> [String: String] {
        let list = ids.map { $0.uuidString }.joined(separator: ",")
        let rows = try await db.query("""
            SELECT u.id, u.title || u.first_name_th || ' ' || u.last_name_th FROM users u JOIN units d ON d.code = u.unit_code
            WHERE u.id = ANY(string_to_array(nullif(\(list), ''), ',')::uuid[]) AND (\(area)::int IS NULL OR d.area_code = \(area))
            """).decode((UUID, String).self)
        return Dictionary(rows.map { ($0.0.uuidString.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })
    }

    /// Approves a pending account with the default rights of its unit's kind (or `rights`).
    public func approve(_ id: UUID, actor: UUID, rights: Set<Right>?) async throws {
        try await db.transaction { tx in
            guard let row = try await tx.query("""
                SELECT u.status, d.kind FROM users u JOIN units d ON d.code = u.unit_code WHERE u.id = \(id) FOR UPDATE OF u
                """).first else { throw Problem(status: .notFound, detail: "ไม่พบบัญชีผู้ใช้") }
            let (status, kind) = try row.decode((String, String).self)
            guard status == "pending" else { throw Problem(status: .conflict, detail: "บัญชีนี้ไม่ได้รอการอนุมัติ") }
            if let other = try await tx.query("""
                SELECT o.username FROM users o JOIN users u ON u.national_id_hash = o.national_id_hash
                WHERE u.id = \(id) AND o.id <> u.id AND o.status = 'active'
                """).first {
                throw Problem(status: .conflict,
                              detail: "เลขประจำตัวประชาชนนี้เป็นของบัญชีที่ใช้งานอยู่แล้ว (\(try other.decode(String.self, at: 0))) บุคคลหนึ่งมีบัญชีที่ใช้งานได้บัญชีเดียว")
            }
            let granted = rights ?? UserKind.forUnitKind(kind).defaultRights
            let list = "{" + granted.sorted().map(\.rawValue).joined(separator: ",") + "}"
            try await tx.execute("UPDATE users SET status = 'active', status_reason = NULL, rights = \(list)::text[], updated_at = now() WHERE id = \(id)")
            try await audit(tx, user: id, actor: actor, field: "status", old: status, new: "active")
            try await audit(tx, user: id, actor: actor, field: "rights", old: "", new: granted.sorted().map(\.rawValue).joined(separator: ","))
        }
    }

    /// Moves an account between statuses (reject a pending one, disable or enable an active one).
    public func setStatus(_ id: UUID, to new: String, reason: String?, actor: UUID) async throws {
        let allowed: [String: Set<String>] = ["rejected": ["pending"], "disabled": ["active"], "active": ["disabled"]]
        guard let from = allowed[new] else { throw Problem(status: .badRequest, detail: "unknown status") }
        if new == "rejected", (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw FieldProblems(fields: ["reason": "กรุณาระบุเหตุผล"]).problem
        }
        guard id != actor else { throw Problem(status: .conflict, detail: "เปลี่ยนสถานะบัญชีของตนเองไม่ได้") }
        try await db.transaction { tx in
            guard let old = try await tx.query("SELECT status FROM users WHERE id = \(id) FOR UPDATE").first?.decode(String.self, at: 0) else {
                throw Problem(status: .notFound, detail: "ไม่พบบัญชีผู้ใช้")
            }
            guard from.contains(old) else { throw Problem(status: .conflict, detail: "เปลี่ยนจากสถานะ \(old) เป็น \(new) ไม่ได้") }
            try await tx.execute("UPDATE users SET status = \(new), status_reason = \(reason), updated_at = now() WHERE id = \(id)")
            if new == "disabled" { try await tx.execute("DELETE FROM sessions WHERE user_id = \(id)") }
            try await audit(tx, user: id, actor: actor, field: "status", old: old, new: new + (reason.map { " (\($0))" } ?? ""))
        }
    }

    /// Replaces an account's rights; takes effect on the user's next request.
    public func setRights(_ id: UUID, to rights: Set<Right>, actor: UUID) async throws {
        guard id != actor || rights.contains(.administer) else {
            throw Problem(status: .conflict, detail: "ถอนสิทธิ์ผู้ดูแลระบบของตนเองไม่ได้")
        }
        try await db.transaction { tx in
            guard let old = try await tx.query("SELECT array_to_string(rights, ',') FROM users WHERE id = \(id) FOR UPDATE").first?.decode(String.self, at: 0) else {
                throw Problem(status: .notFound, detail: "ไม่พบบัญชีผู้ใช้")
            }
            let new = rights.sorted().map(\.rawValue).joined(separator: ",")
            guard old != new else { return }
            try await tx.execute("UPDATE users SET rights = \("{" + new + "}")::text[], updated_at = now() WHERE id = \(id)")
            try await audit(tx, user: id, actor: actor, field: "rights", old: old, new: new)
        }
    }

    /// Puts a district staff member in a workgroup (nil: none); indicators are owned by one.
    public func setWorkgroup(_ id: UUID, to workgroup: Int?, actor: UUID) async throws {
        try await db.transaction { tx in
            if let workgroup, try await tx.query("SELECT 1 FROM workgroups WHERE id = \(workgroup) AND active").first == nil {
                throw FieldProblems(fields: ["workgroupId": "ไม่พบกลุ่มงาน"]).problem
            }
            guard let old = try await tx.query("SELECT workgroup_id FROM users WHERE id = \(id) FOR UPDATE").first else {
                throw Problem(status: .notFound, detail: "ไม่พบบัญชีผู้ใช้")
            }
            let before = try old.decode(Int?.self, at: 0)
            guard before != workgroup else { return }
            try await tx.execute("UPDATE users SET workgroup_id = \(workgroup), updated_at = now() WHERE id = \(id)")
            try await audit(tx, user: id, actor: actor, field: "workgroup", old: before.map(String.init), new: workgroup.map(String.init))
        }
    }

    /// Seals the IDs stored in plain text before migration 006 (once, at start).
    public func sealPlaintextNationalIds() async throws -> Int {
        let rows = try await db.query("SELECT id, national_id FROM users WHERE national_id IS NOT NULL").map {
            try $0.decode((UUID, String).self)
        }
        try await db.transaction { tx in
            for (id, digits) in rows {
                guard let nid = NationalID(digits) else { continue }
                try await tx.execute("""
                    UPDATE users SET national_id_sealed = \(PostgresBytes(try vault.seal(nid))),
                        national_id_hash = \(PostgresBytes(vault.lookupHash(nid))), national_id = NULL WHERE id = \(id)
                    """)
            }
        }
        return rows.count
    }

    public func registrationForm(_ id: UUID) async throws -> (contentType: String, bytes: [UInt8])? {
        guard let row = try await db.query("SELECT content_type, bytes FROM registration_forms WHERE user_id = \(id)").first else { return nil }
        return (try row.decode(String.self, at: 0), try row.decode(PostgresBytes.self, at: 1).bytes)
    }

    public struct AuditEntry: Codable, Sendable {
        public var at: Date
        public var actor: String?
        public var field: String
        public var oldValue: String?
        public var newValue: String?
    }

    public func auditTrail(_ id: UUID) async throws -> [AuditEntry] {
        try await db.query("""
            SELECT a.at, actor.username, a.field, a.old_value, a.new_value FROM user_audit a
            LEFT JOIN users actor ON actor.id = a.actor_id WHERE a.user_id = \(id) ORDER BY a.id
            """).map { row in
                let (at, actor, field, old, new) = try row.decode((Date, String?, String, String?, String?).self)
                return AuditEntry(at: at, actor: actor, field: field, oldValue: old, newValue: new)
            }
    }

    func audit(_ tx: Transaction, user: UUID, actor: UUID?, field: String, old: String?, new: String?) async throws {
        try await tx.execute("INSERT INTO user_audit (user_id, actor_id, field, old_value, new_value) VALUES (\(user), \(actor), \(field), \(old), \(new))")
    }
}

/// Field-by-field validation errors, as a 422 problem with a `fields` member (Thai messages).
public struct FieldProblems: Error, Sendable {
    public var fields: [String: String]
    public var problem: Problem { Problem.invalid(fields) }
}
