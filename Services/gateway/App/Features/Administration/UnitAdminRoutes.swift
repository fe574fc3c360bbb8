import Foundation
import Hummingbird
import KPIRuntime

/// Unit administration pages; identity checks the administrator right again and publishes
/// the unit events that carry each change to the other services.
enum UnitAdminRoutes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        let units = router.group("/admin/units")
        units.get("") { _, context in
            let s = try UserAdminRoutes.requireAdmin(context)
            return AdminPages.units(try await upstreams.getJSON([UnitView].self, .identity, "/units"), session: s)
        }
        units.post("") { request, context in
            let s = try UserAdminRoutes.requireAdmin(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            struct Body: Encodable { var code: Int; var nameTh: String; var kind: String }
            guard let code = Int(form["code"] ?? "") else {
                return try await page(upstreams, s, "รหัสหน่วยงานต้องเป็นตัวเลข", isError: true)
            }
            let reply = try await upstreams.send(.identity, .post, "/units",
                                                 json: Body(code: code, nameTh: form["nameTh"] ?? "", kind: form["kind"] ?? ""),
                                                 session: request.sessionToken)
            return try await page(upstreams, s, reply.status == .created ? "เพิ่มหน่วยงานแล้ว" : reply.problemText,
                                  isError: reply.status != .created)
        }
        for (action, active) in [("deactivate", false), ("activate", true)] {
            units.post(":code/\(action)") { request, context in
                try await change(request, context, upstreams, ["active": .bool(active)])
            }
        }
        units.post(":code") { request, context in
            let form = try await Forms.fields(request)
            return try await change(request, context, upstreams, ["nameTh": .string(form["nameTh"] ?? ""), "kind": .string(form["kind"] ?? "")], form: form)
        }
    }

    enum Value: Encodable {
        case string(String), bool(Bool)
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self { case .string(let s): try c.encode(s); case .bool(let b): try c.encode(b) }
        }
    }

    static func change(_ request: Request, _ context: ServiceRequestContext, _ upstreams: Upstreams,
                       _ body: [String: Value], form: [String: String]? = nil) async throws -> Response {
        let s = try UserAdminRoutes.requireAdmin(context)
        let fields: [String: String]
        if let form { fields = form } else { fields = try await Forms.fields(request) }
        try checkCSRF(fields["csrf"], request: request, context: context)
        guard let code = context.parameters.get("code", as: Int.self) else {
            throw PageError(status: .notFound, messageTh: "ไม่พบหน่วยงาน")
        }
        let reply = try await upstreams.send(.identity, .patch, "/units/\(code)", json: body, session: request.sessionToken)
        return try await page(upstreams, s, reply.status == .ok ? "บันทึกหน่วยงาน \(code) แล้ว" : reply.problemText,
                              isError: reply.status != .ok)
    }

    static func page(_ upstreams: Upstreams, _ s: SessionInfo, _ message: String, isError: Bool) async throws -> Response {
        AdminPages.units(try await upstreams.getJSON([UnitView].self, .identity, "/units"), session: s, message: message, isError: isError)
    }
}
