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
            // The "รายงาน" buttons: intake says where the user's unit may report now (a page
            // without them, should intake not answer).
            async let reports = s.has(.report) ? (try? upstreams.send(.intake, .get, "/reports/rounds?year=\(s.yearBE ?? 0)", actor: s.actor))
                .flatMap { $0.status == .ok ? try? JSONDecoder.kpi.decode([RoundReportJSON].self, from: Data(buffer: $0.body)) : nil } ?? [] : []
            // The rounds' counters: statistics' figures (the list without them, should it not answer).
            async let figures = (try? upstreams.send(.statistics, .get, "/figures/rounds?year=\(s.yearBE ?? 0)" + (area.map { "&area=\($0)" } ?? ""),
                                                     actor: s.actor))
                .flatMap { $0.status == .ok ? try? JSONDecoder.kpi.decode([RoundFigures].self, from: Data(buffer: $0.body)) : nil } ?? []
            var filter: [String: String] = [:]
            for key in ["d1", "d2", "d3", "d4", "workgroup"] { filter[key] = String((q.get(key) ?? "").prefix(100)) }
            return CataloguePages.list(try await list, workgroups: try await groups, areas: try await areas, area: area, filter: filter,
                                       page: q.get("page").flatMap { Int($0) } ?? 1, reports: await reports, figures: await figures, session: s)
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
            if reply.status == .ok { return backToList(reply, s) }
            let indicator = try await call(IndicatorView.self, upstreams, .get, "/indicators/\(id)", s)
            return try await refused(reply, values: form, id: indicator, area: indicator.areaCode, s, upstreams)
        }
        registerFiles(on: router, upstreams: upstreams)
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

        // A round's dates and one unit's extension, set on its gear page.
        router.post("/indicators/:id/rounds/:seq/dates") { request, context in
            let s = try requireRounds(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            guard let seq = context.parameters.get("seq", as: Int.self) else { throw PageError(status: .notFound, messageTh: "ไม่พบรอบนี้") }
            let reply = try await upstreams.send(.catalogue, .put, "/indicators/\(try id(context))/rounds/\(seq)/dates",
                                                 json: ["opensOn": form["opensOn"] ?? "", "dueOn": form["dueOn"] ?? "", "cutoffOn": form["cutoffOn"] ?? ""],
                                                 actor: s.actor)
            if reply.status == .unprocessableContent {
                return try await gear(request, context, upstreams, message: ("กรุณาแก้ไขข้อมูลที่ระบุ", true), errors: reply.fieldErrors)
            }
            try expectOK(reply)
            return try await gear(request, context, upstreams, message: ("บันทึกกำหนดการแล้ว", false))
        }
        router.post("/indicators/:id/rounds/:seq/extensions") { request, context in
            let s = try requireRounds(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            guard let seq = context.parameters.get("seq", as: Int.self) else { throw PageError(status: .notFound, messageTh: "ไม่พบรอบนี้") }
            guard let unit = Int(form["unitCode"] ?? "") else {
                return try await gear(request, context, upstreams, message: ("กรุณาแก้ไขข้อมูลที่ระบุ", true), errors: ["unitCode": "กรุณาระบุรหัสหน่วยงาน"])
            }
            let reply = try await upstreams.send(.catalogue, .put, "/indicators/\(try id(context))/rounds/\(seq)/extensions/\(unit)",
                                                 json: ["untilOn": form["untilOn"] ?? "", "reason": form["reason"] ?? ""], actor: s.actor)
            if reply.status == .unprocessableContent {
                return try await gear(request, context, upstreams, message: ("กรุณาแก้ไขข้อมูลที่ระบุ", true), errors: reply.fieldErrors)
            }
            try expectOK(reply)
            return try await gear(request, context, upstreams, message: ("บันทึกการขยายเวลาแล้ว", false))
        }

        // The gear ⚙️ of a round: which units report in it.
        router.get("/indicators/:id/rounds/:seq/units") { request, context in
            try await gear(request, context, upstreams, message: nil)
        }
        router.post("/indicators/:id/rounds/:seq/units") { request, context in
            let s = try requireRounds(context)
            let form = try await Forms.values(request)
            func value(_ name: String) -> String? { form.last { $0.name == name }?.value }
            try checkCSRF(value("csrf"), request: request, context: context)
            guard let seq = context.parameters.get("seq", as: Int.self) else { throw PageError(status: .notFound, messageTh: "ไม่พบรอบนี้") }
            struct Filter: Encodable { var text: String?; var kind: String? }
            struct Change: Encodable { var add: [Int]; var remove: [Int]; var addMatching: Filter?; var allRounds: Bool }
            let text = value("q").flatMap { $0.isEmpty ? nil : $0 }
            let change: Change
            switch value("action") {
            case "all":  // เลือกโรงเรียนทั้งหมด: every school that matches the search
                change = Change(add: [], remove: [], addMatching: Filter(text: text, kind: value("kind").flatMap { $0.isEmpty ? nil : $0 } ?? "school"),
                                allRounds: value("allRounds") == "1")
            case "remove":
                change = Change(add: [], remove: [Int(value("unit") ?? "") ?? -1], addMatching: nil, allRounds: false)
            default:
                change = Change(add: form.filter { $0.name == "unit" }.compactMap { Int($0.value) }, remove: [], addMatching: nil,
                                allRounds: value("allRounds") == "1")
            }
            let reply = try await upstreams.send(.catalogue, .put, "/indicators/\(try id(context))/rounds/\(seq)/units", json: change, actor: s.actor)
            let message: (String, Bool) = switch reply.status.code {
            case 200: ("บันทึกการเปลี่ยนแปลงแล้ว", false)
            case 409, 422: (reply.status.code == 422 ? (reply.fieldErrors["units"] ?? reply.problemText) : reply.problemText, true)
            default: ("", true)
            }
            if message.0.isEmpty { try expectOK(reply) }
            return try await gear(request, context, upstreams, message: message)
        }
    }

    /// The gear page: the round's dates and extensions, its assigned units (paged, `apage`),
    /// and the area's units to choose from (searched and paged, `q`, `kind`, `page`).
    static func gear(_ request: Request, _ context: ServiceRequestContext, _ upstreams: Upstreams, message: (String, Bool)?,
                     errors: [String: String] = [:]) async throws -> Response {
        let s = try requireRounds(context)
        guard let seq = context.parameters.get("seq", as: Int.self) else { throw PageError(status: .notFound, messageTh: "ไม่พบรอบนี้") }
        let indicatorId = try id(context)
        let q = request.uri.queryParameters
        let query = GearQuery(text: String((q.get("q") ?? "").prefix(100)), kind: ["school", "other"].first { $0 == q.get("kind") } ?? "",
                              page: max(1, q.get("page").flatMap { Int($0) } ?? 1), assignedPage: max(1, q.get("apage").flatMap { Int($0) } ?? 1))
        let indicator = try await call(IndicatorView.self, upstreams, .get, "/indicators/\(indicatorId)", s)
        guard let round = indicator.rounds.first(where: { $0.seq == seq }) else { throw PageError(status: .notFound, messageTh: "ไม่พบรอบนี้") }
        let base = "/indicators/\(indicatorId)/rounds/\(seq)"
        async let assigned = listed([AssignedView].self, upstreams, base + "/units?offset=\((query.assignedPage - 1) * GearQuery.pageSize)&limit=\(GearQuery.pageSize)", s)
        async let candidates = listed([CandidateView].self, upstreams, base + "/candidates?" + query.candidateQuery, s)
        async let extensions = call([ExtensionView].self, upstreams, .get, base + "/extensions", s)
        return CataloguePages.gear(indicator, round: round, query: query, assigned: try await assigned, candidates: try await candidates,
                                   extensions: try await extensions, message: message, errors: errors, session: s)
    }

    /// เอกสารประกอบ: an indicator's documents, uploaded as a stream to catalogue (which checks
    /// the bytes and the manage_files right again), downloaded as a stream, deleted by the red bin.
    static func registerFiles(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        router.get("/indicators/:id/files") { request, context in
            let s = try requireYear(context)
            let indicator = try await call(IndicatorView.self, upstreams, .get, "/indicators/\(try id(context))", s)
            let done = request.uri.queryParameters.get("done").flatMap { ["added": "แนบไฟล์แล้ว", "deleted": "ลบไฟล์แล้ว"][String($0)] }
            return CataloguePages.files(indicator, message: done.map { ($0, false) }, maxBytes: upstreams.fileMaxBytes, session: s)
        }
        router.post("/indicators/:id/files") { request, context in
            let s = try requireYear(context)
            guard s.has(.manageFiles) else { throw PageError(status: .forbidden, messageTh: "บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้") }
            let indicatorId = try id(context)
            let actor = s.actor
            let sent: Upstreams.Reply
            do {
                let answers = try await FileUpload.read(request, limit: upstreams.fileMaxBytes, check: { fields in
                    try checkCSRF(fields["csrf"], request: request, context: context)
                }, pass: { upload, bytes in
                    var query = URLComponents()
                    query.queryItems = [URLQueryItem(name: "slot", value: upload.fields["slot"] ?? ""), URLQueryItem(name: "name", value: upload.fileName)]
                    return try await upstreams.upload(.catalogue, .post, "/indicators/\(indicatorId)/attachments?" + (query.percentEncodedQuery ?? ""),
                                                      bytes: bytes, actor: actor)
                }).answers
                guard let first = answers.first else { throw FileUpload.noFile }
                sent = first
            } catch let refused as PageError where [.contentTooLarge, .unprocessableContent].contains(refused.status) {
                // Too large or no file: said on the page itself, where the school can choose again.
                let indicator = try await call(IndicatorView.self, upstreams, .get, "/indicators/\(indicatorId)", s)
                return CataloguePages.files(indicator, message: (refused.messageTh, true), maxBytes: upstreams.fileMaxBytes, session: s,
                                            status: refused.status)
            }
            if sent.status == .created { return Response.redirect(to: "/indicators/\(indicatorId)/files?done=added", type: .normal) }
            guard [409, 413, 415, 422].contains(sent.status.code) else { try expectOK(sent); return Response(status: .noContent) }
            let indicator = try await call(IndicatorView.self, upstreams, .get, "/indicators/\(indicatorId)", s)
            return CataloguePages.files(indicator, message: (sent.problemText, true), maxBytes: upstreams.fileMaxBytes, session: s, status: sent.status)
        }
        router.get("/indicators/:id/files/:file") { _, context in
            let s = try requireYear(context)
            guard let file = context.parameters.get("file").flatMap(UUID.init(uuidString:)) else {
                throw PageError(status: .notFound, messageTh: "ไม่พบไฟล์นี้")
            }
            return try Self.file(try await upstreams.download(.catalogue, "/indicators/\(try id(context))/attachments/\(file.uuidString.lowercased())",
                                                         actor: s.actor), notFoundTh: "ไม่พบไฟล์นี้")
        }
        router.post("/indicators/:id/files/:file/delete") { request, context in
            let s = try requireYear(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            guard let file = context.parameters.get("file").flatMap(UUID.init(uuidString:)) else {
                throw PageError(status: .notFound, messageTh: "ไม่พบไฟล์นี้")
            }
            let indicatorId = try id(context)
            let reply = try await upstreams.send(.catalogue, .delete, "/indicators/\(indicatorId)/attachments/\(file.uuidString.lowercased())",
                                                 actor: s.actor)
            try expectOK(reply)
            return Response.redirect(to: "/indicators/\(indicatorId)/files?done=deleted", type: .normal)
        }
    }

    /// A paged list from catalogue and its total (X-Total-Count).
    static func listed<T: Decodable>(_ type: [T].Type, _ upstreams: Upstreams, _ path: String, _ s: SessionInfo) async throws -> (items: [T], total: Int) {
        let reply = try await upstreams.send(.catalogue, .get, path, actor: s.actor)
        try expectOK(reply)
        let items = try JSONDecoder.kpi.decode([T].self, from: Data(buffer: reply.body))
        return (items, Int(reply.totalCount ?? "") ?? items.count)
    }

    static func roundAction(_ request: Request, _ context: ServiceRequestContext, _ upstreams: Upstreams, open: Bool) async throws -> Response {
        let s = try requireRounds(context)
        let form = try await Forms.fields(request)
        try checkCSRF(form["csrf"], request: request, context: context)
        guard let seq = context.parameters.get("seq", as: Int.self) else { throw PageError(status: .notFound, messageTh: "ไม่พบรอบนี้") }
        let reply = try await upstreams.send(.catalogue, .post, "/indicators/\(try id(context))/rounds/\(seq)/\(open ? "open" : "close")",
                                             actor: s.actor)
        try expectOK(reply)
        return backToList(reply, s)
    }

    /// Back to the list the change was made from: the indicator's area for the nation's staff.
    static func backToList(_ reply: Upstreams.Reply, _ s: SessionInfo) -> Response {
        struct Area: Decodable { var areaCode: Int }
        let area = s.user.areaCode == nil ? (try? JSONDecoder.kpi.decode(Area.self, from: Data(buffer: reply.body)))?.areaCode : nil
        return Response.redirect(to: "/indicators" + (area.map { "?area=\($0)" } ?? ""), type: .normal)
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

    /// A download for the browser: the file, or the service's refusal as a page.
    static func file(_ fetched: Upstreams.Fetched, notFoundTh: String) throws -> Response {
        switch fetched {
        case .file(let response): return response
        case .refused(let reply):
            if reply.status == .notFound { throw PageError(status: .notFound, messageTh: notFoundTh) }
            try expectOK(reply)
            return Response(status: .noContent)
        }
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
