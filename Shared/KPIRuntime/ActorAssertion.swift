import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import KPIContracts

/// Who a forwarded request is for: the gateway resolves the session with identity and signs
/// this for the domain services, which verify it and check the rights themselves. A request
/// sent straight to a service's port without a valid signature is anonymous.
public struct Actor: Codable, Sendable, Equatable {
    public var userId: String
    public var username: String
    public var unitCode: Int
    public var rights: [Right]
    public var yearBE: Int?
    /// Unix time after which the assertion is refused (short: it is made per request).
    public var expires: Int

    public init(userId: String, username: String, unitCode: Int, rights: [Right], yearBE: Int?, expires: Int) {
        self.userId = userId; self.username = username; self.unitCode = unitCode; self.rights = rights
        self.yearBE = yearBE; self.expires = expires
    }

    public func has(_ right: Right) -> Bool { rights.contains(right) }
}

/// A signed value that stops being valid at `expires` (Unix time).
protocol Expiring { var expires: Int { get } }
extension Actor: Expiring {}

/// The client's address as the gateway saw it (after trusted proxies).
struct ClientAssertion: Codable, Expiring {
    var address: String
    var expires: Int
}

/// Signs and verifies `X-KPI-Actor`: base64url(JSON) "." base64url(HMAC-SHA256(key, JSON)),
/// with the key from `KPI_FORWARD_KEY`, shared by the gateway and the domain services only.
public struct ActorSigner: Sendable {
    public static let header = HTTPField.Name("X-KPI-Actor")!
    /// Lifetime of one assertion.
    public static let lifetime = 60
    let secret: Data
    var key: SymmetricKey { SymmetricKey(data: secret) }

    /// nil when the key is missing or shorter than 32 bytes (then nothing is signed or trusted).
    public init?(secret: String) {
        guard secret.utf8.count >= 32 else { return nil }
        self.secret = Data(secret.utf8)
    }

    public func sign(_ actor: Actor) throws -> String { try signValue(actor) }

    /// The actor if the signature is ours and the assertion has not expired.
    public func verify(_ token: String, now: Date = Date()) -> Actor? { verifyValue(token, as: Actor.self, now: now) }

    /// Vouches for the client's address (`X-KPI-Client`), as the gateway saw it.
    public func signClient(address: String, now: Date = Date()) throws -> String {
        try signValue(ClientAssertion(address: address, expires: Int(now.timeIntervalSince1970) + Self.lifetime))
    }

    /// The address the gateway vouched for, nil when the header is missing, forged or expired.
    public func verifyClient(_ token: String?, now: Date = Date()) -> String? {
        token.flatMap { verifyValue($0, as: ClientAssertion.self, now: now)?.address }
    }

    func signValue<T: Encodable>(_ value: T) throws -> String {
        let payload = try JSONEncoder.kpi.encode(value)
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: key)
        return Self.base64url(payload) + "." + Self.base64url(Data(mac))
    }

    func verifyValue<T: Decodable & Expiring>(_ token: String, as type: T.Type, now: Date) -> T? {
        let parts = token.split(separator: ".")
        guard parts.count == 2, token.utf8.count < 8192,
              let payload = Self.unbase64url(String(parts[0])), let mac = Self.unbase64url(String(parts[1])),
              HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: key),
              let value = try? JSONDecoder().decode(T.self, from: payload),
              value.expires >= Int(now.timeIntervalSince1970) else { return nil }
        return value
    }

    public static let clientHeader = HTTPField.Name("X-KPI-Client")!

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func unbase64url(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}

/// On a domain service: a request with `X-KPI-Actor` gets a verified actor, or a 401 problem
/// when the assertion is forged, expired or cannot be checked.
struct ActorMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let signer: ActorSigner?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.headers[ActorSigner.header] else { return try await next(request, context) }
        guard let actor = signer?.verify(token) else {
            throw Problem(status: .unauthorized, title: "Unauthorized", detail: "the actor assertion is not valid")
        }
        var context = context
        context.actor = actor
        context.logger[metadataKey: "user.id"] = .string(actor.userId)
        return try await next(request, context)
    }
}

extension ServiceRequestContext {
    /// The verified actor holding `right`; 401 without one, 403 without the right.
    public func require(_ right: Right) throws -> Actor {
        guard let actor else { throw Problem(status: .unauthorized, detail: "sign-in required") }
        guard actor.has(right) else { throw Problem(status: .forbidden, detail: "the right \(right.rawValue) is required") }
        return actor
    }
}
