import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Security headers on every response of every service: pages, problem details, 404, 405 and
/// 500 alike (it is the outermost middleware, so errors have become responses when it runs).
/// Responses are `Cache-Control: no-store` unless a route chose otherwise (static files): what a
/// signed-in person sees, and every file, stays out of shared and browser caches.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Served over TLS (KPI_PUBLIC_URL is https): browsers are told to keep to https.
    public var tls: Bool

    public init(tls: Bool) { self.tls = tls }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do { response = try await next(request, context) } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        Self.apply(to: &response.headers, tls: tls)
        return response
    }

    static func apply(to headers: inout HTTPFields, tls: Bool) {
        headers[HTTPField.Name("Content-Security-Policy")!] = headers[HTTPField.Name("Content-Security-Policy")!]
            ?? "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
        if tls { headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=31536000; includeSubDomains" }
    }
}

/// A known path asked with a method it does not take is 405 with `Allow`, not 404. The table
/// of paths and methods is read from the router once every route is registered (`load`).
public final class AllowedMethods: Sendable {
    private let table = Mutex<[(pattern: [Substring], methods: Set<String>)]>([])

    public init() {}

    public func load(_ routes: [(path: String, method: String)]) {
        var byPath: [String: Set<String>] = [:]
        for r in routes { byPath[r.path, default: []].insert(r.method) }
        table.withLock { $0 = byPath.map { (Self.segments($0.key), $0.value) } }
    }

    public func load(from router: Router<some RequestContext>) {
        load(router.routes.map { ($0.path.description, $0.method.rawValue) })
    }

    /// The methods `path` takes, empty when no route has that path.
    public func methods(for path: String) -> Set<String> {
        let parts = Self.segments(path)
        return table.withLock { table in
            table.filter { Self.matches($0.pattern, parts) }.reduce(into: Set<String>()) { $0.formUnion($1.methods) }
        }
    }

    static func segments(_ path: String) -> [Substring] { path.split(separator: "/") }

    /// `:name` and `*` match one segment, `**` the rest.
    static func matches(_ pattern: [Substring], _ parts: [Substring]) -> Bool {
        for (i, p) in pattern.enumerated() {
            if p == "**" { return true }
            guard i < parts.count else { return false }
            if p.hasPrefix(":") || p == "*" || p.hasPrefix("{") { continue }
            if p != parts[i] { return false }
        }
        return pattern.count == parts.count
    }
}

public struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowed: AllowedMethods

    public init(allowed: AllowedMethods) { self.allowed = allowed }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Not found comes as an error, or as a page already (the gateway's friendly 404).
        do {
            let response = try await next(request, context)
            guard response.status == .notFound, let refusal = refusal(request) else { return response }
            return refusal
        } catch let error as HTTPError where error.status == .notFound {
            guard let refusal = refusal(request) else { throw error }
            return refusal
        }
    }

    private func refusal(_ request: Request) -> Response? {
        let methods = allowed.methods(for: request.uri.path)
        guard !methods.isEmpty, !methods.contains(request.method.rawValue) else { return nil }
        var problem = Problem(status: .methodNotAllowed, detail: "\(request.method.rawValue) is not allowed here").response()
        problem.headers[.allow] = methods.sorted().joined(separator: ", ")
        return problem
    }
}
