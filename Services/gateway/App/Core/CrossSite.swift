import Foundation
import HTTPTypes
import Hummingbird
import KPIRuntime

/// Refuses a state-changing request that a browser says came from another site, before its
/// body is read: `Sec-Fetch-Site` other than same-origin/none, or an `Origin` that is not this
/// site's. Requests without either header (scripts, old browsers) still need the CSRF token.
struct CrossSiteMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    /// This site's origin ("https://kpi.example.go.th") when `KPI_PUBLIC_URL` names it; else the
    /// request's own Host is the site.
    let publicOrigin: String?

    static let safeMethods: Set<HTTPRequest.Method> = [.get, .head, .options]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if !Self.safeMethods.contains(request.method), isCrossSite(request) {
            context.logger.notice("cross-site request refused", metadata: ["http.path": "\(request.uri.path)", "security.event": "csrf.refused"])
            throw PageError(status: .forbidden, messageTh: "คำขอนี้ส่งมาจากเว็บไซต์อื่น ระบบจึงไม่ดำเนินการ กรุณาเปิดหน้านี้จากระบบโดยตรง")
        }
        return try await next(request, context)
    }

    func isCrossSite(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]?.lowercased(), site != "same-origin", site != "none" {
            return true
        }
        guard let origin = request.headers[HTTPField.Name("Origin")!] else { return false }
        if let publicOrigin { return origin.lowercased() != publicOrigin.lowercased() }
        guard let host = request.head.authority ?? request.headers[HTTPField.Name("Host")!],
              let url = URL(string: origin), let originHost = url.host else { return true }  // "null" and garbage included
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        return originAuthority.lowercased() != host.lowercased()
    }

    /// The origin part of `KPI_PUBLIC_URL`.
    static func origin(of publicURL: String) -> String? {
        guard let url = URL(string: publicURL), let scheme = url.scheme, let host = url.host else { return nil }
        return "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }
}
