import CatalogueService
import Foundation
import HTTPTypes
import IntakeService
import KPIContracts
import KPIRuntime
import Testing

/// A school's report against the catalogue and intake processes (and review, in ReviewTests),
/// with actors signed as the gateway signs them: intake learns the round from catalogue's events
/// alone, then checks every step (rights, the round accepting reports, scores, versions, states)
/// itself.
extension IntegrationSuite {
@Suite struct ReportTests {
    static let key = ForwardSigner()
    let catalogue = ServiceProcess("catalogue", port: 18173, environment: ["KPI_FORWARD_VERIFY_KEY": key.publicKey])
    let intake = ServiceProcess("intake", port: 18183, environment: ["KPI_FORWARD_VERIFY_KEY": key.publicKey, "KPI_FILE_MAX_BYTES": "65536"])
    let review = ServiceProcess("review", port: 18213, environment: ["KPI_FORWARD_VERIFY_KEY": key.publicKey])
    // The reminder schedule runs every second, at any hour (B3).
    let statistics = ServiceProcess("statistics", port: 18223, environment: ["KPI_FORWARD_VERIFY_KEY": key.publicKey,
                                                                             "KPI_REMINDER_INTERVAL_S": "1", "KPI_REMINDER_FROM_HOUR": "0"])
    /// identity publishes the seed units, which catalogue needs before it assigns them.
    /// Has the demo accounts (the reporter of unit 1, the reviewer of area 74) and mails their
    /// notices to `FakeSMTP` on `smtpPort` (B3).
    static let smtpPort = 18299
    let identity = ServiceProcess("identity", port: 18193, environment: ["KPI_DEMO": "true", "KPI_SMTP_HOST": "127.0.0.1", "KPI_SMTP_PORT": String(smtpPort),
                                                                         "KPI_SMTP_FROM": "kpi@test.invalid"])
    let tag = "R\(Int.random(in: 1000...9999))"

    static func actor(_ rights: [Right], unit: Int, area: Int? = 74, name: String = "ครูสมศรี ใจดี") -> Actor {
        Actor(userId: UUID().uuidString, username: "u\(unit)", unitCode: unit, areaCode: area, rights: rights, yearBE: 2567, nameTh: name)
    }
    static let controller = actor([.view, .defineIndicators, .openRounds], unit: 74)
    static let reporter = actor([.view, .report], unit: 1)
    static let colleague = actor([.view, .report], unit: 1, name: "ครูมาลี ดีใจ")
    static let otherSchool = actor([.view, .report], unit: 2)
    static let otherAreaReviewer = actor([.view, .review, .seeAllUnits], unit: 7_500_000, area: 7_500_000)
    static let reviewer = actor([.view, .review], unit: 74)

    func send(_ service: ServiceProcess, _ method: HTTPRequest.Method, _ path: String, json: (any Encodable)? = nil, bytes: [UInt8]? = nil,
              as actor: Actor) async throws -> (status: Int, body: String) {
        let token = try Self.key.sign(actor, for: service.service, method: method, path: path)
        return try await httpSend(method.rawValue, service.baseURL + path, json: json, bytes: bytes, headers: [("X-KPI-Actor", token)])
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: String) throws -> T { try JSONDecoder.kpi.decode(T.self, from: Data(body.utf8)) }

    static let pdf = Array("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".utf8)

