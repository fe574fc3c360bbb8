import Hummingbird
import KPIRuntime

/// The gateway's public routes: the web pages and the public JSON API (/api/v1).
enum Routes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams, secureCookies: Bool,
                         publicURL: String = "") {
        router.add(middleware: LanguageMiddleware())
        router.add(middleware: SessionMiddleware(upstreams: upstreams))
        router.add(middleware: PageErrorMiddleware())
        router.add(middleware: CrossSiteMiddleware(publicOrigin: CrossSiteMiddleware.origin(of: publicURL)))
        router.add(middleware: MustChangePasswordMiddleware())
        router.get("/static/kpi.css") { _, _ in stylesheet() }
        router.get("/units") { _, context in
            UnitPages.list(try await upstreams.getJSON([UnitView].self, .identity, "/units"), session: context.session)
        }
        AccountRoutes.register(on: router, upstreams: upstreams, secureCookies: secureCookies)
        AdminRoutes.register(on: router, upstreams: upstreams)
        UnitAdminRoutes.register(on: router, upstreams: upstreams)
        PasswordRoutes.register(on: router, upstreams: upstreams, secureCookies: secureCookies)
        LanguageRoutes.register(on: router, secureCookies: secureCookies)

        let api = router.group("/api/v1")
        api.get("/units") { _, _ in try await upstreams.forward(.identity, "/units") }
        api.get("/units/:code") { _, context in
            guard let code = context.parameters.get("code", as: Int.self) else {
                throw Problem(status: .badRequest, detail: "unit code must be a number")
            }
            return try await upstreams.forward(.identity, "/units/\(code)")
        }
        api.get("/years") { _, _ in try await upstreams.forward(.catalogue, "/years") }
        api.get("/statistics/units") { _, _ in try await upstreams.forward(.statistics, "/public/units") }
    }
}
