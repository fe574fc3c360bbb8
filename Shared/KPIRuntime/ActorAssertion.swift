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
    /// The user's area office; nil for the nation's staff. Rights apply within it.
    public var areaCode: Int?
    public var rights: [Right]
    public var yearBE: Int?
    /// The name shown beside what the user sends ("ผู้ส่งไฟล์ : …"); kept by the service that
    /// stores it, never put in an event.
    public var nameTh: String?
    /// The district workgroup the user works in; reviewers review its indicators.
    public var workgroupId: Int?

    public init(userId: String, username: String, unitCode: Int, areaCode: Int?, rights: [Right], yearBE: Int?, nameTh: String? = nil,
                workgroupId: Int? = nil) {
        self.userId = userId; self.username = username; self.unitCode = unitCode; self.areaCode = areaCode; self.rights = rights
        self.yearBE = yearBE; self.nameTh = nameTh; self.workgroupId = workgroupId
    }

    /// The name to show for what this user did: their Thai name, else their username.
    public var shownName: String { nameTh.flatMap { $0.isEmpty ? nil : $0 } ?? username }

    public func has(_ right: Right) -> Bool { rights.contains(right) }

    /// True when the user's rights reach `area`: their own area office, or any for the nation's staff.
    public func reaches(area: Int?) -> Bool { areaCode == nil || areaCode == area }
}

/// What one signature covers: the value, the service it is for, the request it rides on and
/// when it stops being valid. A token taken from one request is refused by any other
/// service, on any other path, and after a minute.
struct ForwardClaims<Value: Codable>: Codable {
    var audience: String
    var method: String
    var path: String
    var expires: Int
    var value: Value
}

/// The gateway's half: signs `X-KPI-Actor` and `X-KPI-Client` with the Ed25519 private key
/// from `KPI_FORWARD_SIGNING_KEY` (base64 of the 32-byte raw key). Only the gateway holds it;
/// the services hold the public key, so a compromised service cannot forge a user for another.
/// Token: base64url(JSON claims) "." base64url(signature).
public struct ForwardSigner: Sendable {
    /// Lifetime of one assertion.
    public static let lifetime = 60
    /// The raw key (swift-crypto's key types are not Sendable; making one from 32 bytes is cheap).
    let raw: Data
    var key: Curve25519.Signing.PrivateKey { try! Curve25519.Signing.PrivateKey(rawRepresentation: raw) }

    /// nil when the key is missing or not a 32-byte Ed25519 key (then nothing is signed).
    public init?(privateKey base64: String) {
        guard let raw = Data(base64Encoded: base64), raw.count == 32,
              (try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)) != nil else { return nil }
        self.raw = raw
    }

    /// A new random key pair.
    public init() { self.raw = Curve25519.Signing.PrivateKey().rawRepresentation }

    /// base64 of the raw private key, the value of the gateway's `KPI_FORWARD_SIGNING_KEY`.
    public var privateKey: String { key.rawRepresentation.base64EncodedString() }

    /// base64 of the raw public key, the value of the services' `KPI_FORWARD_VERIFY_KEY`.
    public var publicKey: String { key.publicKey.rawRepresentation.base64EncodedString() }

    /// `X-KPI-Actor` for one request to `audience`.
    public func sign(_ actor: Actor, for audience: String, method: HTTPRequest.Method, path: String, now: Date = Date()) throws -> String {
        try sign(actor, audience, method, path, now)
    }

    /// `X-KPI-Client`: the client's address as the gateway saw it (after trusted proxies).
    public func signClient(address: String, for audience: String, method: HTTPRequest.Method, path: String, now: Date = Date()) throws -> String {
        try sign(address, audience, method, path, now)
    }

    func sign<Value: Codable>(_ value: Value, _ audience: String, _ method: HTTPRequest.Method, _ path: String, _ now: Date) throws -> String {
        let claims = ForwardClaims(audience: audience, method: method.rawValue, path: ForwardVerifier.pathOnly(path),
                                   expires: Int(now.timeIntervalSince1970) + Self.lifetime, value: value)
        let payload = try JSONEncoder.kpi.encode(claims)
        return Base64URL.encode(payload) + "." + Base64URL.encode(try key.signature(for: payload))
    }
}

/// A service's half: verifies assertions with the gateway's public key
/// (`KPI_FORWARD_VERIFY_KEY`), for this service (`audience`) and this request only.
public struct ForwardVerifier: Sendable {
    public static let actorHeader = HTTPField.Name("X-KPI-Actor")!
    public static let clientHeader = HTTPField.Name("X-KPI-Client")!
    let raw: Data
    var key: Curve25519.Signing.PublicKey { try! Curve25519.Signing.PublicKey(rawRepresentation: raw) }
    let audience: String

    /// nil when the key is missing or not a 32-byte Ed25519 public key (then nothing is trusted).
    public init?(publicKey base64: String, audience: String) {
        guard let raw = Data(base64Encoded: base64), raw.count == 32,
              (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else { return nil }
        self.raw = raw
        self.audience = audience
    }

    /// The actor if the gateway signed it for this service, method and path, and it has not expired.
    public func actor(_ token: String, method: HTTPRequest.Method, path: String, now: Date = Date()) -> Actor? {
        verify(token, as: Actor.self, method: method, path: path, now: now)
    }

    /// The address the gateway vouched for, nil when the header is missing, forged, expired or
    /// made for another request.
    public func client(_ token: String?, method: HTTPRequest.Method, path: String, now: Date = Date()) -> String? {
        token.flatMap { verify($0, as: String.self, method: method, path: path, now: now) }
    }

    func verify<Value: Codable>(_ token: String, as type: Value.Type, method: HTTPRequest.Method, path: String, now: Date) -> Value? {
        let parts = token.split(separator: ".")
        guard parts.count == 2, token.utf8.count < 8192,
              let payload = Base64URL.decode(String(parts[0])), let signature = Base64URL.decode(String(parts[1])),
              key.isValidSignature(signature, for: payload),
              let claims = try? JSONDecoder().decode(ForwardClaims<Value>.self, from: payload),
              claims.audience == audience, claims.method == method.rawValue, claims.path == Self.pathOnly(path),
              claims.expires >= Int(now.timeIntervalSince1970) else { return nil }
        return claims.value
    }

    /// The path a signature covers: without the query, which the services read as data.
    static func pathOnly(_ path: String) -> String {
        String(path.prefix { $0 != "?" })
    }
}

enum Base64URL {
    static func encode<D: DataProtocol>(_ data: D) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}

/// On a domain service: a request with `X-KPI-Actor` gets a verified actor, or a 401 problem
/// when the assertion is forged, expired, made for another request or cannot be checked.
struct ActorMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let verifier: ForwardVerifier?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.headers[ForwardVerifier.actorHeader] else { return try await next(request, context) }
        guard let actor = verifier?.actor(token, method: request.method, path: request.uri.path) else {
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
