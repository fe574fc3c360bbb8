import Foundation
import Hummingbird
import KPIRuntime

/// Browser sessions: identity keeps them; the gateway holds only the cookie's token, which it
/// hands to identity on every request (`X-KPI-Session`). So a right taken away or an account
/// disabled takes effect on the user's next request, and any number of gateways can run.
enum SessionCookie {
    static let name = "kpi_session"
    /// For forms shown before sign-in (sign-in, registration): a double-submit token.
    static let anonymousCSRF = "kpi_csrf"

    static func make(_ token: String, secure: Bool) throws -> Cookie {
        try Cookie.validated(name: name, value: token, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    static func clear(secure: Bool) throws -> Cookie {
        try Cookie.validated(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

/// Resolves the session cookie to a signed-in user for every request.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let upstreams: Upstreams

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[SessionCookie.name]?.value, !token.isEmpty, !request.uri.path.hasPrefix("/static/") {
            let reply: Upstreams.Reply
            do {
                reply = try await upstreams.send(.identity, .get, "/sessions/current", session: token)
            } catch where !request.uri.path.hasPrefix("/api/") {
                // identity is down: a friendly page, not a problem document.
                return ErrorPage.render(PageError(status: .badGateway, messageTh: "ระบบบางส่วนไม่ตอบสนองในขณะนี้ กรุณาลองใหม่ภายหลัง"), session: nil)
            }
            if reply.status == .ok {
                context.session = try? JSONDecoder.kpi.decode(SessionInfo.self, from: Data(buffer: reply.body))
            }
        }
        return try await next(request, context)
    }
}

extension Request {
    var sessionToken: String? { cookies[SessionCookie.name]?.value }
}

/// Thrown by pages that need a signed-in user: they redirect to the sign-in page.
struct SignInRequired: Error {}

/// The signed-in user, or a redirect to the sign-in page.
func requireSession(_ context: ServiceRequestContext) throws -> SessionInfo {
    guard let s = context.session else { throw SignInRequired() }
    return s
}

/// Shows a form before sign-in with a double-submit CSRF token (cookie + hidden field).
func withAnonymousCSRF(_ request: Request, secure: Bool, _ render: (String) -> Response) throws -> Response {
    let token = request.cookies[SessionCookie.anonymousCSRF]?.value ?? randomToken()
    var response = render(token)
    response.setCookie(try Cookie.validated(name: SessionCookie.anonymousCSRF, value: token, path: "/", secure: secure,
                                            httpOnly: true, sameSite: .strict))
    return response
}

/// Checks the CSRF token of a state-changing form: the session's token when signed in, else
/// the double-submit cookie.
func checkCSRF(_ submitted: String?, request: Request, context: ServiceRequestContext) throws {
    let expected = context.session?.csrf ?? request.cookies[SessionCookie.anonymousCSRF]?.value
    guard let expected, !expected.isEmpty, let submitted, constantTimeEqual(submitted, expected) else {
        throw PageError(status: .forbidden, messageTh: "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาเปิดหน้าใหม่แล้วลองอีกครั้ง")
    }
}

func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}

func randomToken() -> String {
    var rng = SystemRandomNumberGenerator()
    return (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
}

/// An error shown as a friendly Thai page (HTML routes), never a stack trace.
struct PageError: Error {
    var status: HTTPResponse.Status
    var messageTh: String
}
