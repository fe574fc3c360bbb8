import Foundation
import HTTPTypes
import Hummingbird
import KPIContracts
import KPIRuntime

/// The indicator catalogue's pages: the list of the chosen year (รายการตัวชี้วัด แยกตามประเภท),
/// defining and editing an indicator, its status, and opening and closing its rounds. catalogue
/// checks every right again on the signed actor; the pages only hide what one may not do.
enum CatalogueRoutes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        router.get("/indicators") { request, context in
            let s = try requireYear(context)
            let q = request.uri.queryParameters
            let area = try await chosenArea(q.get("area").flatMap { Int($0) }, s, upstreams)
            let path = "/indicators?year=\(s.yearBE ?? 0)" + (area.map { "&area=\($0)" } ?? "")
            async let list = call([IndicatorView].self, upstreams, .get, path, s)
            async let groups = upstreams.getJSON([WorkgroupView].self, .identity, "/workgroups")
            async let areas = s.user.areaCode == nil ? upstreams.areas() : []
            var filter: [String: String] = [:]
            for key in ["d1", "d2", "d3", "d4", "workgroup"] { filter[key] = String((q.get(key) ?? "").prefix(100)) }
            return CataloguePages.list(try await list, workgroups: try await groups, areas: try await areas, area: area, filter: filter, session: s)
        }

        router.get("/indicators/new") { request, context in
            let s = try requireController(context)
            let area = request.uri.queryParameters.get("area").flatMap { Int($0) }
            return try await form(nil, values: [:], errors: [:], area: area, s, upstreams)
        }
        router.post("/indicators/new") { request, context in
            let s = try requireController(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            struct Body: Encodable { var yearBE: Int; var areaCode: Int?; var indicator: IndicatorFormBody }
            let area = Int(form["areaCode"] ?? "")
            let reply = try await upstreams.send(.catalogue, .post, "/indicators",
                                                 json: Body(yearBE: s.yearBE ?? 0, areaCode: area, indicator: IndicatorFormBody(form)), actor: s.actor)
            if reply.status == .created { return Response.redirect(to: "/indicators" + (area.map { "?area=\($0)" } ?? ""), type: .normal) }
            return try await refused(reply, values: form, id: nil, area: area, s, upstreams)
        }
        router.get("/indicators/:id/edit") { _, context in
            let s = try requireController(context)
            let indicator = try await call(IndicatorView.self, upstreams, .get, "/indicators/\(try id(context))", s)
            return try await form(indicator, values: IndicatorFormBody.values(of: indicator), errors: [:], area: indicator.areaCode, s, upstreams)
        }
        router.post("/indicators/:id/edit") { request, context in
            let s = try requireController(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            let id = try id(context)
            let reply = try await upstreams.send(.catalogue, .put, "/indicators/\(id)", json: IndicatorFormBody(form), actor: s.actor)
            if reply.status == .ok { return Response.redirect(to: "/indicators", type: .normal) }
            let indicator = try await call(IndicatorView.self, upstreams, .get, "/indicators/\(id)", s)
            return try await refused(reply, values: form, id: indicator, area: indicator.areaCode, s, upstreams)
        }
        router.post("/indicators/:id/status") { request, context in
            let s = try requireController(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            let reply = try await upstreams.send(.catalogue, .put, "/indicators/\(try id(context))/status",
                                                 json: ["status": form["status"] ?? ""], actor: s.actor)
            try expectOK(reply)
            return Response.redirect(to: "/indicators", type: .normal)
        }
        // Opening a round is one click; closing one that was opened asks first (the manual warns
        // against it: schools can no longer report in it).
        router.post("/indicators/:id/rounds/:seq/open") { request, context in
            try await roundAction(request, context, upstreams, open: true)
        }
        router.get("/indicators/:id/rounds/:seq/close") { _, context in
            let s = try requireRounds(context)
            let indicator = try await call(IndicatorView.self, upstreams, .get, "/indicators/\(try id(context))", s)
            guard let seq = context.parameters.get("seq", as: Int.self), let round = indicator.rounds.first(where: { $0.seq == seq }) else {
                throw PageError(status: .notFound, messageTh: "ไม่พบรอบนี้")
            }
            return CataloguePages.confirmClose(indicator, round: round, session: s)
        }
        router.post("/indicators/:id/rounds/:seq/close") { request, context in
            try await roundAction(request, context, upstreams, open: false)
        }
    }

    static func roundAction(_ request: Request, _ context: ServiceRequestContext, _ upstreams: Upstreams, open: Bool) async throws -> Response {
        let s = try requireRounds(context)
        let form = try await Forms.fields(request)
        try checkCSRF(form["csrf"], request: request, context: context)
        guard let seq = context.parameters.get("seq", as: Int.self) else { throw PageError(status: .notFound, messageTh: "ไม่พบรอบนี้") }
        let reply = try await upstreams.send(.catalogue, .post, "/indicators/\(try id(context))/rounds/\(seq)/\(open ? "open" : "close")",
                                             actor: s.actor)
        try expectOK(reply)
        return Response.redirect(to: "/indicators", type: .normal)
    }

    /// The define/edit form with the types and workgroups to choose from.
    static func form(_ indicator: IndicatorView?, values: [String: String], errors: [String: String], area: Int?, _ s: SessionInfo,
                     _ upstreams: Upstreams, status: HTTPResponse.Status = .ok) async throws -> Response {
        async let types = upstreams.getJSON([IndicatorTypeView].self, .catalogue, "/indicator-types")
        async let groups = upstreams.getJSON([WorkgroupView].self, .identity, "/workgroups")
        async let areas = s.user.areaCode == nil && indicator == nil ? upstreams.areas() : []
        return CataloguePages.form(indicator, values: values, errors: errors, types: try await types, workgroups: try await groups,
                                   areas: try await areas, area: area, session: s, status: status)
    }

    /// catalogue refused a form: its field errors on the form again, or the error page.
    static func refused(_ reply: Upstreams.Reply, values: [String: String], id indicator: IndicatorView?, area: Int?, _ s: SessionInfo,
                        _ upstreams: Upstreams) async throws -> Response {
        guard reply.status == .unprocessableContent else { try expectOK(reply); return Response(status: .noContent) }
        return try await form(indicator, values: values, errors: reply.fieldErrors, area: area, s, upstreams, status: .unprocessableContent)
    }

    static func expectOK(_ reply: Upstreams.Reply) throws {
        switch reply.status.code {
        case 200..<300: return
        case 403: throw PageError(status: .forbidden, messageTh: "บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้")
        case 404: throw PageError(status: .notFound, messageTh: "ไม่พบตัวชี้วัด")
        case 500...: throw PageError(status: .badGateway, messageTh: "ระบบบางส่วนไม่ตอบสนองในขณะนี้ กรุณาลองใหม่ภายหลัง")
        default: throw PageError(status: reply.status, messageTh: reply.problemText)
        }
    }

    static func call<T: Decodable>(_ type: T.Type, _ upstreams: Upstreams, _ method: HTTPRequest.Method, _ path: String,
                                   _ s: SessionInfo) async throws -> T {
        let reply = try await upstreams.send(.catalogue, method, path, actor: s.actor)
        try expectOK(reply)
        return try JSONDecoder.kpi.decode(T.self, from: Data(buffer: reply.body))
    }

    /// The area the list shows: the user's own; the nation's staff choose one (the first area
    /// office until they do).
    static func chosenArea(_ asked: Int?, _ s: SessionInfo, _ upstreams: Upstreams) async throws -> Int? {
        guard s.user.areaCode == nil else { return nil }
        if let asked { return asked }
        return try await upstreams.areas().first?.code
    }

    /// A signed-in user who chose a year (the list is of one year); else the year page.
    static func requireYear(_ context: ServiceRequestContext) throws -> SessionInfo {
        let s = try requireSession(context)
        guard s.has(.view) else { throw PageError(status: .forbidden, messageTh: "บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้") }
        guard s.yearBE != nil else { throw ChooseYearFirst() }
        return s
    }

    static func requireController(_ context: ServiceRequestContext) throws -> SessionInfo {
        let s = try requireYear(context)
        guard s.has(.defineIndicators) else { throw PageError(status: .forbidden, messageTh: "บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้") }
        return s
    }

    static func requireRounds(_ context: ServiceRequestContext) throws -> SessionInfo {
        let s = try requireYear(context)
        guard s.has(.openRounds) else { throw PageError(status: .forbidden, messageTh: "บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้") }
        return s
    }

    static func id(_ context: ServiceRequestContext) throws -> String {
        guard let uuid = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw PageError(status: .notFound, messageTh: "ไม่พบตัวชี้วัด")
        }
        return uuid.uuidString.lowercased()
    }
}

/// Thrown by pages of a year when none is chosen: they go to the year page.
struct ChooseYearFirst: Error {}
