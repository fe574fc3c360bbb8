import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import KPIRuntime
import NIOCore

/// A service the gateway forwards to.
public enum Upstream: String, CaseIterable, Sendable {
    case identity, catalogue, intake, review, statistics

    /// The variable that names its base URL.
    public var variable: String {
        switch self {
        case .identity: "KPI_IDENTITY_URL"
        case .catalogue: "KPI_CATALOGUE_URL"
        case .intake: "KPI_INTAKE_URL"
        case .review: "KPI_REVIEW_URL"
        case .statistics: "KPI_STATISTICS_URL"
        }
    }
}

/// The services the gateway forwards to, from `KPI_<SERVICE>_URL` (default: the service's
/// default port on 127.0.0.1).
public struct Upstreams: Sendable {
    public let urls: [Upstream: String]
    let client: HTTPClient
    /// Signs each forwarded request's user (`X-KPI-Actor`) and client address (`X-KPI-Client`)
    /// for its service, method and path, with `KPI_FORWARD_SIGNING_KEY`.
    let signer: ForwardSigner?
    let clientAddress: ClientAddress
    /// The largest file passed on to a service (`KPI_FILE_MAX_BYTES`, default 20 MiB), refused
    /// here already so that a school hears it at once.
    public let fileMaxBytes: Int64

    /// One client for all upstreams. A service that is down fails a request at once (no
    /// retrying the connection until the deadline), so pages and readiness answer quickly.
    public static let client: HTTPClient = {
        var config = HTTPClient.Configuration()
        config.timeout = .init(connect: .seconds(2), read: .seconds(30))
        config.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }()

    public init(environment: EnvironmentVariables, client: HTTPClient = Upstreams.client) {
        var urls: [Upstream: String] = [:]
        for upstream in Upstream.allCases {
            let port = ServiceConfig.defaultPorts[upstream.rawValue] ?? 0
            urls[upstream] = environment.string(upstream.variable, default: "http://127.0.0.1:\(port)")
        }
        self.urls = urls
        self.client = client
        self.signer = ForwardSigner(privateKey: environment.string("KPI_FORWARD_SIGNING_KEY", default: ""))
        self.clientAddress = ClientAddress(environment: environment)
        self.fileMaxBytes = Int64(environment.string("KPI_FILE_MAX_BYTES", default: "")) ?? 20 * 1024 * 1024
    }

    /// This request's client address (after trusted proxies), for `send(client:)` to vouch for.
    func client(of request: Request, _ context: ServiceRequestContext) -> String {
        clientAddress.resolve(request, context)
    }

    /// The upstream's answer: status, content type and body (bounded).
    public struct Reply: Sendable {
        public var status: HTTPResponse.Status
        public var contentType: String
        public var body: ByteBuffer
        /// The upstream's `Retry-After` (with 503 when it had no capacity left).
        public var retryAfter: String? = nil
        /// The upstream's `X-Total-Count` (paged lists).
        public var totalCount: String? = nil
    }

    static let totalCount = HTTPField.Name("X-Total-Count")!

    /// The request's query string ("?…"), re-encoded, or "" (passed on to a service's list).
    static func query(of request: Request) -> String {
        var components = URLComponents()
        components.queryItems = request.uri.queryParameters.map { URLQueryItem(name: String($0.key), value: String($0.value)) }
        guard let query = components.percentEncodedQuery, !query.isEmpty else { return "" }
        return "?" + query
    }

    static let maxBody = 8 * 1024 * 1024

    /// GET `path` on `service`, carrying the correlation id. A service that does not answer
    /// becomes a 502 problem, never a hang or a crash.
    public func get(_ service: Upstream, _ path: String) async throws -> Reply {
        try await send(service, .get, path)
    }

