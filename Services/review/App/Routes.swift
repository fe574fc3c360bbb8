import Foundation
import HTTPTypes
import Hummingbird
import KPIContracts
import KPIRuntime

/// review's HTTP API, reached through the gateway with the signed actor. A report is named as in
/// intake, by its indicator, round and unit; review checks on every request who may see it and
/// who may score it.
enum Routes {
    static func register(on router: Router<ServiceRequestContext>, reviews: ReviewStore) {
        // The reviewer's queue (?year=, and optionally indicator, seq, unit, show=reviewed, offset).
        router.get("/reviews/queue") { request, context in
            let actor = try context.require(.review)
            let q = request.uri.queryParameters
            guard let year = q.get("year").flatMap({ Int($0) }) else { throw Problem(status: .badRequest, detail: "year is required") }
            let filter = ReviewStore.QueueFilter(yearBE: year, indicator: q.get("indicator").flatMap(UUID.init(uuidString:)),
                                                 seq: q.get("seq").flatMap { Int($0) }, unit: q.get("unit").flatMap { Int($0) },
                                                 reviewed: q.get("show") == "reviewed", offset: q.get("offset").flatMap { Int($0) } ?? 0)
            return try jsonResponse(try await reviews.queue(filter, actor: actor))
        }
        // B5: one score for several reports.
        router.post("/reviews/several") { request, context in
            let actor = try context.require(.review)
            let several = try await request.decodeJSON(ReviewStore.Several.self)
            struct Done: Encodable { var reviewed: Int }
            return try jsonResponse(Done(reviewed: try await reviews.reviewSeveral(several, actor: actor)))
        }
        router.get("/reviews/:indicator/:seq/:unit") { _, context in
            let actor = try context.require(.view)
            return try jsonResponse(try await reviews.record(try key(context), actor: actor))
        }
        router.post("/reviews/:indicator/:seq/:unit") { request, context in
            let actor = try context.require(.review)
            let score = try await request.decodeJSON(ReviewStore.Score.self)
            return try jsonResponse(try await reviews.review(try key(context), score, actor: actor))
        }
        router.post("/reviews/:indicator/:seq/:unit/cancel") { _, context in
            let actor = try context.require(.review)
            return try jsonResponse(try await reviews.cancel(try key(context), actor: actor))
        }
        router.post("/reviews/:indicator/:seq/:unit/return") { request, context in
            let actor = try context.require(.review)
            let score = try await request.decodeJSON(ReviewStore.Score.self)
            return try jsonResponse(try await reviews.giveBack(try key(context), comment: score.comment, expected: score.version, actor: actor))
        }
    }

    static func key(_ context: ServiceRequestContext) throws -> ReviewStore.Key {
        guard let indicator = context.parameters.get("indicator").flatMap(UUID.init(uuidString:)),
              let seq = context.parameters.get("seq", as: Int.self), let unit = context.parameters.get("unit", as: Int.self) else {
            throw ReviewStore.notFound
        }
        return ReviewStore.Key(indicator: indicator, seq: seq, unit: unit)
    }
}
