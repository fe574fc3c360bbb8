import Foundation
import HTTPTypes
import Hummingbird
import KPIContracts
import KPIRuntime
import NIOConcurrencyHelpers

/// The report pages: a unit's report of one round (M8), its files sent on as they arrive, the
/// self-assessment and the confirmation (M9). intake checks every right and rule again; the
/// pages only show what one may do.
enum ReportRoutes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        router.get("/reports/:indicator/:seq") { request, context in
            let s = try CatalogueRoutes.requireYear(context)
            let (base, unit) = try report(context, request, s)
            let done = request.uri.queryParameters.get("done").flatMap { Self.done[String($0)] }
            return try await page(base, unit: unit, s, upstreams, done: done)
        }
        // "นำเข้าเอกสารและข้อมูล": each chosen file into its slot as it arrives, then the
        // self-assessment and descriptions, then the confirmation when chosen.
        router.post("/reports/:indicator/:seq") { request, context in
            let s = try CatalogueRoutes.requireYear(context)
            let (base, _) = try report(context, request, s, own: true)
            let version = NIOLockedValueBox<Int?>(nil)
            let actor = s.actor
            let (fields, sent) = try await FileUpload.read(request, limit: upstreams.fileMaxBytes, check: { fields in
                try checkCSRF(fields["csrf"], request: request, context: context)
                version.withLockedValue { $0 = Int(fields["version"] ?? "") }
            }, pass: { upload, bytes -> (Int, Upstreams.Reply) in
                guard let slot = Int(upload.input.dropFirst(4)), upload.input.hasPrefix("file"), (1...10).contains(slot) else {
                    throw Forms.badForm
                }
                var q = URLComponents()
                q.queryItems = [URLQueryItem(name: "description", value: upload.fields["description\(slot)"] ?? ""),
                                URLQueryItem(name: "name", value: upload.fileName)]
                    + (version.withLockedValue { $0 }.map { [URLQueryItem(name: "version", value: String($0))] } ?? [])
                let reply = try await upstreams.upload(.intake, .put, base + "/evidence/\(slot)?" + (q.percentEncodedQuery ?? ""), bytes: bytes, actor: actor)
                if reply.status == .ok { version.withLockedValue { $0 = (try? decode(reply))?.version } }
                return (slot, reply)
            })
            var messages: [String] = [], errors: [String: String] = [:]
            var status = HTTPResponse.Status.ok
            for (slot, reply) in sent where reply.status != .ok {
                status = reply.status
                let fieldErrors = reply.fieldErrors
                if fieldErrors.isEmpty { errors["file\(slot)"] = reply.problemText } else { errors.merge(fieldErrors) { a, _ in a } }
            }
            // The score as typed: a number (a comma for the decimal point too), or nothing.
            let typed = (fields["selfScore"] ?? "").trimmingCharacters(in: .whitespaces)
            let score = Double(typed.replacingOccurrences(of: ",", with: "."))
            if !typed.isEmpty, score == nil || !(score!.isFinite) {
                errors["selfScore"] = "กรุณากรอกคะแนนเป็นตัวเลข"; status = .unprocessableContent
            }
            if errors.isEmpty {
                var descriptions: [String: String] = [:]
                for n in 1...10 {
                    let text = fields["description\(n)"] ?? ""
                    // Only slots that hold a file: a description typed for an empty slot waits for its file.
                    if fields["has\(n)"] == "1" { descriptions[String(n)] = text }
                }
                struct Draft: Encodable { var selfScore: Double?; var descriptions: [String: String]; var version: Int? }
                let saved = try await upstreams.send(.intake, .put, base, json: Draft(selfScore: score, descriptions: descriptions,
                                                                                        version: version.withLockedValue { $0 }), actor: actor)
                if saved.status == .ok, fields["confirm"] == "yes", let v = try? decode(saved).version {
                    let confirmed = try await upstreams.send(.intake, .post, base + "/confirm?version=\(v)", actor: actor)
                    if confirmed.status == .ok { return Response.redirect(to: pageLink(base, done: "confirmed"), type: .normal) }
                    try collect(confirmed, into: &messages, &errors, &status)
                } else if saved.status == .ok {
                    return Response.redirect(to: pageLink(base, done: "saved"), type: .normal)
                } else {
                    try collect(saved, into: &messages, &errors, &status)
                }
            }
            return try await page(base, unit: s.user.unitCode, s, upstreams, messages: messages, errors: errors, typedScore: typed,
                                  status: status == .ok ? .unprocessableContent : status)
        }
        router.post("/reports/:indicator/:seq/evidence/:slot/delete") { request, context in
            let s = try CatalogueRoutes.requireYear(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            let (base, _) = try report(context, request, s, own: true)
            guard let slot = context.parameters.get("slot", as: Int.self) else { throw PageError(status: .notFound, messageTh: "ไม่พบหลักฐานนี้") }
            let reply = try await upstreams.send(.intake, .delete, base + "/evidence/\(slot)?version=\(Int(form["version"] ?? "") ?? -1)",
                                                 actor: s.actor)
            return try await after(reply, base: base, done: "removed", s, upstreams)
        }
        router.post("/reports/:indicator/:seq/cancel") { request, context in
            let s = try CatalogueRoutes.requireYear(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            let (base, _) = try report(context, request, s, own: true)
            let reply = try await upstreams.send(.intake, .post, base + "/cancel-confirmation?version=\(Int(form["version"] ?? "") ?? -1)",
                                                 actor: s.actor)
            return try await after(reply, base: base, done: "cancelled", s, upstreams)
        }
        // B5: every file of one round, as one ZIP streamed from intake.
        router.get("/reports/:indicator/:seq/evidence.zip") { request, context in
            let s = try CatalogueRoutes.requireYear(context)
            let (base, _) = try report(context, request, s)
            let round = base.split(separator: "/").prefix(3).joined(separator: "/")
            return try CatalogueRoutes.file(try await upstreams.download(.intake, "/" + round + "/evidence.zip", actor: s.actor),
                                            notFoundTh: "ไม่พบรอบรายงานนี้ หรือบัญชีของท่านไม่มีสิทธิ์ดาวน์โหลดหลักฐานของทุกหน่วยงาน")
        }
        router.get("/reports/:indicator/:seq/evidence/:slot") { request, context in
            let s = try CatalogueRoutes.requireYear(context)
            let (base, _) = try report(context, request, s)
            guard let slot = context.parameters.get("slot", as: Int.self) else { throw PageError(status: .notFound, messageTh: "ไม่พบหลักฐานนี้") }
            return try CatalogueRoutes.file(try await upstreams.download(.intake, base + "/evidence/\(slot)", actor: s.actor),
                                            notFoundTh: "ไม่พบหลักฐานนี้")
        }
    }

    static let done = ["saved": "บันทึกรายงานแล้ว", "confirmed": "ยืนยันข้อมูลแล้ว รอการตรวจสอบ", "removed": "ลบหลักฐานแล้ว",
                       "cancelled": "ยกเลิกผลการยืนยันแล้ว", "reviewed": "บันทึกผลการตรวจแล้ว", "review-cancelled": "ยกเลิกผลการตรวจแล้ว",
                       "returned": "ส่งกลับให้หน่วยงานแก้ไขแล้ว"]

    /// intake's path of the report: the user's own unit, or (to read) `?unit=`.
    static func report(_ context: ServiceRequestContext, _ request: Request, _ s: SessionInfo, own: Bool = false) throws -> (String, Int) {
        guard let indicator = context.parameters.get("indicator").flatMap(UUID.init(uuidString:)),
              let seq = context.parameters.get("seq", as: Int.self) else { throw PageError(status: .notFound, messageTh: "ไม่พบรายงานนี้") }
        let unit = own ? s.user.unitCode : (request.uri.queryParameters.get("unit").flatMap { Int($0) } ?? s.user.unitCode)
        return ("/reports/\(indicator.uuidString.lowercased())/\(seq)/\(unit)", unit)
    }

    /// The gateway's page of intake's report path (`?unit=` when it is not the user's own).
    static func pageLink(_ base: String, done: String, unit: Int? = nil) -> String {
        let parts = base.split(separator: "/")
        return "/reports/\(parts[1])/\(parts[2])?" + (unit.map { "unit=\($0)&" } ?? "") + "done=\(done)"
    }

    static func decode(_ reply: Upstreams.Reply) throws -> ReportJSON { try JSONDecoder.kpi.decode(ReportJSON.self, from: Data(buffer: reply.body)) }

    /// A refusal from intake as the page's messages: field errors by field, others as text.
    static func collect(_ reply: Upstreams.Reply, into messages: inout [String], _ errors: inout [String: String],
                        _ status: inout HTTPResponse.Status) throws {
        guard [403, 409, 413, 415, 422].contains(reply.status.code) else { try CatalogueRoutes.expectOK(reply); return }
        status = reply.status
        let fields = reply.fieldErrors
        if fields.isEmpty { messages.append(reply.problemText) } else { errors.merge(fields) { a, _ in a } }
    }

    static func after(_ reply: Upstreams.Reply, base: String, done: String, _ s: SessionInfo, _ upstreams: Upstreams) async throws -> Response {
        if reply.status == .ok { return Response.redirect(to: pageLink(base, done: done), type: .normal) }
        var messages: [String] = [], errors: [String: String] = [:], status = HTTPResponse.Status.ok
        try collect(reply, into: &messages, &errors, &status)
        return try await page(base, unit: s.user.unitCode, s, upstreams, messages: messages, errors: errors, status: status)
    }

    static func page(_ base: String, unit: Int, _ s: SessionInfo, _ upstreams: Upstreams, messages: [String] = [], errors: [String: String] = [:],
                     typedScore: String? = nil, reviewValues: [String: String] = [:], done: String? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let reply = try await upstreams.send(.intake, .get, base, actor: s.actor)
        if reply.status == .notFound { throw PageError(status: .notFound, messageTh: "ไม่พบรายงานนี้") }
        try CatalogueRoutes.expectOK(reply)
        let report = try decode(reply)
        // The indicator's details, type and criteria are catalogue's; the review is review's
        // (the page without it, should review not answer).
        async let indicator = try? CatalogueRoutes.call(IndicatorView.self, upstreams, .get, "/indicators/\(report.context.indicatorId.lowercased())", s)
        async let review = try? upstreams.send(.review, .get, "/reviews" + base.dropFirst("/reports".count), actor: s.actor)
        let reviewed = await review.flatMap { $0.status == .ok ? try? JSONDecoder.kpi.decode(ReviewJSON.self, from: Data(buffer: $0.body)) : nil }
        return ReportPages.page(report, indicator: await indicator, review: reviewed, messages: messages, errors: errors, typedScore: typedScore,
                                reviewValues: reviewValues, done: done, maxBytes: upstreams.fileMaxBytes, session: s, status: status)
    }
}
