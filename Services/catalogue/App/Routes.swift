import Hummingbird
import KPIRuntime

/// catalogue's HTTP API, reached through the gateway.
enum Routes {
    static func register(on router: Router<ServiceRequestContext>, years: YearStore) {
        router.get("/years") { _, _ in try jsonResponse(try await years.all()) }
    }
}
