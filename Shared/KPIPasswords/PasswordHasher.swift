@preconcurrency import CArgon2
import Foundation
import KPIConcurrency

/// Argon2id (libargon2) in its encoded form `$argon2id$v=19$m=…,t=…,p=…$salt$hash`.
///
/// Hashing takes tens of milliseconds of CPU and 19 MiB on purpose, so it runs off Swift's
/// cooperative pool, and at most one hash per core runs at once (`gate`): more waiting callers
/// queue up to a bound and a timeout, and past them `hash`/`verify` throw `GateError`, which
/// the services answer with 503 and Retry-After. A burst of sign-ins then costs bounded CPU and
/// memory instead of slowing every request down.
public struct PasswordHasher: Sendable {
    /// OWASP's Argon2id minimum: 19 MiB, 2 passes, 1 lane.
    public var memoryKiB: UInt32 = 19_456
    public var iterations: UInt32 = 2
    public var parallelism: UInt32 = 1

    public init() {}
    public init(memoryKiB: UInt32, iterations: UInt32) { self.memoryKiB = memoryKiB; self.iterations = iterations }

    static let queue = DispatchQueue(label: "kpi.argon2", attributes: .concurrent)

    /// One slot per core; up to 16 callers per core wait, each at most 5 s.
    public static let gate = Gate(limit: ProcessInfo.processInfo.activeProcessorCount,
                                  maxWaiting: 16 * ProcessInfo.processInfo.activeProcessorCount, timeout: .seconds(5))

    public func hash(_ password: String) async throws -> String {
        try await Self.gate.withSlot {
            try await withCheckedThrowingContinuation { cont in
                Self.queue.async { cont.resume(with: Result { try hashNow(password) }) }
            }
        }
    }

    /// True when `password` matches `encoded`. Throws only `GateError` (too busy).
    public func verify(_ password: String, encoded: String) async throws -> Bool {
        try await Self.gate.withSlot {
            await withCheckedContinuation { cont in
                Self.queue.async {
                    let pwd = Array(password.utf8)
                    cont.resume(returning: argon2id_verify(encoded, pwd, pwd.count) == ARGON2_OK.rawValue)
                }
            }
        }
    }

    func hashNow(_ password: String) throws -> String {
        // SystemRandomNumberGenerator reads getrandom(2): cryptographically secure.
        var rng = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let pwd = Array(password.utf8)
        let length = argon2_encodedlen(iterations, memoryKiB, parallelism, UInt32(salt.count), 32, Argon2_id)
        var out = [CChar](repeating: 0, count: length)
        let rc = argon2id_hash_encoded(iterations, memoryKiB, parallelism, pwd, pwd.count, salt, salt.count, 32, &out, length)
        guard rc == ARGON2_OK.rawValue else { throw PasswordHashError(code: rc) }
        return String(cString: out)
    }

    /// A hash of a password nobody has, to verify against for unknown users: the answer then
    /// takes as long as for a real account. Computed once; call `prepareDecoy()` at start so
    /// the first unknown user does not pay for it (and cannot be told from a known one by time).
    public static let decoy: String = (try? PasswordHasher().hashNow(UUID().uuidString)) ?? ""

    /// Computes the decoy hash now (at start).
    public static func prepareDecoy() { _ = decoy }
}

public struct PasswordHashError: Error { var code: Int32 }
