import Foundation
import KPIPasswords
import KPIPostgres
import KPIRuntime

/// Sign-in, sessions and throttling. A session token is 32 random bytes; the table keeps only
/// its SHA-256, computed by PostgreSQL.
public struct SessionStore: Sendable {
    let db: ServiceDatabase
    let users: UserStore
    let hasher: PasswordHasher
    let policy: Policy

    public struct Policy: Sendable {
        /// A session unused this long is over.
        public var idleTimeout: Duration = .seconds(30 * 60)
        /// A session is over this long after sign-in, however busy (ASVS 3.3.2).
        public var absoluteLifetime: Duration = .seconds(12 * 3600)
        public init() {}
    }

    public init(users: UserStore, hasher: PasswordHasher = PasswordHasher(), policy: Policy = Policy()) {
        self.db = users.db; self.users = users; self.hasher = hasher; self.policy = policy
    }

    var throttle: Throttle { Throttle(db: db) }

    /// SQL over `sessions`: neither idle past the timeout nor older than the lifetime.
    var stillValid: String {
        "last_seen_at > now() - make_interval(secs => \(Int(policy.idleTimeout.components.seconds)))"
            + " AND created_at > now() - make_interval(secs => \(Int(policy.absoluteLifetime.components.seconds)))"
    }

    public enum SignInResult: Sendable {
        case signedIn(token: String, csrf: String, user: UserView)
        /// The password was right, but the account waits for approval: say so (the caller has
        /// proved it is theirs).
        case pending
        /// Unknown user, wrong password, rejected or disabled account: one answer for all.
        case refused
        /// Too many attempts on this account just now: try again after `seconds`.
        case throttled(seconds: Int)
    }

    /// `address` is the client's address as the gateway vouched for it (for the log only: a
    /// shared address, a school's NAT say, must not make anyone wait for others' mistakes).
    public func signIn(username: String, password: String, address: String) async throws -> SignInResult {
        let name = username.lowercased()
        // Counted before the password is checked, so parallel guesses are counted one by one.
        if case .wait(let seconds) = try await throttle.attempt(account: name) { return .throttled(seconds: seconds) }
        let row = try await db.query("""
            SELECT id, password_hash, status, temporary_password_expires_at < now() FROM users WHERE lower(username) = \(name)
            """).first
        let (id, hash, status, temporaryExpired) = try row?.decode((UUID, String, String, Bool?).self) ?? (UUID(), PasswordHasher.decoy, "none", nil)
        // An expired temporary password is as good as a wrong one (same answer).
        let ok = try await hasher.verify(password, encoded: hash) && row != nil && temporaryExpired != true
        guard ok, status == "active" else {
            return ok && status == "pending" ? .pending : .refused
        }
        let token = Self.randomToken(), csrf = Self.randomToken()
        // A new session at every sign-in (no fixation); the account's attempts are forgotten.
        try await db.transaction { tx in
            try await tx.execute("""
                INSERT INTO sessions (token_hash, user_id, csrf_token) VALUES (sha256(convert_to(\(token), 'UTF8')), \(id), \(csrf))
                """)
        }
        try await throttle.clear(account: name)
        try await deleteExpired()
        guard let user = try await users.find(id) else { return .refused }
        return .signedIn(token: token, csrf: csrf, user: user)
    }

    public struct Current: Codable, Sendable {
        public var user: UserView
        public var csrf: String
        public var yearBE: Int?
    }

    /// The session's user, if the session exists, is not idle too long and the account is
    /// active. Rights are read fresh: a change takes effect on the next request.
    public func resolve(token: String) async throws -> Current? {
        guard let row = try await db.query("""
            UPDATE sessions SET last_seen_at = now()
            WHERE token_hash = sha256(convert_to(\(token), 'UTF8')) AND \(unescaped: stillValid)
            RETURNING user_id, csrf_token, year_be
            """).first else { return nil }
        let (userId, csrf, year) = try row.decode((UUID, String, Int?).self)
        guard let user = try await users.find(userId), user.status == "active" else { return nil }
        return Current(user: user, csrf: csrf, yearBE: year)
    }

    /// Sessions past their idle timeout or lifetime, and throttle rows idle for a day, go.
    func deleteExpired() async throws {
        try await db.execute("DELETE FROM sessions WHERE NOT (\(unescaped: stillValid))")
        try await throttle.deleteOld()
    }

    /// One of a person's sessions, as they see it (never the token or its hash whole).
    public struct Listed: Codable, Sendable {
        public var id: String
        public var createdAt: Date
        public var lastSeenAt: Date
        public var current: Bool
    }

    /// The user's sessions that are still valid, newest first.
    public func list(user: UUID, currentToken: String) async throws -> [Listed] {
        return try await db.query("""
            SELECT encode(substring(token_hash FROM 1 FOR 8), 'hex'), created_at, last_seen_at,
                   token_hash = sha256(convert_to(\(currentToken), 'UTF8'))
            FROM sessions WHERE user_id = \(user) AND \(unescaped: stillValid)
            ORDER BY created_at DESC
            """).decode((String, Date, Date, Bool).self).map { Listed(id: $0.0, createdAt: $0.1, lastSeenAt: $0.2, current: $0.3) }
    }

    /// Ends one of the user's own sessions; false when the user has no such session.
    public func end(user: UUID, id: String) async throws -> Bool {
        guard id.count == 16, id.allSatisfy(\.isHexDigit) else { return false }
        return try await db.execute("""
            DELETE FROM sessions WHERE user_id = \(user) AND encode(substring(token_hash FROM 1 FOR 8), 'hex') = \(id.lowercased())
            """) > 0
    }

    public func chooseYear(token: String, yearBE: Int) async throws {
        try await db.execute("UPDATE sessions SET year_be = \(yearBE) WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))")
    }

    public func signOut(token: String) async throws {
        try await db.execute("DELETE FROM sessions WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))")
    }

    /// 32 random bytes, base64url without padding.
    static func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
