import Foundation
import Hummingbird
import KPIRuntime

/// Unit administration pages; identity checks the administrator right again and publishes
/// the unit events that carry each change to the other services.
enum UnitAdminRoutes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        let units = router.group("/admin/units")
        units.get("") { request, context in
            let s = try UserAdminRoutes.requireAdmin(context)
            return try await page(upstreams, s, UnitQuery(request), nil, isError: false)
        }
        units.post("") { request, context in
            let s = try UserAdminRoutes.requireAdmin(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            struct Body: Encodable { var code: Int; var nameTh: String; var kind: String; var areaCode: Int? }
            guard let code = Int(form["code"] ?? "") else {
                return try await page(upstreams, s, UnitQuery(request), "รหัสหน่วยงานต้องเป็นตัวเลข", isError: true)
            }
            let reply = try await upstreams.send(.identity, .post, "/units",
                                                 json: Body(code: code, nameTh: form["nameTh"] ?? "", kind: form["kind"] ?? "",
                                                            areaCode: Int(form["areaCode"] ?? "")),
                                                 session: request.sessionToken)
            var query = UnitQuery(request)
            query.text = String(code)
            return try await page(upstreams, s, query, reply.status == .created ? "เพิ่มหน่วยงานแล้ว" : reply.problemText,
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
        var query = UnitQuery(request)
        query.text = String(code)
        return try await page(upstreams, s, query, reply.status == .ok ? "บันทึกหน่วยงาน \(code) แล้ว" : reply.problemText,
                              isError: reply.status != .ok)
    }

    /// The page: the administrator's own area unless they chose another (the nation's staff).
    static func page(_ upstreams: Upstreams, _ s: SessionInfo, _ query: UnitQuery, _ message: String?, isError: Bool) async throws -> Response {
        var query = query
        if let own = s.user.areaCode { query.area = own }
        async let page = upstreams.units(query)
        let areas = try await upstreams.areas().filter { s.user.areaCode == nil || $0.code == s.user.areaCode }
        return AdminPages.units(try await page, areas: areas, session: s, message: message, isError: isError)
    }
}
