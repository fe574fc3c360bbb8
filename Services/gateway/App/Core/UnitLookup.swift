import Foundation
import Hummingbird
import KPIRuntime

/// A unit as identity's API returns it.
struct UnitView: Decodable, Sendable {
    var code: Int
    var nameTh: String
    var kind: String
    var areaCode: Int?
    var active: Bool
}

/// A search of identity's units from a page's query (`q`, `area`, `kind`, `page`, `size`): at
/// 35,000 units nationally every list is searched, filtered and paged, never sent whole.
struct UnitQuery: Sendable {
    var text = ""
    var area: Int?
    var kind = ""
    var page = 1
    var pageSize = 50
    var activeOnly = false
    /// A picker (a `select`) lists this many at most; an area has fewer units.
    static let pickerSize = 500

    init(_ request: Request, pageSize: Int = 50) {
        let q = request.uri.queryParameters
        text = String((q.get("q") ?? "").prefix(100))
        area = q.get("area").flatMap { Int($0) }
        kind = ["school", "district", "other", "nation"].first { $0 == q.get("kind") } ?? ""
        page = max(1, min(q.get("page").flatMap { Int($0) } ?? 1, 100_000))
        // A list page may ask for 10 to 100 a page; a picker takes its own size.
        self.pageSize = pageSize == 50 ? q.get("size").flatMap { Int($0) }.map { min(max($0, 10), 100) } ?? 50 : pageSize
    }

    /// identity's `/units` with this search.
    var path: String {
        var c = URLComponents()
        c.queryItems = [URLQueryItem(name: "offset", value: String((page - 1) * pageSize)), URLQueryItem(name: "limit", value: String(pageSize))]
            + (text.isEmpty ? [] : [URLQueryItem(name: "q", value: text)])
            + (area.map { [URLQueryItem(name: "area", value: String($0))] } ?? [])
            + (kind.isEmpty ? [] : [URLQueryItem(name: "kind", value: kind)])
            + (activeOnly ? [URLQueryItem(name: "active", value: "true")] : [])
        return "/units?" + (c.percentEncodedQuery ?? "")
    }

    /// This search on another page of `base` (a page of ours).
    func link(_ base: String, page: Int) -> String {
        var c = URLComponents()
        c.queryItems = (text.isEmpty ? [] : [URLQueryItem(name: "q", value: text)])
            + (area.map { [URLQueryItem(name: "area", value: String($0))] } ?? [])
            + (kind.isEmpty ? [] : [URLQueryItem(name: "kind", value: kind)])
            + (pageSize == 50 ? [] : [URLQueryItem(name: "size", value: String(pageSize))])
            + [URLQueryItem(name: "page", value: String(page))]
        return base + "?" + (c.percentEncodedQuery ?? "")
    }
}

/// One page of a unit search.
struct UnitPage: Sendable {
    var units: [UnitView]
    var total: Int
    var query: UnitQuery

    var pages: Int { max(1, (total + query.pageSize - 1) / query.pageSize) }

    /// The pager of a page at `base`: "หน้า 2 จาก 700", with links to the pages either side.
    func pager(_ base: String) -> Pager {
        Pager(page: query.page, pages: pages, total: total,
              previous: query.page > 1 ? query.link(base, page: query.page - 1) : nil,
              next: query.page < pages ? query.link(base, page: query.page + 1) : nil)
    }
}

struct Pager {
    var page, pages, total: Int
    var previous, next: String?
}

/// The search form's choices (Core/Templates/unit-search.mustache).
struct UnitSearchForm {
    var action: String
    var text: String
    var areas: [Option]
    var kinds: [Option]
    var hasKinds: Bool

    init(action: String, query: UnitQuery, areas: [UnitView], kinds: Bool = true) {
        self.action = action
        text = query.text
        self.areas = areas.map { Option(value: String($0.code), label: "\($0.code) \($0.nameTh)", selected: query.area == $0.code) }
        self.kinds = kinds ? UnitPages.kindLabel.sorted { $0.key > $1.key }.map { Option(value: $0.key, label: t($0.value), selected: query.kind == $0.key) } : []
        hasKinds = kinds
    }
}

extension Upstreams {
    func units(_ query: UnitQuery) async throws -> UnitPage {
        let reply = try await get(.identity, query.path)
        guard reply.status == .ok else { throw PageError(status: reply.status.code >= 500 ? .badGateway : .badRequest, messageTh: reply.problemText) }
        let units = try JSONDecoder.kpi.decode([UnitView].self, from: Data(buffer: reply.body))
        return UnitPage(units: units, total: Int(reply.totalCount ?? "") ?? units.count, query: query)
    }

    /// The area offices (about 245 nationally), for area pickers.
    func areas() async throws -> [UnitView] {
        try await getJSON([UnitView].self, .identity, "/units?kind=district&active=true&limit=500")
    }

    func unit(_ code: Int) async throws -> UnitView? {
        let reply = try await get(.identity, "/units/\(code)")
        guard reply.status == .ok else { return nil }
        return try? JSONDecoder.kpi.decode(UnitView.self, from: Data(buffer: reply.body))
    }
}
