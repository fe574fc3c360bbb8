import HTTPTypes
import Hummingbird

/// Security headers on every gateway response. Pages load only our own CSS and scripts.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Served over TLS (KPI_PUBLIC_URL is https): browsers are told to keep to https.
    var tls = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        if tls { response.headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=31536000; includeSubDomains" }
        return response
    }
}
