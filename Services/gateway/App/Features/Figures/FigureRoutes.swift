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
            let id = try indicator(context)
            let page = max(1, request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1)
            let matrix = try await matrix(id, offset: (page - 1) * 100, s, upstreams)
            return FigurePages.matrix(matrix, names: await names(people(matrix), request, upstreams), page: page, session: s)
        }
        // B6: the whole matrix, every page of units, one row per unit and round.
        for format in [FigureExports.Format.csv, .xlsx] {
            router.get("/indicators/:id/matrix.\(format.rawValue)") { request, context in
                let s = try CatalogueRoutes.requireYear(context)
                var whole = try await matrix(try indicator(context), offset: 0, s, upstreams)
                while whole.rows.count < whole.total, whole.rows.count < 50_000 {
                    let more = try await matrix(whole.indicator.id, offset: whole.rows.count, s, upstreams)
                    if more.rows.isEmpty { break }
                    whole.rows += more.rows
                }
                let sheet = FigureExports.matrixSheet(whole, names: await names(people(whole), request, upstreams))
                return FigureExports.response([sheet], format: format, fileName: "ตัวชี้วัด \(whole.indicator.number) ปี \(whole.indicator.yearBE)")
            }
        }
    }

    static func indicator(_ context: ServiceRequestContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw PageError(status: .notFound, messageTh: "ไม่พบตัวชี้วัดนี้")
        }
        return id
    }

    static func matrix(_ id: UUID, offset: Int, _ s: SessionInfo, _ upstreams: Upstreams) async throws -> Matrix {
        let reply = try await upstreams.send(.statistics, .get, "/figures/indicators/\(id.uuidString.lowercased())/matrix?offset=\(offset)", actor: s.actor)
        try CatalogueRoutes.expectOK(reply)
        return try JSONDecoder.kpi.decode(Matrix.self, from: Data(buffer: reply.body))
    }

    static func people(_ m: Matrix) -> [String] {
        Array(Set(m.rows.flatMap { $0.cells.flatMap { [$0.reporter, $0.reviewer].compactMap { $0 } } }))
    }

    /// "สรุปรายงานผล (รายปี)" (M19): an area's indicators and units; for the nation's staff, the
    /// areas compared (or one area they choose).
    static func registerSummary(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        router.get("/summary") { request, context in
            let (s, summary, filter) = try await summary(request, context, upstreams)
            async let groups = upstreams.getJSON([WorkgroupView].self, .identity, "/workgroups")
            async let areas = s.user.areaCode == nil ? upstreams.areas() : []
            return FigurePages.summary(summary, filter: filter, behindOnly: request.uri.queryParameters.get("behind") == "1",
                                       workgroups: try await groups, areas: try await areas, session: s)
        }
        // B6: the summary's lines (?part=indicators for the CSV of indicators; XLSX holds both).
        for format in [FigureExports.Format.csv, .xlsx] {
            router.get("/summary.\(format.rawValue)") { request, context in
                let (_, summary, _) = try await summary(request, context, upstreams, allUnits: true)
                let scope = summary.areaCode.map { "เขต \($0)" } ?? "ทั้งประเทศ"
                return FigureExports.response(FigureExports.summarySheets(summary), format: format,
                                              fileName: "สรุปรายงานผล \(scope) ปี \(summary.yearBE)",
                                              part: request.uri.queryParameters.get("part") == "indicators" ? 1 : 0)
            }
        }
    }

    /// The summary the request asks for: its filters, and for the nation's staff the area chosen.
    /// A page's units (`upage`, `behind=1`), or all of them for an export.
    static func summary(_ request: Request, _ context: ServiceRequestContext, _ upstreams: Upstreams, allUnits: Bool = false) async throws
        -> (SessionInfo, AnnualSummary, [String: String]) {
        let s = try CatalogueRoutes.requireYear(context)
        guard s.has(.viewSummary) else { throw PageError(status: .forbidden, messageTh: "บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้") }
        let q = request.uri.queryParameters
        var filter: [String: String] = [:]
        for key in ["d1", "d2", "d3", "d4", "workgroup"] { filter[key] = String((q.get(key) ?? "").prefix(100)) }
        let area = s.user.areaCode == nil ? q.get("area").flatMap { Int($0) } : nil
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "year", value: String(s.yearBE ?? 0))] + (area.map { [URLQueryItem(name: "area", value: String($0))] } ?? [])
            + filter.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            + (allUnits ? [URLQueryItem(name: "units", value: "all")]
                        : [URLQueryItem(name: "units", value: String(FigurePages.unitOffset(request)))]
                          + (q.get("behind") == "1" ? [URLQueryItem(name: "behind", value: "1")] : []))
        let reply = try await upstreams.send(.statistics, .get, "/figures/summary?" + (query.percentEncodedQuery ?? ""), actor: s.actor)
        try CatalogueRoutes.expectOK(reply)
        return (s, try JSONDecoder.kpi.decode(AnnualSummary.self, from: Data(buffer: reply.body)), filter)
    }

    /// The shown names of users, from identity (of the viewer's own area). Without them (identity
    /// not answering) the page still shows every figure, with "-" for the names.
    static func names(_ ids: [String], _ request: Request, _ upstreams: Upstreams) async -> [String: String] {
        guard !ids.isEmpty, let reply = try? await upstreams.send(.identity, .get, "/users/names?ids=" + ids.sorted().joined(separator: ","),
                                                                 session: request.sessionToken), reply.status == .ok else { return [:] }
        return (try? JSONDecoder.kpi.decode([String: String].self, from: Data(buffer: reply.body))) ?? [:]
    }
}
