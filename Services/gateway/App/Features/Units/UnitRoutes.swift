import Hummingbird
import KPIRuntime

/// The public list of units (M20), open to everyone: searched, filtered by area and kind, and
/// paged (35,000 units nationally).
enum UnitRoutes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        router.get("/units") { request, context in
            let query = UnitQuery(request)
            async let page = upstreams.units(query)
            async let areas = upstreams.areas()
            return UnitPages.list(try await page, areas: try await areas, session: context.session)
        }
    }
}

enum UnitPages {
    static let kindLabel = ["school": "โรงเรียน", "district": "สำนักงานเขตพื้นที่", "other": "หน่วยงานอื่น", "nation": "สพฐ."]

    static func list(_ page: UnitPage, areas: [UnitView], session: SessionInfo?) -> Response {
        let areaName = Dictionary(uniqueKeysWithValues: areas.map { ($0.code, $0.nameTh) })
        struct Row { var code: Int; var name, kind, area: String; var active: Bool }
        struct Model { var search: UnitSearchForm; var pager: Pager; var units: [Row] }
        return Views.page("units", title: "หน่วยงาน", session: session, Model(
            search: UnitSearchForm(action: "/units", query: page.query, areas: areas), pager: page.pager("/units"),
            units: page.units.map { Row(code: $0.code, name: $0.nameTh, kind: t(kindLabel[$0.kind] ?? $0.kind),
                                        area: $0.areaCode.flatMap { areaName[$0] } ?? "", active: $0.active) }))
    }
}
