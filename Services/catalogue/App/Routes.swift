import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime

/// catalogue's HTTP API, reached through the gateway.
enum Routes {
    static func register(on router: Router<ServiceRequestContext>, years: YearStore) {
        router.get("/years") { _, _ in try jsonResponse(try await years.all()) }
        // Who may add a year is checked here, on the verified actor the gateway signed.
        router.post("/years") { request, context in
            let actor = try context.require(.defineIndicators)
            struct Body: Decodable { var yearBE: Int }
            guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer: try await request.body.collect(upTo: 4096))) else {
                throw Problem(status: .badRequest, detail: "body must be {\"yearBE\": number}")
            }
            let year = try await years.add(yearBE: body.yearBE)
            context.logger.info("fiscal year added", metadata: ["year": "\(year.yearBE)", "user.name": "\(actor.username)"])
            return try jsonResponse(year, status: .created)
        }
    }
}
