import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime

/// A person's own password and sessions, and the request for a new password.
enum PasswordRoutes {
    static func ownSessions(_ upstreams: Upstreams, _ request: Request) async throws -> [PasswordPages.SessionView] {
        let reply = try await upstreams.send(.identity, .get, "/sessions", session: request.sessionToken)
        guard reply.status == .ok else { throw SignInRequired() }
        return try JSONDecoder.kpi.decode([PasswordPages.SessionView].self, from: Data(buffer: reply.body))
    }

    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams, secureCookies: Bool) {
        router.get("/sessions") { request, context in
            let s = try requireSession(context)
            return PasswordPages.sessions(s, try await ownSessions(upstreams, request))
        }
        router.post("/sessions/:id/end") { request, context in
            let s = try requireSession(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            let id = context.parameters.get("id") ?? ""
            let reply = try await upstreams.send(.identity, .delete, "/sessions/\(id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                                                 session: request.sessionToken)
            guard reply.status == .noContent else { throw PageError(status: .notFound, messageTh: "ไม่พบการเข้าสู่ระบบนี้") }
            return PasswordPages.sessions(s, try await ownSessions(upstreams, request), ended: true)
        }
        router.get("/password") { _, context in
            PasswordPages.change(try requireSession(context))
        }
        router.post("/password") { request, context in
            let s = try requireSession(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            let reply = try await upstreams.send(.identity, .put, "/sessions/current/password",
                                                 json: ["current": form["current"] ?? "", "new": form["new"] ?? ""], session: request.sessionToken)
            if reply.status == .noContent {
                var changed = s
                changed.user.mustChangePassword = false
                return PasswordPages.change(changed, done: true)
            }
            return PasswordPages.change(s, errors: reply.fieldErrors, status: .unprocessableContent)
        }

        router.get("/forgot") { request, _ in
            try withAnonymousCSRF(request, secure: secureCookies) { PasswordPages.request(csrf: $0) }
        }
        router.post("/forgot") { request, context in
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            let reply = try await upstreams.send(.identity, .post, "/password-requests",
                                                 json: ["username": form["username"] ?? "", "reason": form["reason"] ?? "", "note": form["note"] ?? ""],
                                                 client: upstreams.client(of: request, context))
            let csrf = form["csrf"] ?? ""
            return reply.status == .accepted ? PasswordPages.request(csrf: csrf, sent: true)
                : PasswordPages.request(csrf: csrf, error: reply.problemText)
        }
    }
}

/// A user whose password is temporary goes to the password page first; nothing else opens.
struct MustChangePasswordMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    static let allowed: Set<String> = ["/password", "/signout", "/static/kpi.css"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let s = context.session, s.user.mustChangePassword, !Self.allowed.contains(request.uri.path), !request.uri.path.hasPrefix("/api/") {
            return Response.redirect(to: "/password", type: .found)
        }
        return try await next(request, context)
    }
}