    /// An indicator of area 74 with half-year rounds, round 1 open for units 1 and 2, its due
    /// date `due` and cut-off `cutoff`.
    func openRound(due: String, cutoff: String, d1: String = "") async throws -> UUID {
        try await eventually("catalogue knows units 1 and 2") {
            try await Admin.int("SELECT count(*)::int FROM catalogue.unit_directory WHERE code IN (1, 2) AND active") == 2
        }
        let form = IndicatorForm(number: "\(tag).\(Int.random(in: 1...999))", nameTh: "ร้อยละของนักเรียนที่อ่านออกเขียนได้", typeCode: "weighted_average_1_5",
                                 weight: 2, d1: d1, roundMode: .halfYear)
        struct Define: Encodable { var yearBE = 2567; var indicator: IndicatorForm }
        let created = try await send(catalogue, .post, "/indicators", json: Define(indicator: form), as: Self.controller)
        let id = try Self.decode(Indicator.self, created.body).id
        let round = "/indicators/\(id)/rounds/1"
        #expect(try await send(catalogue, .put, "\(round)/units", json: AssignmentStore.Change(add: [1, 2]), as: Self.controller).status == 200)
        #expect(try await send(catalogue, .put, "\(round)/dates", json: ["opensOn": "2023-10-01", "dueOn": due, "cutoffOn": cutoff],
                               as: Self.controller).status == 200)
        #expect(try await send(catalogue, .post, "\(round)/open", as: Self.controller).status == 200)
        return id
    }

    func report(_ id: UUID, unit: Int = 1) -> String { "/reports/\(id.uuidString.lowercased())/1/\(unit)" }

    func evidence(_ id: UUID, slot: Int, description: String, name: String, _ bytes: [UInt8], version: Int?, as actor: Actor = reporter)
        async throws -> (status: Int, body: String) {
        let path = report(id) + "/evidence/\(slot)"
        var q = URLComponents()
        q.queryItems = [URLQueryItem(name: "description", value: description), URLQueryItem(name: "name", value: name)]
            + (version.map { [URLQueryItem(name: "version", value: String($0))] } ?? [])
        let token = try Self.key.sign(actor, for: "intake", method: .put, path: path)
        return try await httpSend("PUT", intake.baseURL + path + "?" + q.percentEncodedQuery!, bytes: bytes, headers: [("X-KPI-Actor", token)])
    }

    /// This test's indicators and reports go, so other tests see area 74 as they left it.
    func cleanUp() async throws {
        // The tag is letters and digits of this test's own making.
        let mine = "(SELECT id FROM catalogue.indicators WHERE number LIKE '\(tag).%')"
        let reports = "(SELECT id FROM intake.reports WHERE indicator_id IN \(mine))"
        // review's tables exist once review has run (some tests start without it).
        for table in ["review.reviews", "review.review_history", "review.report_evidence", "review.report_status", "intake.review_outcomes"]
        where try await TestEnvironment.admin.query("SELECT to_regclass(\(table))::text").first?.decode(String?.self, at: 0) != nil {
            try await TestEnvironment.admin.execute("DELETE FROM \(unescaped: table) WHERE report_id IN \(unescaped: reports)")
        }
        for table in ["statistics.fig_slots", "statistics.fig_round_counts", "statistics.fig_indicator_results", "statistics.fig_unit_results", "statistics.fig_dirty_rounds", "statistics.reminder_log"]
        where try await TestEnvironment.admin.query("SELECT to_regclass(\(table))::text").first?.decode(String?.self, at: 0) != nil {
            try await TestEnvironment.admin.execute("DELETE FROM \(unescaped: table) WHERE indicator_id IN \(unescaped: mine)")
        }
        for table in ["report_history", "evidence"] {
            try await TestEnvironment.admin.execute("""
                DELETE FROM intake.\(unescaped: table) WHERE report_id IN (SELECT id FROM intake.reports WHERE indicator_id IN \(unescaped: mine))
                """)
        }
        try await TestEnvironment.admin.execute("DELETE FROM intake.reports WHERE indicator_id IN \(unescaped: mine)")
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.reported_units WHERE indicator_id IN \(unescaped: mine)")
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.indicators WHERE id IN \(unescaped: mine)")
    }

    @Test("a school saves, attaches evidence, confirms and cancels; every step is checked by intake: rights, scores, versions, states, files")
    func reportSteps() async throws {
        try await withServices([identity, catalogue, intake]) {
            let id = try await openRound(due: "2099-03-15", cutoff: "2099-03-31")
            try await eventually("intake learned the open round") {
                let r = try await send(intake, .get, report(id), as: Self.reporter)
                guard r.status == 200 else { return false }
                return try Self.decode(ReportView.self, r.body).canWrite
            }
            let empty = try Self.decode(ReportView.self, try await send(intake, .get, report(id), as: Self.reporter).body)
            #expect(empty.id == nil && empty.version == 0 && empty.context.roundLabelTh == "รอบ 6 เดือน" && empty.context.scoring?.scoreMax == 5)

            // Who may not: another school, another area, a reviewer writing, a unit not assigned.
            #expect(try await send(intake, .get, report(id), as: Self.otherSchool).status == 404)
            #expect(try await send(intake, .get, report(id), as: Self.otherAreaReviewer).status == 404)
            #expect(try await send(intake, .get, report(id), as: Self.reviewer).status == 200)
            #expect(try await send(intake, .put, report(id), json: ReportStore.Draft(selfScore: 4, version: nil), as: Self.reviewer).status == 403)
            let notAssigned = try await send(intake, .put, report(id, unit: 3), json: ReportStore.Draft(selfScore: 4, version: nil),
                                             as: Self.actor([.view, .report], unit: 3))
            #expect(notAssigned.status == 403 && notAssigned.body.contains("ไม่ได้รับมอบหมาย"), "\(notAssigned.body)")

            // The draft: a score outside the type's is a Thai field error; a valid one is saved.
            let bad = try await send(intake, .put, report(id), json: ReportStore.Draft(selfScore: 7, version: nil), as: Self.reporter)
            #expect(bad.status == 422 && bad.body.contains("selfScore") && bad.body.contains("1 ถึง 5"))
            let saved = try Self.decode(ReportView.self, try await send(intake, .put, report(id), json: ReportStore.Draft(selfScore: 4, version: 0),
                                                                          as: Self.reporter).body)
            #expect(saved.version == 1 && saved.selfScore == 4 && saved.state == .draft)

            // Evidence: a description is required, the bytes are checked, the limit holds; none leaves a file.
            #expect(try await evidence(id, slot: 1, description: " ", name: "a.pdf", Self.pdf, version: 1).status == 422)
            #expect(try await evidence(id, slot: 1, description: "แผน", name: "a.pdf", Array("<html>".utf8), version: 1).status == 415)
            #expect(try await evidence(id, slot: 1, description: "แผน", name: "a.pdf", Self.pdf + Array(repeating: 0x20, count: 70_000),
                                       version: 1).status == 413)
            #expect(try await evidence(id, slot: 11, description: "แผน", name: "a.pdf", Self.pdf, version: 1).status == 404)
            let added = try await evidence(id, slot: 1, description: "แผนปฏิบัติการ", name: "../แผน 2567.pdf", Self.pdf, version: 1)
            #expect(added.status == 200, "\(added.body)")
            let withFile = try Self.decode(ReportView.self, added.body)
            #expect(withFile.version == 2 && withFile.evidence.map(\.fileName) == ["แผน 2567.pdf"] && withFile.evidence[0].addedByName == "ครูสมศรี ใจดี")

            // Two people of one school: the second, working from version 1, is told, not overwritten.
            let stale = try await send(intake, .put, report(id), json: ReportStore.Draft(selfScore: 3, version: 1), as: Self.colleague)
            #expect(stale.status == 409 && stale.body.contains("มีผู้อื่นแก้ไข"))

            // Confirmed (not late: due in 2099); then nothing changes until the confirmation is cancelled.
            let confirmed = try Self.decode(ReportView.self, try await send(intake, .post, report(id) + "/confirm?version=2", as: Self.reporter).body)
            #expect(confirmed.state == .confirmed && !confirmed.late && confirmed.confirmedAt != nil)
            #expect(try await send(intake, .put, report(id), json: ReportStore.Draft(selfScore: 5, version: 3), as: Self.reporter).status == 409)
            #expect(try await evidence(id, slot: 2, description: "ภาพ", name: "b.pdf", Self.pdf, version: 3).status == 409)
            let download = try await httpGet(intake.baseURL + report(id) + "/evidence/1",
                                              headers: [("X-KPI-Actor", try Self.key.sign(Self.reviewer, for: "intake", method: .get, path: report(id) + "/evidence/1"))])
            #expect(download.status == 200 && Array(download.body.utf8) == Self.pdf)
            #expect(download.headers.contains { $0.0.lowercased() == "content-disposition" && $0.1.contains("attachment") })
            let other = try await httpGet(intake.baseURL + report(id) + "/evidence/1",
                                          headers: [("X-KPI-Actor", try Self.key.sign(Self.otherSchool, for: "intake", method: .get, path: report(id) + "/evidence/1"))])
            #expect(other.status == 404)
            let cancelled = try Self.decode(ReportView.self, try await send(intake, .post, report(id) + "/cancel-confirmation?version=3", as: Self.reporter).body)
            #expect(cancelled.state == .draft && cancelled.version == 4)

            // Removing the only file: its bytes go; confirming needs evidence again.
            let sha = withFile.evidence[0].sha256
            let stored = (ProcessInfo.processInfo.environment["KPI_FILES_DIR"] ?? "") + "/intake/objects/" + sha.prefix(2) + "/" + sha
            #expect(FileManager.default.fileExists(atPath: stored))
            #expect(try await send(intake, .delete, report(id) + "/evidence/1?version=4", as: Self.reporter).status == 200)
            #expect(!FileManager.default.fileExists(atPath: stored))
            let noEvidence = try await send(intake, .post, report(id) + "/confirm?version=5", as: Self.reporter)
            #expect(noEvidence.status == 422 && noEvidence.body.contains("evidence"))

            // The history and the events, one per step.
            let final = try Self.decode(ReportView.self, try await send(intake, .get, report(id), as: Self.reporter).body)
            #expect(final.history.map(\.action) == ["saved", "evidence-added", "confirmed", "confirmation-cancelled", "evidence-removed"])
            let reportId = try #require(final.id)
            #expect(try await Admin.int("SELECT count(*)::int FROM intake.outbox WHERE aggregate_id = \("report-" + reportId.uuidString.lowercased())") == 5)

            // catalogue learns that unit 1 reported: the gear refuses to remove it.
            try await eventually("catalogue knows unit 1 reported") {
                try await Admin.int("SELECT count(*)::int FROM catalogue.reported_units WHERE indicator_id = \(id) AND unit_code = 1") == 1
            }

            // Closing the round in catalogue stops the school's writes once intake has the event.
            #expect(try await send(catalogue, .post, "/indicators/\(id)/rounds/1/close", as: Self.controller).status == 200)
            try await eventually("intake learned the round closed") {
                try await send(intake, .put, report(id), json: ReportStore.Draft(selfScore: 4, version: nil), as: Self.reporter).status == 403
            }
        }
        try await cleanUp()
    }

    @Test("a confirmation after the due date is marked late; after the cut-off only a unit with an extension may report")
    func lateAndCutOff() async throws {
        try await withServices([identity, catalogue, intake]) {
            let id = try await openRound(due: "2024-03-15", cutoff: "2099-03-31")
            try await eventually("intake learned the open round") {
                try await send(intake, .put, report(id), json: ReportStore.Draft(selfScore: 3, version: nil), as: Self.reporter).status == 200
            }
            #expect(try await evidence(id, slot: 1, description: "ภาพกิจกรรม", name: "a.pdf", Self.pdf, version: nil).status == 200)
            let late = try Self.decode(ReportView.self, try await send(intake, .post, report(id) + "/confirm", as: Self.reporter).body)
            #expect(late.state == .confirmed && late.late && late.history.last?.detail == "ส่งหลังวันครบกำหนด")

            let past = try await openRound(due: "2024-03-15", cutoff: "2024-03-31")
            try await eventually("intake learned the round past its cut-off") {
                let r = try await send(intake, .get, report(past, unit: 2), as: Self.otherSchool)
                guard r.status == 200 else { return false }
                // Opening comes after the dates: wait for both.
                let c = try Self.decode(ReportView.self, r.body).context
                return c.cutoffOn == "2024-03-31" && c.roundState == "open"
            }
            let refused = try await send(intake, .put, report(past, unit: 2), json: ReportStore.Draft(selfScore: 3, version: nil), as: Self.otherSchool)
            #expect(refused.status == 403 && refused.body.contains("เลยวันปิดรับ"), "\(refused.body)")
            #expect(try await send(catalogue, .put, "/indicators/\(past)/rounds/1/extensions/2", json: ["untilOn": "2099-01-01", "reason": "น้ำท่วม"],
                                   as: Self.controller).status == 200)
            try await eventually("intake learned the extension") {
                try await send(intake, .put, report(past, unit: 2), json: ReportStore.Draft(selfScore: 3, version: nil), as: Self.otherSchool).status == 200
            }
        }
        try await cleanUp()
    }
}
}
