import Hummingbird
import KPIEvents
import KPIRuntime

/// identity's HTTP API, reached through the gateway.
enum Routes {
    static func register(on router: Router<ServiceRequestContext>, units: UnitStore, sessions: SessionStore) {
        router.post("/units") { request, context in
            _ = try await AccountRoutes.requireAdmin(request, sessions)
            struct Body: Decodable { var code: Int; var nameTh: String; var kind: UnitKind }
            let body = try await AccountRoutes.decode(Body.self, request, context, limit: AccountRoutes.maxBody)
            try await units.create(OrgUnit(code: body.code, nameTh: body.nameTh, kind: body.kind))
            return try jsonResponse(try await units.find(code: body.code), status: .created)
        }
        router.patch("/units/:code") { request, context in
            _ = try await AccountRoutes.requireAdmin(request, sessions)
            guard let code = context.parameters.get("code", as: Int.self) else {
                throw Problem(status: .badRequest, detail: "unit code must be a number")
            }
            struct Body: Decodable { var nameTh: String?; var kind: UnitKind?; var active: Bool? }
            let body = try await AccountRoutes.decode(Body.self, request, context, limit: AccountRoutes.maxBody)
            return try jsonResponse(try await units.update(code: code, nameTh: body.nameTh, kind: body.kind, active: body.active))
        }
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
