import Foundation
import HTTPTypes
import Hummingbird
import KPIContracts
import KPIFiles
import KPIRuntime

/// catalogue's HTTP API, reached through the gateway. Who may do what is checked here, on the
/// verified actor the gateway signed: the right, and that the indicator is of the actor's area
/// (the nation's staff reach every area).
enum Routes {
    static func register(on router: Router<ServiceRequestContext>, years: YearStore, indicators: IndicatorStore, assignments: AssignmentStore,
                         dates: RoundDateStore, attachments: AttachmentStore) {
        // ?area= adds whether that area office has closed each year.
        router.get("/years") { request, _ in
            try jsonResponse(try await years.all(area: request.uri.queryParameters.get("area").flatMap { Int($0) }))
        }
        for (action, closed) in [("close", true), ("open", false)] {
            router.post("/years/:year/\(action)") { request, context in
                let actor = try context.require(.defineIndicators)
                struct Body: Decodable { var areaCode: Int? }
                let body = try await request.decodeJSON(Body.self, limit: 4096)
                guard let year = context.parameters.get("year", as: Int.self) else { throw Problem(status: .notFound, detail: "ไม่มีปีนี้") }
                try await years.setClosed(closed, yearBE: year, area: try Self.area(body.areaCode, of: actor), by: actor)
                return Response(status: .noContent)
            }
        }
        // B7: the area's indicators, rounds and assignments into the next year, in one step.
        router.post("/years/:year/copy") { request, context in
            let actor = try context.require(.defineIndicators)
            struct Body: Decodable { var areaCode: Int? }
            let body = try await request.decodeJSON(Body.self, limit: 4096)
            guard let year = context.parameters.get("year", as: Int.self) else { throw Problem(status: .notFound, detail: "ไม่มีปีนี้") }
            let copied = try await years.copy(from: year, area: try Self.area(body.areaCode, of: actor), indicators: indicators)
            return try jsonResponse(["copied": copied, "toYearBE": year + 1], status: .created)
        }
        router.post("/years") { request, context in
            let actor = try context.require(.defineIndicators)
            struct Body: Decodable { var yearBE: Int }
            let body = try await request.decodeJSON(Body.self, limit: 4096)
            let year = try await years.add(yearBE: body.yearBE)
            context.logger.info("fiscal year added", metadata: ["year": "\(year.yearBE)", "user.name": "\(actor.username)"])
            return try jsonResponse(year, status: .created)
        }

        router.get("/indicator-types") { _, _ in try jsonResponse(try await indicators.types()) }

        // The public list of one year and area: what anyone may read (no hidden indicators).
        router.get("/public/indicators") { request, _ in
            let q = request.uri.queryParameters
            guard let year = q.get("year").flatMap({ Int($0) }), let area = q.get("area").flatMap({ Int($0) }) else {
                throw Problem(status: .badRequest, detail: "year and area are required numbers")
            }
            return try jsonResponse(try await indicators.list(yearBE: year, area: area, includeHidden: false))
        }

        // The list of one year and area: the actor's own area (the nation's staff name one).
        router.get("/indicators") { request, context in
            let actor = try context.require(.view)
            let q = request.uri.queryParameters
            guard let year = q.get("year").flatMap({ Int($0) }) else { throw Problem(status: .badRequest, detail: "year is required") }
            let area = try Self.area(q.get("area").flatMap { Int($0) }, of: actor)
            let controller = actor.has(.defineIndicators) && actor.reaches(area: area)
            return try jsonResponse(try await indicators.list(yearBE: year, area: area, includeHidden: controller))
        }
        router.get("/indicators/:id") { _, context in
            let actor = try context.require(.view)
            guard let indicator = try await indicators.find(try id(context)), actor.reaches(area: indicator.areaCode),
                  indicator.form.status != .hidden || actor.has(.defineIndicators) else { throw IndicatorStore.notFound }
            return try jsonResponse(indicator)
        }
        router.post("/indicators") { request, context in
            let actor = try context.require(.defineIndicators)
            struct Body: Decodable { var yearBE: Int; var areaCode: Int?; var indicator: IndicatorForm }
            let body = try await request.decodeJSON(Body.self)
            let area = try Self.area(body.areaCode, of: actor)
            let indicator = try await indicators.define(body.indicator, yearBE: body.yearBE, area: area)
            context.logger.info("indicator defined", metadata: ["indicator.id": "\(indicator.id)", "user.id": "\(actor.userId)"])
            return try jsonResponse(indicator, status: .created)
        }
        router.put("/indicators/:id") { request, context in
            let actor = try context.require(.defineIndicators)
            let body = try await request.decodeJSON(IndicatorForm.self)
            return try jsonResponse(try await indicators.change(try id(context), body, reach: { actor.reaches(area: $0) }))
        }
        router.put("/indicators/:id/status") { request, context in
            let actor = try context.require(.defineIndicators)
            struct Body: Decodable { var status: IndicatorStatus }
            let body = try await request.decodeJSON(Body.self)
            return try jsonResponse(try await indicators.setStatus(try id(context), body.status, reach: { actor.reaches(area: $0) }))
        }
        registerAssignments(on: router, indicators: indicators, assignments: assignments)
        registerAttachments(on: router, indicators: indicators, attachments: attachments)
        router.put("/indicators/:id/rounds/:seq/dates") { request, context in
            let actor = try context.require(.openRounds)
            guard let seq = context.parameters.get("seq", as: Int.self) else { throw IndicatorStore.notFound }
            let body = try await request.decodeJSON(RoundDateStore.Dates.self)
            return try jsonResponse(try await dates.setDates(body, indicator: try id(context), seq: seq, reach: { actor.reaches(area: $0) }))
        }
        router.get("/indicators/:id/rounds/:seq/extensions") { _, context in
            let actor = try context.require(.openRounds)
            guard let seq = context.parameters.get("seq", as: Int.self),
                  let indicator = try await indicators.find(try id(context)), actor.reaches(area: indicator.areaCode) else { throw IndicatorStore.notFound }
            return try jsonResponse(try await dates.extensions(indicator: indicator.id, seq: seq))
        }
        router.put("/indicators/:id/rounds/:seq/extensions/:unit") { request, context in
            let actor = try context.require(.openRounds)
            guard let seq = context.parameters.get("seq", as: Int.self), let unit = context.parameters.get("unit", as: Int.self) else {
                throw IndicatorStore.notFound
            }
            struct Body: Decodable { var untilOn: String; var reason: String }
            let body = try await request.decodeJSON(Body.self)
            return try jsonResponse(try await dates.grant(unit: unit, until: body.untilOn, reason: body.reason, indicator: try id(context), seq: seq,
                                                          by: actor, reach: { actor.reaches(area: $0) }))
        }
        for (action, open) in [("open", true), ("close", false)] {
            router.post("/indicators/:id/rounds/:seq/\(action)") { _, context in
                let actor = try context.require(.openRounds)
                guard let seq = context.parameters.get("seq", as: Int.self) else { throw Problem(status: .badRequest, detail: "round must be a number") }
                return try jsonResponse(try await indicators.setRound(try id(context), seq: seq, open: open, reach: { actor.reaches(area: $0) }))
            }
        }
    }

