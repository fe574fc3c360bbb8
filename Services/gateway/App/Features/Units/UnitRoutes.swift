import Hummingbird
import KPIRuntime

/// A unit as identity's API returns it.
struct UnitView: Decodable, Sendable {
    var code: Int
    var nameTh: String
    var kind: String
    var active: Bool
}

/// The public list of units (M20), open to everyone.
enum UnitRoutes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        router.get("/units") { _, context in
            UnitPages.list(try await upstreams.getJSON([UnitView].self, .identity, "/units"), session: context.session)
        }
    }
}

enum UnitPages {
    static let kindLabel = ["school": "โรงเรียน", "district": "สำนักงานเขตพื้นที่", "other": "หน่วยงานอื่น"]

    static func list(_ units: [UnitView], session: SessionInfo?) -> Response {
        struct Row { var code: Int; var name, kind: String; var active: Bool }
        struct Model { var count: Int; var units: [Row] }
        return Views.page("units", title: "หน่วยงาน", session: session, Model(
            count: units.count, units: units.map { Row(code: $0.code, name: $0.nameTh, kind: t(kindLabel[$0.kind] ?? $0.kind), active: $0.active) }))
    }
}
