import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime

/// statistics' HTTP API: public figures (reached through the gateway without sign-in) and the
/// figures of an area for people signed in (the gateway signs the actor).
enum Routes {
    static func register(on router: Router<ServiceRequestContext>, db: ServiceDatabase) {
        let figures = FigureStore(db: db)
        router.get("/public/units") { _, _ in try jsonResponse(try await UnitTotals.summary(db)) }

        // Public figures (M20), for everyone: a year's progress and results, by area for the
        // nation, by indicator and unit for one area (?year=&area=&units=). No person is named in them.
        router.get("/public/figures") { request, _ in
            let q = request.uri.queryParameters
            guard let year = q.get("year").flatMap({ Int($0) }) else { throw Problem(status: .badRequest, detail: "year is required") }
            if let area = q.get("area").flatMap({ Int($0) }) {
                return try jsonResponse(try await figures.areaSummary(yearBE: year, area: area, filter: SummaryFilter(),
                                                                      units: .init(units: q.get("units"), behind: q.get("behind"))))
            }
            return try jsonResponse(try await figures.nationalSummary(yearBE: year, filter: SummaryFilter()))
        }
        // The years that have figures, oldest first (the public page's year links).
        router.get("/public/years") { _, _ in
            let years: [Int] = try await db.query("SELECT DISTINCT year_be FROM view_indicators WHERE status <> 'hidden' ORDER BY 1").decode(Int.self)
            return try jsonResponse(years)
        }
        // B9: which areas' figures changed (?since= microseconds since 1970, from the last answer's
        // `now`). The gateway asks once a second and tells the pages open in browsers; it carries
        // no figure, only that an area of a year changed.
        router.get("/public/changes") { request, _ in
            let since = request.uri.queryParameters.get("since").flatMap { Int64($0) }
            return try jsonResponse(try await figures.changes(since: since))
        }
        // The indicator list's counters (?year=&area=).
        router.get("/figures/rounds") { request, context in
            let actor = try context.require(.view)
            let q = request.uri.queryParameters
            guard let year = q.get("year").flatMap({ Int($0) }), let area = q.get("area").flatMap({ Int($0) }) ?? actor.areaCode else {
                throw Problem(status: .badRequest, detail: "year and area are required")
            }
            return try jsonResponse(try await figures.rounds(yearBE: year, area: area, actor: actor))
        }
        // The annual summary (?year=, area= for the nation's staff, d1–d4=, workgroup=; units= an
        // offset or "all", behind=1 for the units behind only).
        router.get("/figures/summary") { request, context in
            let actor = try context.require(.viewSummary)
            let q = request.uri.queryParameters
            guard let year = q.get("year").flatMap({ Int($0) }) else { throw Problem(status: .badRequest, detail: "year is required") }
            let filter = SummaryFilter(d1: q.get("d1") ?? "", d2: q.get("d2") ?? "", d3: q.get("d3") ?? "", d4: q.get("d4") ?? "",
                                       workgroup: q.get("workgroup").flatMap { Int($0) })
            return try jsonResponse(try await figures.summary(yearBE: year, area: actor.areaCode ?? q.get("area").flatMap { Int($0) },
                                                              filter: filter, units: .init(units: q.get("units"), behind: q.get("behind")),
                                                              actor: actor))
        }
        // B3: what the signed-in person should act on in a year (?year=).
        router.get("/figures/reminders") { request, context in
            let actor = try context.require(.view)
            guard let year = request.uri.queryParameters.get("year").flatMap({ Int($0) }) else {
                throw Problem(status: .badRequest, detail: "year is required")
            }
            return try jsonResponse(try await figures.reminders(yearBE: year, actor: actor))
        }
        // The all-rounds matrix of one indicator (?offset=).
        router.get("/figures/indicators/:id/matrix") { request, context in
            let actor = try context.require(.view)
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw FigureStore.notFound }
            let offset = request.uri.queryParameters.get("offset").flatMap { Int($0) } ?? 0
            return try jsonResponse(try await figures.matrix(indicator: id, offset: offset, actor: actor))
        }
    }
}
