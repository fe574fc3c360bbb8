import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime

/// The figures pages, from the statistics service: the all-rounds matrix of an indicator (M11).
/// statistics checks who may see which area's figures; identity names the people in them.
enum FigureRoutes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
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

    /// The shown names of users, from identity (of the viewer's own area). Without them (identity
    /// not answering) the page still shows every figure, with "-" for the names.
    static func names(_ ids: [String], _ request: Request, _ upstreams: Upstreams) async -> [String: String] {
        guard !ids.isEmpty, let reply = try? await upstreams.send(.identity, .get, "/users/names?ids=" + ids.sorted().joined(separator: ","),
                                                                 session: request.sessionToken), reply.status == .ok else { return [:] }
        return (try? JSONDecoder.kpi.decode([String: String].self, from: Data(buffer: reply.body))) ?? [:]
    }
}
