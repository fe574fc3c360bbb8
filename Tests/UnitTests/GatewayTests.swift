import Foundation
@testable import GatewayService
import KPIContracts
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KPIRuntime
import Testing

/// The gateway's routes in-process, with every upstream pointing at a closed port.
@Suite struct GatewayTests {
    func app() -> some ApplicationProtocol {
        let (router, allowed) = ServiceRouter.make(tls: false)
        var env: [String: String] = [:]
        for upstream in Upstream.allCases { env[upstream.variable] = "http://127.0.0.1:9" }
        Routes.register(on: router, upstreams: Upstreams(environment: EnvironmentVariables(env)), secureCookies: false)
        allowed.load(from: router)
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

    @Test func templatesEscapeEveryValue() {
        let html = Views.render("signin", ["csrf": "t", "username": "<script>\"x\"&'y'</script>"])
        #expect(html.contains("value=\"&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;\""))
        #expect(!html.contains("<script>"))
    }
}

/// The edge every service shares: headers on every status, 405 with Allow, safe redirects.
@Suite struct EdgeTests {
    let gateway = GatewayTests()

    @Test(arguments: ["/", "/api/v1/units", "/no-such-page", "/api/v1/no-such", "/api/v1/units/12a"])
    func everyResponseCarriesTheSecurityHeaders(path: String) async throws {
        try await gateway.app().test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(path) \(response.status)")
                #expect(response.headers[HTTPField.Name("Content-Security-Policy")!] != nil)
                #expect(response.headers[.cacheControl] == "no-store")
            }
        }
    }

    /// Every route the gateway registers, read from its router: with and without a session,
    /// with no form (so 403, 400, 502 answers as much as 200s and redirects).
    @Test func everyRouteAnswersWithTheSecurityHeadersWhateverItsStatus() async throws {
        let (router, allowed) = ServiceRouter.make(tls: false)
        var env: [String: String] = [:]
        for upstream in Upstream.allCases { env[upstream.variable] = "http://127.0.0.1:9" }
        Routes.register(on: router, upstreams: Upstreams(environment: EnvironmentVariables(env)), secureCookies: false)
        allowed.load(from: router)
        let routes = router.routes.map { ($0.method, $0.path.description) }
        #expect(routes.count > 30, "the router lists its routes")
        let statuses = try await Application(router: router).test(.router) { client in
            var statuses = Set<Int>()
            for (method, pattern) in routes + [(.get, "/no-such-page"), (.delete, "/signin")] {
                let path = pattern.replacingOccurrences(of: ":id", with: UUID().uuidString).replacingOccurrences(of: ":code", with: "3")
                for cookie in [nil, "kpi_session=abc"] {
                    var headers: HTTPFields = [:]
                    if let cookie { headers[.cookie] = cookie }
                    let status = try await client.execute(uri: path, method: method, headers: headers) { response in
                        let what = "\(method) \(path) → \(response.status.code)"
                        #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(what)")
                        #expect(response.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true, "\(what)")
                        #expect(response.headers[HTTPField.Name("Referrer-Policy")!] != nil, "\(what)")
                        if !path.hasPrefix("/static/") { #expect(response.headers[.cacheControl] == "no-store", "\(what)") }
                        return response.status.code
                    }
                    statuses.insert(status)
                }
            }
            return statuses
        }
        #expect(statuses.isSuperset(of: [200, 302, 403, 404, 405, 502]), "\(statuses.sorted())")
    }

    @Test func aKnownPathWithTheWrongMethodIs405WithAllow() async throws {
        try await gateway.app().test(.router) { client in
            try await client.execute(uri: "/signin", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, POST")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            }
            try await client.execute(uri: "/api/v1/units/74", method: .post) { response in
                #expect(response.status == .methodNotAllowed && response.headers[.allow] == "GET")
            }
            try await client.execute(uri: "/nothing-here", method: .post) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(arguments: ["/%5Cevil.example", "/%09/evil.example", "//evil.example", "https://evil.example", "/\\evil.example",
                      "/%2F%2Fevil.example", "/units/../../x", "/javascript:alert(1)", ""])
    func theLanguageSwitchStaysOnTheSite(next: String) async throws {
        try await gateway.app().test(.router) { client in
            try await client.execute(uri: "/lang/en?next=\(next)", method: .get) { response in
                let location = response.headers[.location] ?? ""
                #expect(location == "/", "next=\(next) sent the browser to \(location)")
            }
        }
    }

    @Test func theLanguageSwitchReturnsToOurPages() async throws {
        try await gateway.app().test(.router) { client in
            try await client.execute(uri: "/lang/en?next=/admin/users%3Fstatus%3Dpending", method: .get) { response in
                #expect(response.headers[.location] == "/admin/users?status=pending")
            }
        }
    }

    @Test func staticFilesMayBeCached() async throws {
        try await gateway.app().test(.router) { client in
            try await client.execute(uri: "/static/kpi.css", method: .get) { response in
                #expect(response.headers[.cacheControl] == "public, max-age=86400")
            }
        }
    }
}

/// Form bodies at the gateway: cross-site posts, bad text, and multipart bodies built to be slow.
@Suite struct FormTests {
    let gateway = GatewayTests()

    @Test func aCrossSitePostIsRefusedBeforeItsBodyIsRead() async throws {
        try await gateway.app().test(.router) { client in
            for (name, value) in [("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.example"), ("Origin", "null")] {
                let headers: HTTPFields = [HTTPField.Name(name)!: value, .contentType: "application/x-www-form-urlencoded"]
                try await client.execute(uri: "/signin", method: .post, headers: headers, body: ByteBuffer(string: "username=a")) { response in
                    #expect(response.status == .forbidden, "\(name): \(value)")
                    #expect(String(buffer: response.body).contains("ส่งมาจากเว็บไซต์อื่น"))
                }
            }
            // Same site: on to the CSRF check (which fails here: no token), not refused as cross-site.
            let same: HTTPFields = [HTTPField.Name("Sec-Fetch-Site")!: "same-origin", .contentType: "application/x-www-form-urlencoded"]
            try await client.execute(uri: "/signin", method: .post, headers: same, body: ByteBuffer(string: "username=a")) { response in
                #expect(response.status == .forbidden)
                #expect(!String(buffer: response.body).contains("ส่งมาจากเว็บไซต์อื่น"))
            }
        }
    }

    @Test(arguments: ["username=a%00b&password=x&csrf=t", "username=%C3%28&password=x&csrf=t", "username=%FF&csrf=t"])
    func textThatIsNotUTF8OrHoldsNULIsRefused(body: String) async throws {
        try await gateway.app().test(.router) { client in
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            try await client.execute(uri: "/signin", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("อักขระที่ไม่ถูกต้อง"))
            }
        }
    }

    func postMultipart(_ client: some TestClientProtocol, boundary: String, body: [UInt8]) async throws -> (HTTPResponse.Status, Duration) {
        let headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
        let start = ContinuousClock.now
        return try await client.execute(uri: "/register", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            (response.status, ContinuousClock.now - start)
        }
    }

    @Test func aBoundaryLongerThanTheRFCsSeventyIsRefused() async throws {
        try await gateway.app().test(.router) { client in
            let (status, _) = try await postMultipart(client, boundary: String(repeating: "-", count: 200),
                                                      body: Array(repeating: UInt8(ascii: "-"), count: 1000))
            #expect(status == .badRequest)
        }
    }

    /// The old hand-written parser searched the boundary from every position: a body of dashes
    /// with a boundary of dashes took seconds per megabyte. Compared with a body of random bytes
    /// of the same size in the same run, so the machine's speed does not matter.
    @Test func aBodyOfDashesCostsNoMoreThanAnyOtherBodyOfItsSize() async throws {
        let size = 2 * 1024 * 1024
        let boundary = String(repeating: "-", count: 70)
        var rng = SystemRandomNumberGenerator()
        let random = (0..<size).map { _ in UInt8.random(in: 97...122, using: &rng) }
        let dashes = Array(repeating: UInt8(ascii: "-"), count: size)
        try await gateway.app().test(.router) { client in
            _ = try await postMultipart(client, boundary: boundary, body: random)  // warm up
            let (s1, plain) = try await postMultipart(client, boundary: boundary, body: random)
            let (s2, dashed) = try await postMultipart(client, boundary: boundary, body: dashes)
            #expect(s1 == .badRequest && s2 == .badRequest)
            #expect(dashed < plain * 5 + .milliseconds(200), "dashes \(dashed) vs random \(plain)")
        }
    }
}

@Suite struct ClientAddressTests {
    let behindProxy = ClientAddress(environment: EnvironmentVariables(["KPI_TRUSTED_PROXIES": "10.0.0.2, 10.0.0.3"]))

    @Test func forwardedForCountsOnlyFromATrustedProxy() {
        #expect(behindProxy.resolve(peer: "203.0.113.9", forwardedFor: "198.51.100.1") == "203.0.113.9", "spoofed by a client")
        #expect(behindProxy.resolve(peer: "10.0.0.2", forwardedFor: "198.51.100.1") == "198.51.100.1")
        // The client may prepend anything; the right-most untrusted hop is what our proxy saw.
        #expect(behindProxy.resolve(peer: "10.0.0.2", forwardedFor: "1.2.3.4, 198.51.100.1, 10.0.0.3") == "198.51.100.1")
        #expect(behindProxy.resolve(peer: "10.0.0.2", forwardedFor: nil) == "10.0.0.2")
        let direct = ClientAddress(environment: EnvironmentVariables([:]))
        #expect(direct.resolve(peer: "10.0.0.2", forwardedFor: "198.51.100.1") == "10.0.0.2")
    }
}


@Suite struct ThaiDateTests {
    @Test func theThaiUIShowsBuddhistEraDatesInThailandsTime() {
        // 2026-11-27 17:42 UTC is 28 Nov, 00:42 in Bangkok.
        let date = Date(timeIntervalSince1970: 1_795_801_320)
        #expect(ThaiDate.dateTime(date, in: .th) == "28 พ.ย. 2569 00:42")
        #expect(ThaiDate.dateTime(date, in: .en) == "28 Nov 2026 00:42")
        // A fiscal year's first day: 1 ต.ค. 2566.
        #expect(ThaiDate.date(Date(timeIntervalSince1970: 1_696_093_200), in: .th) == "1 ต.ค. 2566")
        // The year page's range, as catalogue sends it.
        #expect(ThaiDate.day("2023-10-01", in: .th) + " – " + ThaiDate.day("2024-09-30", in: .th) == "1 ต.ค. 2566 – 30 ก.ย. 2567")
        #expect(ThaiDate.day("2023-10-01", in: .en) == "1 Oct 2023")
        #expect(ThaiDate.day("not a day", in: .th) == "not a day")
    }
}
