import Foundation
import HTTPTypes
import Hummingbird
import KPIContracts
import KPIRuntime

/// The reviewer's pages: the queue of confirmed reports waiting (M16), scoring one on its report
/// page (M10), returning it for revision (B2), cancelling a review, and one score for several
/// (B5). review checks every right and rule again; the pages only show what one may do.
enum ReviewRoutes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        router.get("/reviews") { request, context in
            let s = try requireReviewer(context)
            let q = request.uri.queryParameters
            let filter = QueueFilter(indicator: q.get("indicator").flatMap(UUID.init(uuidString:))?.uuidString.lowercased(),
                                     seq: q.get("seq").flatMap { Int($0) }, unit: q.get("unit").flatMap { Int($0) },
                                     reviewed: q.get("show") == "reviewed", page: max(1, q.get("page").flatMap { Int($0) } ?? 1))
            let done = q.get("done").flatMap { Int($0) }
            return try await queue(filter, s, upstreams, done: done)
        }
        // Search an indicator's evidence: descriptions and the text of PDF files (intake).
        router.get("/reviews/search") { request, context in
            let s = try requireReviewer(context)
            let q = request.uri.queryParameters
            guard let indicator = q.get("indicator").flatMap(UUID.init(uuidString:))?.uuidString.lowercased() else {
                throw PageError(status: .notFound, messageTh: "กรุณาเลือกตัวชี้วัดก่อนค้นหา")
            }
            let seq = q.get("seq").flatMap { Int($0) }, text = String((q.get("q") ?? "").prefix(200))
            var query = URLComponents()
            query.queryItems = [URLQueryItem(name: "q", value: text)] + (seq.map { [URLQueryItem(name: "seq", value: String($0))] } ?? [])
            let reply = try await upstreams.send(.intake, .get,
                                                 "/reports/\(indicator)/search?" + (query.percentEncodedQuery ?? ""), actor: s.actor)
            var found: [FoundJSON] = [], message: String?
            if reply.status == .unprocessableContent { message = reply.problemText } else {
                try CatalogueRoutes.expectOK(reply)
                found = try JSONDecoder.kpi.decode([FoundJSON].self, from: Data(buffer: reply.body))
            }
            return ReviewPages.search(found, indicator: indicator, seq: seq, text: text, message: message, session: s,
                                      status: message == nil ? .ok : .unprocessableContent)
        }
        router.post("/reviews/several") { request, context in
            let s = try requireReviewer(context)
            let form = try await Forms.values(request)
            let fields = form.reduce(into: [String: String]()) { $0[$1.name] = $1.value }
            try checkCSRF(fields["csrf"], request: request, context: context)
            struct Item: Encodable { var indicator: String; var seq, unit, version: Int }
            struct Several: Encodable { var score: Double?; var comment: String; var reports: [Item] }
            // Each ticked box is "indicator:seq:unit:version", the version the reviewer saw.
            let items = form.filter { $0.name == "r" }.compactMap { pair -> Item? in
                let p = pair.value.split(separator: ":")
                guard p.count == 4, let ind = UUID(uuidString: String(p[0])), let seq = Int(p[1]), let unit = Int(p[2]), let v = Int(p[3]) else {
                    return nil
                }
                return Item(indicator: ind.uuidString.lowercased(), seq: seq, unit: unit, version: v)
            }
            let filter = QueueFilter(indicator: fields["indicator"].flatMap { $0.isEmpty ? nil : $0 }, seq: fields["seq"].flatMap { Int($0) },
                                     unit: fields["unit"].flatMap { Int($0) }, reviewed: false, page: 1)
            guard let score = number(fields["score"] ?? "") else {
                return try await queue(filter, s, upstreams, messages: ["กรุณากรอกผลการประเมินเป็นตัวเลข"], status: .unprocessableContent)
            }
            let reply = try await upstreams.send(.review, .post, "/reviews/several",
                                                 json: Several(score: score, comment: fields["comment"] ?? "", reports: items), actor: s.actor)
            if reply.status == .ok { return Response.redirect(to: filter.link(done: items.count), type: .normal) }
            guard [403, 404, 409, 422].contains(reply.status.code) else { try CatalogueRoutes.expectOK(reply); return Response(status: .noContent) }
            return try await queue(filter, s, upstreams, messages: [reply.problemText], status: reply.status)
        }

        // On the report page (`?unit=` is the report's unit): score, return, cancel.
        router.post("/reports/:indicator/:seq/review") { request, context in
            try await act(request, context, upstreams, step: "", done: "reviewed")
        }
        router.post("/reports/:indicator/:seq/review/return") { request, context in
            try await act(request, context, upstreams, step: "/return", done: "returned")
        }
        router.post("/reports/:indicator/:seq/review/cancel") { request, context in
            try await act(request, context, upstreams, step: "/cancel", done: "review-cancelled")
        }
    }

    static func requireReviewer(_ context: ServiceRequestContext) throws -> SessionInfo {
        let s = try CatalogueRoutes.requireYear(context)
        guard s.has(.review) else { throw PageError(status: .forbidden, messageTh: "บัญชีของท่านไม่มีสิทธิ์ตรวจรายงาน") }
        return s
    }

    /// A score as typed: a number (a comma for the decimal point too), or nil.
    static func number(_ typed: String) -> Double? {
        Double(typed.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")).flatMap { $0.isFinite ? $0 : nil }
    }

    /// One review step from the report page's form, then the page again.
    static func act(_ request: Request, _ context: ServiceRequestContext, _ upstreams: Upstreams, step: String, done: String) async throws -> Response {
        let s = try requireReviewer(context)
        let form = try await Forms.fields(request)
        try checkCSRF(form["csrf"], request: request, context: context)
        guard let indicator = context.parameters.get("indicator").flatMap(UUID.init(uuidString:)), let seq = context.parameters.get("seq", as: Int.self),
              let unit = form["unit"].flatMap({ Int($0) }) else { throw PageError(status: .notFound, messageTh: "ไม่พบรายงานนี้") }
        let base = "/reports/\(indicator.uuidString.lowercased())/\(seq)/\(unit)"
        struct Score: Encodable { var score: Double?; var comment: String; var version: Int? }
        let typed = (form["score"] ?? "").trimmingCharacters(in: .whitespaces)
        let score = number(typed)
        var errors: [String: String] = [:]
        if step.isEmpty, score == nil { errors["score"] = typed.isEmpty ? "กรุณากรอกผลการประเมิน" : "กรุณากรอกคะแนนเป็นตัวเลข" }
        var messages: [String] = [], status = HTTPResponse.Status.unprocessableContent
        if errors.isEmpty {
            let body = step == "/cancel" ? nil : Score(score: score, comment: form["comment"] ?? "", version: form["version"].flatMap { Int($0) })
            let reply = try await upstreams.send(.review, .post, "/reviews" + base.dropFirst("/reports".count) + step, json: body, actor: s.actor)
            if reply.status == .ok { return Response.redirect(to: ReportRoutes.pageLink(base, done: done, unit: unit), type: .normal) }
            try ReportRoutes.collect(reply, into: &messages, &errors, &status)
        }
        return try await ReportRoutes.page(base, unit: unit, s, upstreams, messages: messages, errors: errors,
                                           reviewValues: ["score": typed, "comment": form["comment"] ?? ""], status: status)
    }

    /// What the queue shows: one indicator, round or unit; waiting or reviewed; which page.
    struct QueueFilter {
        var indicator: String?, seq: Int?, unit: Int?
        var reviewed: Bool
        var page: Int

        var query: String {
            var q = URLComponents()
            q.queryItems = [indicator.map { URLQueryItem(name: "indicator", value: $0) }, seq.map { URLQueryItem(name: "seq", value: String($0)) },
                            unit.map { URLQueryItem(name: "unit", value: String($0)) }, reviewed ? URLQueryItem(name: "show", value: "reviewed") : nil]
                .compactMap { $0 }
            return q.percentEncodedQuery ?? ""
        }

        func link(page: Int? = nil, done: Int? = nil) -> String {
            let extra = [page.map { "page=\($0)" }, done.map { "done=\($0)" }].compactMap { $0 }.joined(separator: "&")
            let all = [query, extra].filter { !$0.isEmpty }.joined(separator: "&")
            return "/reviews" + (all.isEmpty ? "" : "?" + all)
        }
    }

    static func queue(_ f: QueueFilter, _ s: SessionInfo, _ upstreams: Upstreams, messages: [String] = [], done: Int? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let size = 100
        let path = "/reviews/queue?year=\(s.yearBE ?? 0)&offset=\((f.page - 1) * size)" + (f.query.isEmpty ? "" : "&" + f.query)
        async let reply = upstreams.send(.review, .get, path, actor: s.actor)
        // The indicators to choose from: the year's in the user's area (the nation's staff filter by id).
        async let indicators = s.user.areaCode == nil ? [] : (try? CatalogueRoutes.call([IndicatorView].self, upstreams, .get,
                                                                                          "/indicators?year=\(s.yearBE ?? 0)", s)) ?? []
        let answer = try await reply
        try CatalogueRoutes.expectOK(answer)
        let items = try JSONDecoder.kpi.decode([QueueItemJSON].self, from: Data(buffer: answer.body))
        let mine = await indicators.filter { s.has(.administer) || $0.form.workgroupId == nil || $0.form.workgroupId == s.user.workgroupId }
        return ReviewPages.queue(items, filter: f, indicators: mine, pageSize: size, messages: messages, done: done, session: s, status: status)
    }
}
