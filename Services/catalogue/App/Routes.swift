import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime

/// catalogue's HTTP API, reached through the gateway. Who may do what is checked here, on the
/// verified actor the gateway signed: the right, and that the indicator is of the actor's area
/// (the nation's staff reach every area).
enum Routes {
    static func register(on router: Router<ServiceRequestContext>, years: YearStore, indicators: IndicatorStore) {
        router.get("/years") { _, _ in try jsonResponse(try await years.all()) }
        router.post("/years") { request, context in
            let actor = try context.require(.defineIndicators)
            struct Body: Decodable { var yearBE: Int }
            let body = try await request.decodeJSON(Body.self, limit: 4096)
            let year = try await years.add(yearBE: body.yearBE)
            context.logger.info("fiscal year added", metadata: ["year": "\(year.yearBE)", "user.name": "\(actor.username)"])
            return try jsonResponse(year, status: .created)
        }

        router.get("/indicator-types") { _, _ in try jsonResponse(try await indicators.types()) }

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
        for (action, open) in [("open", true), ("close", false)] {
            router.post("/indicators/:id/rounds/:seq/\(action)") { _, context in
                let actor = try context.require(.openRounds)
                guard let seq = context.parameters.get("seq", as: Int.self) else { throw Problem(status: .badRequest, detail: "round must be a number") }
                return try jsonResponse(try await indicators.setRound(try id(context), seq: seq, open: open, reach: { actor.reaches(area: $0) }))
            }
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
