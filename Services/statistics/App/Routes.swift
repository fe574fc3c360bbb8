import Hummingbird
import KPIRuntime

/// statistics' HTTP API: public figures, reached through the gateway without sign-in.
enum Routes {
    static func register(on router: Router<ServiceRequestContext>, db: ServiceDatabase) {
        router.get("/public/units") { _, _ in try jsonResponse(try await UnitTotals.summary(db)) }
    }
}