    /// The gear ⚙️ of a round: its assigned units, the area's units to choose from (both paged,
    /// the count in X-Total-Count), and the change saved.
    static func registerAssignments(on router: Router<ServiceRequestContext>, indicators: IndicatorStore, assignments: AssignmentStore) {
        @Sendable func round(_ context: ServiceRequestContext) async throws -> (Indicator, Int) {
            let actor = try context.require(.openRounds)
            guard let seq = context.parameters.get("seq", as: Int.self),
                  let indicator = try await indicators.find(try id(context)), actor.reaches(area: indicator.areaCode),
                  indicator.rounds.contains(where: { $0.seq == seq }) else { throw IndicatorStore.notFound }
            return (indicator, seq)
        }
        @Sendable func page(_ request: Request) -> (offset: Int, limit: Int) {
            let q = request.uri.queryParameters
            return (max(0, q.get("offset").flatMap { Int($0) } ?? 0), min(max(1, q.get("limit").flatMap { Int($0) } ?? 50), 500))
        }
        @Sendable func paged<T: Encodable>(_ items: [T], total: Int) throws -> Response {
            var response = try jsonResponse(items)
            response.headers[HTTPField.Name("X-Total-Count")!] = String(total)
            return response
        }
        router.get("/indicators/:id/rounds/:seq/units") { request, context in
            let (indicator, seq) = try await round(context)
            let (offset, limit) = page(request)
            let (units, total) = try await assignments.assigned(indicator, seq: seq, offset: offset, limit: limit)
            return try paged(units, total: total)
        }
        router.get("/indicators/:id/rounds/:seq/candidates") { request, context in
            let (indicator, seq) = try await round(context)
            let (offset, limit) = page(request)
            let q = request.uri.queryParameters
            let filter = AssignmentStore.Filter(text: q.get("q").map { String($0.prefix(100)) }, kind: q.get("kind"))
            let (units, total) = try await assignments.candidates(indicator, seq: seq, filter: filter, offset: offset, limit: limit)
            return try paged(units, total: total)
        }
        router.put("/indicators/:id/rounds/:seq/units") { request, context in
            let actor = try context.require(.openRounds)
            guard let seq = context.parameters.get("seq", as: Int.self) else { throw IndicatorStore.notFound }
            let change = try await request.decodeJSON(AssignmentStore.Change.self, limit: 1024 * 1024)
            return try jsonResponse(try await assignments.apply(change, indicator: try id(context), seq: seq, reach: { actor.reaches(area: $0) }))
        }
    }

