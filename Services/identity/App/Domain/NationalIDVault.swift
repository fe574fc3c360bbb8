import Crypto
import Foundation
import KPIRuntime

/// Keeps national IDs encrypted at rest. From one 32-byte key (`KPI_NATIONAL_ID_KEY`, base64,
/// identity only) two keys are derived: one seals the digits with AES-256-GCM (a fresh nonce
/// each time, so equal IDs give different bytes), the other makes a keyed hash
/// (HMAC-SHA256) that finds equal IDs for the duplicate check without decrypting anything.
/// A copy of the database alone reveals no ID and cannot be searched by guessing IDs.
public struct NationalIDVault: Sendable {
    /// Raw derived keys (swift-crypto's key type is not Sendable).
    let sealKey: Data
    let lookupKey: Data

    public init?(key base64: String) {
        guard let master = Data(base64Encoded: base64), master.count == 32 else { return nil }
        func derive(_ purpose: String) -> Data {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: master), info: Data(purpose.utf8), outputByteCount: 32)
                .withUnsafeBytes { Data($0) }
        }
        sealKey = derive("kpi-online national id seal v1")
        lookupKey = derive("kpi-online national id lookup v1")
    }

    /// From `KPI_NATIONAL_ID_KEY`; identity does not start without it.
    public init(environment: EnvironmentVariables) throws {
        guard let vault = NationalIDVault(key: environment.string("KPI_NATIONAL_ID_KEY", default: "")) else {
            throw ConfigError(key: "KPI_NATIONAL_ID_KEY", reason: "must be 32 random bytes in base64 (national IDs are encrypted with it)")
        }
        self = vault
    }

    /// nonce ‖ ciphertext ‖ tag.
    public func seal(_ id: NationalID) throws -> [UInt8] {
        Array(try AES.GCM.seal(Data(id.digits.utf8), using: SymmetricKey(data: sealKey)).combined!)
    }

    /// The ID sealed by `seal`, nil when the bytes were not sealed with this key.
    public func open(_ sealed: [UInt8]) -> NationalID? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
              let plain = try? AES.GCM.open(box, using: SymmetricKey(data: sealKey)) else { return nil }
        return NationalID(String(decoding: plain, as: UTF8.self))
    }

    /// Equal for equal IDs; worthless without the key.
    public func lookupHash(_ id: NationalID) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(id.digits.utf8), using: SymmetricKey(data: lookupKey)))
    }
}
