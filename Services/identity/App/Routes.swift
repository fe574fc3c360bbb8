import Hummingbird
import KPIRuntime

/// identity's HTTP API, reached through the gateway.
enum Routes {
    static func register(on router: Router<ServiceRequestContext>, units: UnitStore) {
        router.get("/units") { _, _ in try jsonResponse(try await units.all()) }
        router.get("/units/:code") { _, context in
            guard let code = context.parameters.get("code", as: Int.self) else {
                throw Problem(status: .badRequest, detail: "unit code must be a number")
            }
            guard let unit = try await units.find(code: code) else {
                throw Problem(status: .notFound, detail: "no unit with code \(code)")
            }
            return try jsonResponse(unit)
        }
    }
}