    /// Sends a request with an optional JSON body, carrying the correlation id and, as asked,
    /// the session token (identity resolves and checks it), the signed user (the domain
    /// services check its rights) and the signed client address (identity throttles by it).
    public func send(_ service: Upstream, _ method: HTTPRequest.Method, _ path: String, json: (any Encodable)? = nil,
                     session: String? = nil, actor: Actor? = nil, client: String? = nil) async throws -> Reply {
        var body: HTTPClientRequest.Body?
        if let json { body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(json))) }
        return try await collect(try await execute(service, method, path, body: body, contentType: json == nil ? nil : "application/json",
                                                   session: session, actor: actor, client: client, timeout: .seconds(15)), from: service)
    }

    /// Sends a stream of bytes (a file the browser is still uploading) as the body, without
    /// gathering it: the service reads it as it arrives. Given minutes, not seconds: a school
    /// on a slow line may take that long (a silent connection is closed by the idle timeout).
    public func upload<Bytes: AsyncSequence & Sendable>(_ service: Upstream, _ method: HTTPRequest.Method = .post, _ path: String, bytes: Bytes,
                                                       actor: Actor) async throws -> Reply
    where Bytes.Element == ByteBuffer {
        try await collect(try await execute(service, method, path, body: .stream(bytes, length: .unknown), contentType: "application/octet-stream",
                                            actor: actor, timeout: .minutes(30)), from: service)
    }

    /// A file from a service passed to the browser as it arrives (never gathered), with the
    /// service's type, length and disposition; a refusal is the service's reply, for a page.
    public func download(_ service: Upstream, _ path: String, actor: Actor) async throws -> Fetched {
        let response = try await execute(service, .get, path, actor: actor, timeout: .minutes(30))
        guard response.status == .ok else { return .refused(try await collect(response, from: service)) }
        var headers: HTTPFields = [:]
        for (name, field) in [("content-type", HTTPField.Name.contentType), ("content-disposition", .contentDisposition),
                              ("content-length", .contentLength), ("cache-control", .cacheControl)] {
            if let value = response.headers.first(name: name) { headers[field] = value }
        }
        return .file(Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: response.body)))
    }

    /// A download: the file on its way, or the service's refusal.
    public enum Fetched: Sendable {
        case file(Response)
        case refused(Reply)
    }

    func execute(_ service: Upstream, _ method: HTTPRequest.Method, _ path: String, body: HTTPClientRequest.Body? = nil, contentType: String? = nil,
                 session: String? = nil, actor: Actor? = nil, client: String? = nil, timeout: TimeAmount) async throws -> HTTPClientResponse {
        guard let base = urls[service] else { throw Problem(status: .internalServerError) }
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method.rawValue)
        if let id = Correlation.id { request.headers.add(name: "X-Correlation-Id", value: id) }
        if let session { request.headers.add(name: "X-KPI-Session", value: session) }
        if let actor {
            guard let signer else {
                throw PageError(status: .serviceUnavailable, messageTh: "ระบบยังไม่ได้ตั้งค่ากุญแจส่งต่อสิทธิ์ (KPI_FORWARD_SIGNING_KEY)")
            }
            request.headers.add(name: "X-KPI-Actor", value: try signer.sign(actor, for: service.rawValue, method: method, path: path))
        }
        if let client, let signed = try? signer?.signClient(address: client, for: service.rawValue, method: method, path: path) {
            request.headers.add(name: "X-KPI-Client", value: signed)
        }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = body }
        do {
            return try await self.client.execute(request, timeout: timeout)
        } catch {
            throw Problem(status: .badGateway, title: "Service unavailable", detail: "\(service) did not answer")
        }
    }

    func collect(_ response: HTTPClientResponse, from service: Upstream) async throws -> Reply {
        do {
            let body = try await response.body.collect(upTo: Self.maxBody)
            return Reply(status: .init(code: Int(response.status.code)),
                         contentType: response.headers.first(name: "content-type") ?? "application/json", body: body,
                         retryAfter: response.headers.first(name: "retry-after"), totalCount: response.headers.first(name: "x-total-count"))
        } catch {
            throw Problem(status: .badGateway, title: "Service unavailable", detail: "\(service) did not answer")
        }
    }

    /// Decodes a JSON reply, or throws the upstream's problem as ours.
    public func getJSON<T: Decodable>(_ type: T.Type, _ service: Upstream, _ path: String) async throws -> T {
        let reply = try await get(service, path)
        guard reply.status == .ok else {
            if reply.status == .serviceUnavailable { throw Problem.busy(retryAfter: Int(reply.retryAfter ?? "") ?? 2) }
            throw Problem(status: reply.status.code >= 500 ? .badGateway : reply.status, detail: "\(service) answered \(reply.status.code)")
        }
        return try JSONDecoder.kpi.decode(T.self, from: Data(buffer: reply.body))
    }

    /// Passes an upstream reply through unchanged (JSON API routes).
    public func forward(_ service: Upstream, _ path: String) async throws -> Response {
        let reply = try await get(service, path)
        var headers: HTTPFields = [.contentType: reply.contentType]
        if let retryAfter = reply.retryAfter { headers[.retryAfter] = retryAfter }
        if let total = reply.totalCount { headers[Self.totalCount] = total }
        return Response(status: reply.status, headers: headers, body: .init(byteBuffer: reply.body))
    }

    /// True when the service answers its liveness check.
    public func isLive(_ service: Upstream) async -> Bool {
        guard let reply = try? await get(service, "/health/live") else { return false }
        return reply.status == .ok
    }
}

extension Upstreams.Reply {
    /// The Thai detail of a service's problem reply.
    var problemText: String {
        struct P: Decodable { var detail: String? }
        return (try? JSONDecoder.kpi.decode(P.self, from: Data(buffer: body)))?.detail ?? "ทำรายการไม่สำเร็จ"
    }

    /// The `fields` of a service's 422 problem: field → Thai message.
    var fieldErrors: [String: String] { Problem.fields(in: Array(buffer: body)) }
}
