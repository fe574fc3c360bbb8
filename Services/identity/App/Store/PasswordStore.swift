import Foundation
import KPIPasswords
import KPIPostgres
import KPIRuntime

/// Password changes: one's own, an administrator's reset to a one-time temporary password, and
/// requests from people who cannot sign in.
public struct PasswordStore: Sendable {
    let db: ServiceDatabase
    let hasher: PasswordHasher

    public init(db: ServiceDatabase, hasher: PasswordHasher = PasswordHasher()) { self.db = db; self.hasher = hasher }

    /// Changes the user's password after checking the current one; other sessions end.
    public func change(user: UUID, current: String, new: String, keepSession token: String) async throws {
        guard let row = try await db.query("SELECT username, password_hash FROM users WHERE id = \(user)").first else {
            throw Problem(status: .notFound)
        }
        let (username, hash) = try row.decode((String, String).self)
        // Guessing the current password from a stolen session is throttled like sign-in.
        if case .wait(let seconds) = try await Throttle(db: db).attempt(account: username) {
            throw Problem.throttled(seconds, what: "ตรวจรหัสผ่านผิดหลายครั้ง")
        }
        guard try await hasher.verify(current, encoded: hash) else {
            throw FieldProblems(fields: ["current": "รหัสผ่านปัจจุบันไม่ถูกต้อง"]).problem
        }
        try await Throttle(db: db).clear(account: username)
        if let problem = PasswordPolicy.problem(with: new, username: username) { throw FieldProblems(fields: ["new": problem]).problem }
        guard new != current else { throw FieldProblems(fields: ["new": "รหัสผ่านใหม่ต้องไม่ซ้ำรหัสผ่านเดิม"]).problem }
        let newHash = try await hasher.hash(new)
        try await db.transaction { tx in
            try await tx.execute("UPDATE users SET password_hash = \(newHash), must_change_password = false, temporary_password_expires_at = NULL, updated_at = now() WHERE id = \(user)")
            try await tx.execute("DELETE FROM sessions WHERE user_id = \(user) AND token_hash <> sha256(convert_to(\(token), 'UTF8'))")
            try await tx.execute("INSERT INTO user_audit (user_id, actor_id, field, new_value) VALUES (\(user), \(user), 'password', 'changed by the user')")
        }
    }

    /// Sets a one-time temporary password that must be changed at the next sign-in, ends the
    /// user's sessions, and returns it (shown once to the administrator, never stored in clear).
    public func reset(user: UUID, actor: UUID) async throws -> String {
        let temporary = Self.temporaryPassword()
        let hash = try await hasher.hash(temporary)
        try await db.transaction { tx in
            let updated = try await tx.execute("""
                UPDATE users SET password_hash = \(hash), must_change_password = true,
                    temporary_password_expires_at = now() + interval '72 hours', updated_at = now() WHERE id = \(user)
                """)
            guard updated == 1 else { throw Problem(status: .notFound, detail: "ไม่พบบัญชีผู้ใช้") }
            try await tx.execute("DELETE FROM sessions WHERE user_id = \(user)")
            try await tx.execute("INSERT INTO user_audit (user_id, actor_id, field, new_value) VALUES (\(user), \(actor), 'password', 'reset to a temporary password')")
        }
        return temporary
    }

    /// Records a request. The answer is the same whether or not the username exists.
    public func request(username: String, reason: String, note: String) async throws {
        guard ["forgot", "leaked", "stop_sharing"].contains(reason) else {
            throw FieldProblems(fields: ["reason": "กรุณาเลือกเหตุผล"]).problem
        }
        let name = String(username.trimmingCharacters(in: .whitespaces).prefix(40))
        guard !name.isEmpty else { throw FieldProblems(fields: ["username": "กรุณากรอกชื่อผู้ใช้"]).problem }
        let user = try await db.query("SELECT id FROM users WHERE lower(username) = lower(\(name))").first?.decode(UUID.self, at: 0)
        try await db.execute("""
            INSERT INTO password_requests (id, username, user_id, reason, note) VALUES (\(UUID()), \(name), \(user), \(reason), \(String(note.prefix(500))))
            """)
    }

    public struct Request: Codable, Sendable {
        public var id: UUID
        public var username: String
        public var userId: UUID?
        public var reason: String
        public var note: String
        public var createdAt: Date
    }

    /// The open requests of accounts in `area` (nil: every area). Requests naming no account
    /// are shown to the nation's staff only.
    public func open(area: Int?) async throws -> [Request] {
        try await db.query("""
            SELECT r.id, r.username, r.user_id, r.reason, r.note, r.created_at FROM password_requests r
            LEFT JOIN users u ON u.id = r.user_id LEFT JOIN units d ON d.code = u.unit_code
            WHERE r.handled_at IS NULL AND (\(area)::int IS NULL OR d.area_code = \(area))
            ORDER BY r.created_at
            """).map { row in
                let (id, username, user, reason, note, at) = try row.decode((UUID, String, UUID?, String, String, Date).self)
                return Request(id: id, username: username, userId: user, reason: reason, note: note, createdAt: at)
            }
    }

    public func markHandled(_ id: UUID, actor: UUID, area: Int?) async throws {
        let n = try await db.execute("""
            UPDATE password_requests r SET handled_by = \(actor), handled_at = now()
            WHERE r.id = \(id) AND r.handled_at IS NULL
              AND (\(area)::int IS NULL OR r.user_id IN (SELECT u.id FROM users u JOIN units d ON d.code = u.unit_code WHERE d.area_code = \(area)))
            """)
        guard n == 1 else { throw Problem(status: .notFound, detail: "ไม่พบคำขอ หรือดำเนินการแล้ว") }
    }

    /// 12 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
    static func temporaryPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
    }
}