    /// An indicator's documents: the bytes arrive as the request body (streamed by the gateway,
    /// the name and slot in the query), are checked by content and kept in the file store.
    static func registerAttachments(on router: Router<ServiceRequestContext>, indicators: IndicatorStore, attachments: AttachmentStore) {
        router.post("/indicators/:id/attachments") { request, context in
            let actor = try context.require(.manageFiles)
            let q = request.uri.queryParameters
            guard let slot = q.get("slot").flatMap(AttachmentSlot.init(rawValue:)) else {
                throw Problem.invalid(["slot": "กรุณาเลือกประเภทเอกสาร"])
            }
            let name = q.get("name") ?? ""
            let id = try id(context)
            let reach: (Int) -> Bool = { actor.reaches(area: $0) }
            // Refused before a byte is read when it could never be stored.
            try await attachments.ensureRoom(indicator: id, slot: slot, reach: reach)
            let (received, kind) = try await attachments.files.accept(request.body)
            do {
                let attachment = try await attachments.add(received, kind: kind, fileName: name, slot: slot, indicator: id, by: actor, reach: reach)
                context.logger.info("attachment added", metadata: ["indicator.id": "\(id)", "attachment.id": "\(attachment.id)",
                                                                   "size": "\(received.size)", "user.id": "\(actor.userId)"])
                return try jsonResponse(attachment, status: .created)
            } catch {
                await attachments.files.discard(received)
                throw error
            }
        }
        router.get("/indicators/:id/attachments/:attachment") { _, context in
            let actor = try context.require(.view)
            guard let indicator = try await indicators.find(try id(context)), actor.reaches(area: indicator.areaCode),
                  indicator.form.status != .hidden || actor.has(.defineIndicators),
                  let attachmentId = context.parameters.get("attachment").flatMap(UUID.init(uuidString:)) else { throw IndicatorStore.notFound }
            return try await attachments.download(attachmentId, indicator: indicator.id).response(from: attachments.files)
        }
        router.delete("/indicators/:id/attachments/:attachment") { _, context in
            let actor = try context.require(.manageFiles)
            guard let attachmentId = context.parameters.get("attachment").flatMap(UUID.init(uuidString:)) else { throw AttachmentStore.notFound }
            try await attachments.remove(attachmentId, indicator: try id(context), by: actor, reach: { actor.reaches(area: $0) })
            return Response(status: .noContent)
        }
    }

    /// The area a request works in: the actor's own; the nation's staff must name one.
    static func area(_ asked: Int?, of actor: Actor) throws -> Int {
        if let own = actor.areaCode {
            guard asked == nil || asked == own else { throw Problem(status: .forbidden, detail: "ทำรายการได้เฉพาะเขตพื้นที่ของท่าน") }
            return own
        }
        guard let asked else { throw Problem.invalid(["areaCode": "กรุณาเลือกสำนักงานเขตพื้นที่"]) }
        return asked
    }

    static func id(_ context: ServiceRequestContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw IndicatorStore.notFound }
        return id
    }
}
