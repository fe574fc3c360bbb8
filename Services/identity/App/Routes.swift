import Foundation
import HTTPTypes
import Hummingbird
import KPIEvents
import KPIRuntime

/// identity's unit API, reached through the gateway. Reading is open to all; an area's
/// administrator adds and changes the units of their own area, the nation's administrator
/// adds area offices and changes any unit.
enum Routes {
    static func register(on router: Router<ServiceRequestContext>, units: UnitStore, sessions: SessionStore) {
        router.post("/units") { request, context in
            let admin = try await AccountRoutes.requireAdmin(request, sessions)
            struct Body: Decodable { var code: Int; var nameTh: String; var kind: UnitKind; var areaCode: Int? }
            let body = try await request.decodeJSON(Body.self, limit: AccountRoutes.maxBody)
            let area: Int?
            switch admin.scope {
            case .area(let own):
                // An area's administrator adds schools and other units to their own area only.
                guard body.kind == .school || body.kind == .other else {
                    throw FieldProblems(fields: ["kind": "เพิ่มได้เฉพาะโรงเรียนและหน่วยงานอื่นในเขตพื้นที่ของท่าน"]).problem
                }
                guard body.areaCode == nil || body.areaCode == own else { throw AccountRoutes.forbidden }
                area = own
            case .nation:
                area = body.kind == .district ? body.code : body.areaCode
            }
            try await units.create(OrgUnit(code: body.code, nameTh: body.nameTh, kind: body.kind, areaCode: area))
            return try jsonResponse(try await units.find(code: body.code), status: .created)
        }
        router.patch("/units/:code") { request, context in
            let admin = try await AccountRoutes.requireAdmin(request, sessions)
            let code = try unitCode(context)
            guard let unit = try await units.find(code: code), unit.kind == .nation ? admin.scope == .nation : admin.scope.covers(area: unit.areaCode) else {
                throw Problem(status: .notFound, detail: "ไม่พบหน่วยงานรหัส \(code)")
            }
            struct Body: Decodable { var nameTh: String?; var kind: UnitKind?; var active: Bool? }
            let body = try await request.decodeJSON(Body.self, limit: AccountRoutes.maxBody)
            return try jsonResponse(try await units.update(code: code, nameTh: body.nameTh, kind: body.kind, active: body.active))
        }
        // ?q= (a code, or part of a name), area=, kind=, active=true, offset=, limit= (≤ 500).
        // The page is the body; the count of all matches is in X-Total-Count.
        router.get("/units") { request, _ in
            let q = request.uri.queryParameters
            var search = UnitStore.Search(text: q.get("q"), area: q.get("area").flatMap { Int($0) },
                                          kind: q.get("kind").flatMap(UnitKind.init(rawValue:)),
                                          activeOnly: q.get("active") == "true",
                                          offset: q.get("offset").flatMap { Int($0) } ?? 0, limit: q.get("limit").flatMap { Int($0) } ?? 100)
            if let kind = q.get("kind"), !kind.isEmpty, search.kind == nil {
                throw Problem(status: .badRequest, detail: "unknown unit kind \(kind)")
            }
            search.offset = min(search.offset, 10_000_000)
            let (page, total) = try await units.search(search)
            var response = try jsonResponse(page)
            response.headers[HTTPField.Name("X-Total-Count")!] = String(total)
            return response
        }
        router.get("/units/:code") { _, context in
            let code = try unitCode(context)
            guard let unit = try await units.find(code: code) else {
                throw Problem(status: .notFound, detail: "no unit with code \(code)")
            }
            return try jsonResponse(unit)
        }
    }

    static func unitCode(_ context: ServiceRequestContext) throws -> Int {
        guard let code = context.parameters.get("code", as: Int.self) else {
            throw Problem(status: .badRequest, detail: "unit code must be a number")
        }
        return code
    }
}
