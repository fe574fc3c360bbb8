import Foundation
import HTTPTypes
import Hummingbird
import KPIContracts
import KPIFiles
import KPIRuntime

/// intake's HTTP API, reached through the gateway with the signed actor. A report is named by
/// its indicator, round and unit; intake checks who may read and write it on every request.
enum Routes {
    static func register(on router: Router<ServiceRequestContext>, reports: ReportStore) {
        // The list's "รายงาน" buttons: the actor's unit's rounds of a year.
        router.get("/reports/rounds") { request, context in
            let actor = try context.require(.view)
            guard let year = request.uri.queryParameters.get("year").flatMap({ Int($0) }) else {
                throw Problem(status: .badRequest, detail: "year is required")
            }
            return try jsonResponse(try await reports.rounds(yearBE: year, actor: actor))
        }
        // Reviewers search an indicator's evidence (?q=, optionally ?seq=): descriptions and PDF text.
        router.get("/reports/:indicator/search") { request, context in
            let actor = try context.require(.view)
            guard let indicator = context.parameters.get("indicator").flatMap(UUID.init(uuidString:)) else { throw ReportStore.notFound }
            let q = request.uri.queryParameters
            return try jsonResponse(try await reports.search(indicator: indicator, seq: q.get("seq").flatMap { Int($0) }, text: q.get("q") ?? "",
                                                             actor: actor))
        }
        // B5: a round's evidence as one ZIP, streamed.
        router.get("/reports/:indicator/:seq/evidence.zip") { _, context in
            let actor = try context.require(.view)
            guard let indicator = context.parameters.get("indicator").flatMap(UUID.init(uuidString:)),
                  let seq = context.parameters.get("seq", as: Int.self) else { throw ReportStore.notFound }
            let (name, items) = try await reports.roundEvidence(indicator: indicator, seq: seq, actor: actor)
            context.logger.info("round evidence zipped", metadata: ["files": "\(items.count)", "user.id": "\(actor.userId)"])
            return ZipStream.response(items, fileName: name, store: reports.files)
        }
        router.get("/reports/:indicator/:seq/:unit") { _, context in
            let actor = try context.require(.view)
            return try jsonResponse(try await reports.read(try key(context), actor: actor))
        }
        router.put("/reports/:indicator/:seq/:unit") { request, context in
            let actor = try context.require(.report)
            let draft = try await request.decodeJSON(ReportStore.Draft.self)
            return try jsonResponse(try await reports.save(try key(context), draft, actor: actor))
        }
        router.post("/reports/:indicator/:seq/:unit/confirm") { request, context in
            let actor = try context.require(.report)
            return try jsonResponse(try await reports.confirm(try key(context), expected: version(request), actor: actor))
        }
        router.post("/reports/:indicator/:seq/:unit/cancel-confirmation") { request, context in
            let actor = try context.require(.report)
            return try jsonResponse(try await reports.cancelConfirmation(try key(context), expected: version(request), actor: actor))
        }
        // Evidence: the file is the body (streamed by the gateway), the description and the
        // version the school saw in the query; checked by content, kept by its hash.
        router.put("/reports/:indicator/:seq/:unit/evidence/:slot") { request, context in
            let actor = try context.require(.report)
            let key = try key(context), slot = try slot(context)
            let q = request.uri.queryParameters
            let description = q.get("description") ?? ""
            try await reports.ensureWritable(key, slot: slot, description: description, actor: actor)
            let (received, kind) = try await reports.files.accept(request.body)
            do {
                let view = try await reports.addEvidence(key, slot: slot, description: description, fileName: q.get("name") ?? "",
                                                         received: received, kind: kind, expected: version(request), actor: actor)
                context.logger.info("evidence added", metadata: ["report.id": "\(view.id?.uuidString ?? "")", "slot": "\(slot)",
                                                                  "size": "\(received.size)", "user.id": "\(actor.userId)"])
                // Its text, for reviewers' searches, after the answer (a restart reads what this missed).
                if kind == .pdf { Task { await reports.index(sha256: received.sha256) } }
                return try jsonResponse(view)
            } catch {
                await reports.files.discard(received)
                throw error
            }
        }
        router.delete("/reports/:indicator/:seq/:unit/evidence/:slot") { request, context in
            let actor = try context.require(.report)
            return try jsonResponse(try await reports.removeEvidence(try key(context), slot: try slot(context), expected: version(request), actor: actor))
        }
        router.get("/reports/:indicator/:seq/:unit/evidence/:slot") { _, context in
            let actor = try context.require(.view)
            return try await reports.download(try key(context), slot: try slot(context), actor: actor).response(from: reports.files)
        }
    }

    static func key(_ context: ServiceRequestContext) throws -> ReportStore.Key {
        guard let indicator = context.parameters.get("indicator").flatMap(UUID.init(uuidString:)),
              let seq = context.parameters.get("seq", as: Int.self), let unit = context.parameters.get("unit", as: Int.self) else {
            throw ReportStore.notFound
        }
        return ReportStore.Key(indicator: indicator, seq: seq, unit: unit)
    }

    static func slot(_ context: ServiceRequestContext) throws -> Int {
        guard let slot = context.parameters.get("slot", as: Int.self), (1...10).contains(slot) else {
            throw Problem(status: .notFound, detail: "ช่องหลักฐานมี 1 ถึง 10")
        }
        return slot
    }

    /// `?version=`: the report's version the writer saw; absent means "whatever it is now".
    static func version(_ request: Request) -> Int? { request.uri.queryParameters.get("version").flatMap { Int($0) } }
}
