@preconcurrency import CArgon2
import Foundation

/// Password rules: 8 to 128 characters, not one of the most common passwords, not the username.
public enum PasswordPolicy {
    public static let minLength = 8
    public static let maxLength = 128

    /// nil when acceptable, else the Thai message to show.
    public static func problem(with password: String, username: String) -> String? {
        if password.count < minLength { return "รหัสผ่านต้องมีอย่างน้อย \(minLength) ตัวอักษร" }
        if password.count > maxLength { return "รหัสผ่านยาวได้ไม่เกิน \(maxLength) ตัวอักษร" }
        let lower = password.lowercased()
        if CommonPasswords.all.contains(lower) { return "รหัสผ่านนี้ถูกใช้บ่อยเกินไป เดาได้ง่าย กรุณาตั้งรหัสผ่านอื่น" }
        if !username.isEmpty, lower.contains(username.lowercased()) { return "รหัสผ่านต้องไม่มีชื่อผู้ใช้อยู่ในนั้น" }
        return nil
    }
}

/// Argon2id (libargon2) in its encoded form `$argon2id$v=19$m=…,t=…,p=…$salt$hash`.
/// Hashing takes tens of milliseconds of CPU on purpose, so it runs off Swift's cooperative pool.
public struct PasswordHasher: Sendable {
    /// OWASP's Argon2id minimum: 19 MiB, 2 passes, 1 lane.
    public var memoryKiB: UInt32 = 19_456
    public var iterations: UInt32 = 2
    public var parallelism: UInt32 = 1

    public init() {}
    public init(memoryKiB: UInt32, iterations: UInt32) { self.memoryKiB = memoryKiB; self.iterations = iterations }

    static let queue = DispatchQueue(label: "kpi.identity.argon2", attributes: .concurrent)

    public func hash(_ password: String) async throws -> String {
        try await withCheckedThrowingContinuation { cont in
            Self.queue.async { cont.resume(with: Result { try hashNow(password) }) }
        }
    }

    public func verify(_ password: String, encoded: String) async -> Bool {
        await withCheckedContinuation { cont in
            Self.queue.async {
                let pwd = Array(password.utf8)
                cont.resume(returning: argon2id_verify(encoded, pwd, pwd.count) == ARGON2_OK.rawValue)
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
    /// takes as long as for a real account.
    public static let decoy: String = (try? PasswordHasher().hashNow(UUID().uuidString)) ?? ""
}

public struct PasswordHashError: Error { var code: Int32 }
