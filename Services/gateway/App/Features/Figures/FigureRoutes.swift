import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime

/// The figures pages, from the statistics service: the all-rounds matrix of an indicator (M11)
/// and the annual summary (M19).
/// statistics checks who may see which area's figures; identity names the people in them.
enum FigureRoutes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        registerSummary(on: router, upstreams: upstreams)
        router.get("/indicators/:id/matrix") { request, context in
            let s = try CatalogueRoutes.requireYear(context)
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
                throw PageError(status: .notFound, messageTh: "ไม่พบตัวชี้วัดนี้")
            }
            let page = max(1, request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1)
            let reply = try await upstreams.send(.statistics, .get, "/figures/indicators/\(id.uuidString.lowercased())/matrix?offset=\((page - 1) * 100)",
                                                 actor: s.actor)
            try CatalogueRoutes.expectOK(reply)
            let matrix = try JSONDecoder.kpi.decode(Matrix.self, from: Data(buffer: reply.body))
            let people = Set(matrix.rows.flatMap { $0.cells.flatMap { [$0.reporter, $0.reviewer].compactMap { $0 } } })
            return FigurePages.matrix(matrix, names: await names(Array(people), request, upstreams), page: page, session: s)
        }
    }

    /// "สรุปรายงานผล (รายปี)" (M19): an area's indicators and units; for the nation's staff, the
    /// areas compared (or one area they choose).
    static func registerSummary(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        router.get("/summary") { request, context in
            let s = try CatalogueRoutes.requireYear(context)
            guard s.has(.viewSummary) else { throw PageError(status: .forbidden, messageTh: "บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้") }
            let q = request.uri.queryParameters
            var filter: [String: String] = [:]
            for key in ["d1", "d2", "d3", "d4", "workgroup"] { filter[key] = String((q.get(key) ?? "").prefix(100)) }
            let area = s.user.areaCode == nil ? q.get("area").flatMap { Int($0) } : nil
            var query = URLComponents()
            query.queryItems = [URLQueryItem(name: "year", value: String(s.yearBE ?? 0))] + (area.map { [URLQueryItem(name: "area", value: String($0))] } ?? [])
                + filter.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            async let reply = upstreams.send(.statistics, .get, "/figures/summary?" + (query.percentEncodedQuery ?? ""), actor: s.actor)
            async let groups = upstreams.getJSON([WorkgroupView].self, .identity, "/workgroups")
            async let areas = s.user.areaCode == nil ? upstreams.areas() : []
            let answer = try await reply
            try CatalogueRoutes.expectOK(answer)
            let summary = try JSONDecoder.kpi.decode(AnnualSummary.self, from: Data(buffer: answer.body))
            return FigurePages.summary(summary, filter: filter, behindOnly: q.get("behind") == "1", workgroups: try await groups,
                                       areas: try await areas, session: s)
        }
    }

    /// The shown names of users, from identity (of the viewer's own area). Without them (identity
    /// not answering) the page still shows every figure, with "-" for the names.
    static func names(_ ids: [String], _ request: Request, _ upstreams: Upstreams) async -> [String: String] {
        guard !ids.isEmpty, let reply = try? await upstreams.send(.identity, .get, "/users/names?ids=" + ids.sorted().joined(separator: ","),
                                                                 session: request.sessionToken), reply.status == .ok else { return [:] }
        return (try? JSONDecoder.kpi.decode([String: String].self, from: Data(buffer: reply.body))) ?? [:]
    }
}
