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
        // The delay owed after `attempts` attempts, in seconds.
        let delay = "CASE WHEN attempts < \(freeAttempts) THEN 0 ELSE least(power(2, attempts - \(freeAttempts)), \(maxDelaySeconds)) END"
        return try await take("acct:\(name.lowercased())", window: window,
                              allowedIf: "last_attempt_at + make_interval(secs => \(delay)) <= clock_timestamp()",
                              readyAt: "last_attempt_at + make_interval(secs => \(delay))")
    }

    /// Forgets the account's attempts (after a successful sign-in).
    func clear(account name: String) async throws {
        try await db.execute("DELETE FROM throttle WHERE key = \("acct:\(name.lowercased())")")
    }

    /// Takes one of `limit` attempts per window for `action` from `address`.
    func attempt(_ action: String, address: String, limit: Int, per window: Duration = .seconds(3600)) async throws -> Decision {
        try await take("\(action)|\(address)", window: window, allowedIf: "attempts < \(limit)",
                       readyAt: "window_started_at + make_interval(secs => \(Int(window.components.seconds)))")
    }

    /// Counts an attempt on `key` when its window has passed or `allowedIf` (SQL over the row)
    /// holds, in one UPDATE: the row lock makes parallel attempts take turns. Otherwise says how
    /// long until `readyAt` (SQL). Both fragments are made in this file from numbers only.
    private func take(_ key: String, window: Duration, allowedIf: String, readyAt: String) async throws -> Decision {
        let seconds = Int(window.components.seconds)
        let expired = "window_started_at < now() - make_interval(secs => \(seconds))"
        try await db.execute("INSERT INTO throttle (key) VALUES (\(key)) ON CONFLICT DO NOTHING")
        let taken = try await db.query("""
            UPDATE throttle SET
                attempts = CASE WHEN \(unescaped: expired) THEN 1 ELSE attempts + 1 END,
                window_started_at = CASE WHEN \(unescaped: expired) THEN now() ELSE window_started_at END,
                last_attempt_at = clock_timestamp()
            WHERE key = \(key) AND (\(unescaped: expired) OR \(unescaped: allowedIf))
            RETURNING attempts
            """)
        if !taken.isEmpty { return .go }
        let wait = try await db.query("""
            SELECT ceil(extract(epoch FROM \(unescaped: readyAt) - clock_timestamp()))::int FROM throttle WHERE key = \(key)
            """).first?.decode(Int.self, at: 0) ?? 1
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
