@testable import GatewayService
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KPIRuntime
import Testing

/// The gateway's routes in-process, with every upstream pointing at a closed port.
@Suite struct GatewayTests {
    func app() -> some ApplicationProtocol {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: CorrelationMiddleware())
        router.add(middleware: ProblemMiddleware())
        var env: [String: String] = [:]
        for name in Upstreams.names { env[Upstreams.variables[name]!] = "http://127.0.0.1:9" }
        Routes.register(on: router, upstreams: Upstreams(environment: EnvironmentVariables(env)), secureCookies: false)
        return Application(router: router)
    }

    @Test func pagesCarrySecurityHeadersAndThaiShell() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true)
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                let body = String(buffer: response.body)
                #expect(body.contains("<html lang=\"th\">") && body.utf8.count < 100_000)
            }
        }
    }

    @Test func aServiceThatIsDownIsA502ProblemNotAHang() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/v1/units", method: .get) { response in
                #expect(response.status == .badGateway)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(String(buffer: response.body).contains("identity did not answer"))
            }
        }
    }

    @Test func badInputIsA400Problem() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/v1/units/12a", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("unit code must be a number"))
            }
        }
    }

    @Test func htmlIsEscaped() {
        #expect(esc("<script>\"x\"&'y'</script>") == "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;")
    }
}
