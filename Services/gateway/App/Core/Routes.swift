import Hummingbird
import KPIRuntime

/// The gateway's routes: the shared core (language, session, errors, cross-site refusal, the
/// forced password change, the stylesheet), then each feature's own routes.
enum Routes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams, secureCookies: Bool,
                         publicURL: String = "") {
        router.add(middleware: LanguageMiddleware())
        router.add(middleware: SessionMiddleware(upstreams: upstreams))
        router.add(middleware: PageErrorMiddleware())
        router.add(middleware: CrossSiteMiddleware(publicOrigin: CrossSiteMiddleware.origin(of: publicURL)))
        router.add(middleware: MustChangePasswordMiddleware())
        router.get("/static/kpi.css") { _, _ in stylesheet() }
        router.get("/static/kpi.js") { _, _ in script() }
        LanguageRoutes.register(on: router, secureCookies: secureCookies)

        AccountRoutes.register(on: router, upstreams: upstreams, secureCookies: secureCookies)
        PasswordRoutes.register(on: router, upstreams: upstreams, secureCookies: secureCookies)
        UnitRoutes.register(on: router, upstreams: upstreams)
        UserAdminRoutes.register(on: router, upstreams: upstreams)
        UnitAdminRoutes.register(on: router, upstreams: upstreams)
        PasswordRequestRoutes.register(on: router, upstreams: upstreams)
        CatalogueRoutes.register(on: router, upstreams: upstreams)
        ReportRoutes.register(on: router, upstreams: upstreams)
        ReviewRoutes.register(on: router, upstreams: upstreams)
        FigureRoutes.register(on: router, upstreams: upstreams)
        PublicStatisticsRoutes.register(on: router, upstreams: upstreams)
        LiveFigures.register(on: router, upstreams: upstreams)
        NoticeRoutes.register(on: router, upstreams: upstreams)
        PublicAPIRoutes.register(on: router, upstreams: upstreams)
    }
}
