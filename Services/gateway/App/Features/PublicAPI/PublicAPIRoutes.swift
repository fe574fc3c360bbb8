import Hummingbird
import KPIRuntime

/// The public JSON API (/api/v1): read-only, open to everyone, answers and errors as JSON
/// (problem details), passed through from the service that owns the data.
enum PublicAPIRoutes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        let api = router.group("/api/v1")
        api.get("/units") { request, _ in try await upstreams.forward(.identity, "/units" + Upstreams.query(of: request)) }
        api.get("/units/:code") { _, context in
            guard let code = context.parameters.get("code", as: Int.self) else {
                throw Problem(status: .badRequest, detail: "unit code must be a number")
            }
            return try await upstreams.forward(.identity, "/units/\(code)")
        }
        api.get("/years") { _, _ in try await upstreams.forward(.catalogue, "/years") }
        api.get("/statistics/units") { _, _ in try await upstreams.forward(.statistics, "/public/units") }
        // A year's figures (M20): the nation by area, or one area by indicator and unit; cached as the page is.
        api.get("/statistics/figures") { request, _ in try await PublicStatisticsRoutes.api(request, upstreams) }
        // The indicator list of one year and area office, for everyone: kept a few seconds in
        // memory and answered with ETag / 304 (lists change only by events).
        let cache = ResponseCache()
        api.get("/indicators") { request, _ in
            let q = request.uri.queryParameters
            guard let year = q.get("year").flatMap({ Int($0) }), let area = q.get("area").flatMap({ Int($0) }) else {
                throw Problem(status: .badRequest, detail: "year and area are required numbers")
            }
            let path = "/public/indicators?year=\(year)&area=\(area)"
            let entry = try await cache.answer(path) { try await upstreams.get(.catalogue, path) }
            return ResponseCache.response(entry, for: request, lifetime: cache.lifetime)
        }
    }
}
