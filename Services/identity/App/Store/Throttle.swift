import Foundation
import KPIPostgres
import KPIRuntime

/// Counts attempts and decides in one statement, so that parallel attempts are counted one by
/// one (the row lock of the key orders them).
///
/// - Accounts get a progressive delay: the first three attempts in a window are free, then each
///   waits 1, 2, 4 … seconds after the previous one, at most 30 s. Anyone can slow an account
///   down this way, but nobody can lock its owner out: the right password always gets in once
///   the short delay has passed. Only a successful sign-in clears the count.
/// - Actions by address (registration, password requests) get a fixed number per window.
struct Throttle: Sendable {
    let db: ServiceDatabase
    var window: Duration = .seconds(15 * 60)
    var freeAttempts = 3
    var maxDelaySeconds = 30

    enum Decision: Equatable { case go, wait(seconds: Int) }

    /// Takes an attempt on account `name` if its delay has passed.
    func attempt(account name: String) async throws -> Decision {
        let key = "acct:\(name.lowercased())"
        let windowSeconds = Int(window.components.seconds)
        // The delay owed after `attempts` attempts, in seconds.
        let delay = "CASE WHEN attempts < \(freeAttempts) THEN 0 ELSE least(power(2, attempts - \(freeAttempts)), \(maxDelaySeconds)) END"
        try await db.execute("INSERT INTO throttle (key) VALUES (\(key)) ON CONFLICT DO NOTHING")
        let taken = try await db.query("""
            UPDATE throttle SET
                attempts = CASE WHEN window_started_at < now() - make_interval(secs => \(windowSeconds)) THEN 1 ELSE attempts + 1 END,
                window_started_at = CASE WHEN window_started_at < now() - make_interval(secs => \(windowSeconds)) THEN now() ELSE window_started_at END,
                last_attempt_at = clock_timestamp()
            WHERE key = \(key)
              AND (window_started_at < now() - make_interval(secs => \(windowSeconds))
                   OR last_attempt_at + make_interval(secs => \(unescaped: delay)) <= clock_timestamp())
            RETURNING attempts
            """)
        if !taken.isEmpty { return .go }
        let wait = try await db.query("""
            SELECT ceil(extract(epoch FROM last_attempt_at + make_interval(secs => \(unescaped: delay)) - clock_timestamp()))::int
            FROM throttle WHERE key = \(key)
            """).first?.decode(Int.self, at: 0) ?? 1
        return .wait(seconds: max(1, wait))
    }

    /// Forgets the account's attempts (after a successful sign-in).
    func clear(account name: String) async throws {
        try await db.execute("DELETE FROM throttle WHERE key = \("acct:\(name.lowercased())")")
    }

    /// Takes one of `limit` attempts per window for `action` from `address`.
    func attempt(_ action: String, address: String, limit: Int, per window: Duration = .seconds(3600)) async throws -> Decision {
        let key = "\(action)|\(address)"
        let seconds = Int(window.components.seconds)
        try await db.execute("INSERT INTO throttle (key) VALUES (\(key)) ON CONFLICT DO NOTHING")
        let taken = try await db.query("""
            UPDATE throttle SET
                attempts = CASE WHEN window_started_at < now() - make_interval(secs => \(seconds)) THEN 1 ELSE attempts + 1 END,
                window_started_at = CASE WHEN window_started_at < now() - make_interval(secs => \(seconds)) THEN now() ELSE window_started_at END,
                last_attempt_at = clock_timestamp()
            WHERE key = \(key) AND (window_started_at < now() - make_interval(secs => \(seconds)) OR attempts < \(limit))
            RETURNING attempts
            """)
        if !taken.isEmpty { return .go }
        let wait = try await db.query("""
            SELECT ceil(extract(epoch FROM window_started_at + make_interval(secs => \(seconds)) - now()))::int FROM throttle WHERE key = \(key)
            """).first?.decode(Int.self, at: 0) ?? 60
        return .wait(seconds: max(1, wait))
    }

    /// Rows idle for a day are dropped.
    func deleteOld() async throws {
        try await db.execute("DELETE FROM throttle WHERE last_attempt_at < now() - interval '1 day' AND window_started_at < now() - interval '1 day'")
    }
}

extension Problem {
    /// 429 with the seconds to wait, in Thai.
    static func throttled(_ seconds: Int, what: String) -> Problem {
        Problem(status: .tooManyRequests, title: "ลองใหม่ภายหลัง", detail: "\(what) กรุณารอ \(seconds) วินาทีแล้วลองใหม่",
                type: "urn:kpi:throttled", retryAfter: seconds)
    }
}
