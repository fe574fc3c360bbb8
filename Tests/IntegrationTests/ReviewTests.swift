import Foundation
import HTTPTypes
import IntakeService
import KPIContracts
import KPIRuntime
import ReviewService
import Testing

/// Reviews against the catalogue, intake and review processes: review learns reports from
/// intake's events and intake learns reviews from review's, and neither lets the other's state
/// be broken, even when a school and a reviewer act at the same moment.
extension IntegrationSuite.ReportTests {
    static let workgroupReviewer = actor([.view, .review], unit: 74, name: "นายตรวจ ละเอียด")

    /// A report of unit `unit` with a score and one file, confirmed; returns intake's view of it.
    func confirmedReport(_ id: UUID, unit: Int = 1, as actor: Actor = reporter, bytes: [UInt8] = pdf) async throws -> ReportView {
        try await eventually("intake learned the open round") {
            try await send(intake, .put, report(id, unit: unit), json: ReportStore.Draft(selfScore: 4, version: nil), as: actor).status == 200
        }
        let path = report(id, unit: unit) + "/evidence/1?description=%E0%B9%81%E0%B8%9C%E0%B8%99&name=a.pdf"
        let token = try Self.key.sign(actor, for: "intake", method: .put, path: report(id, unit: unit) + "/evidence/1")
        #expect(try await httpSend("PUT", intake.baseURL + path, bytes: bytes, headers: [("X-KPI-Actor", token)]).status == 200)
        let confirmed = try await send(intake, .post, report(id, unit: unit) + "/confirm", as: actor)
        #expect(confirmed.status == 200, "\(confirmed.body)")
        return try Self.decode(ReportView.self, confirmed.body)
    }

    func reviewPath(_ id: UUID, unit: Int = 1) -> String { "/reviews/\(id.uuidString.lowercased())/1/\(unit)" }

    func record(_ id: UUID, unit: Int = 1, as actor: Actor = reviewer) async throws -> ReviewRecord {
        try Self.decode(ReviewRecord.self, try await send(review, .get, reviewPath(id, unit: unit), as: actor).body)
    }

    func queue(_ id: UUID, reviewed: Bool = false, as actor: Actor = reviewer) async throws -> [QueueItem] {
        let r = try await send(review, .get, "/reviews/queue?year=2567&indicator=\(id.uuidString.lowercased())" + (reviewed ? "&show=reviewed" : ""),
                               as: actor)
        #expect(r.status == 200, "\(r.body)")
        return try Self.decode([QueueItem].self, r.body)
    }

    func intakeState(_ id: UUID, unit: Int = 1) async throws -> ReportView {
        try Self.decode(ReportView.self, try await send(intake, .get, report(id, unit: unit), as: Self.reporter).body)
    }

    /// Both services have applied every event the other published about the report.
    func settled(_ reportId: UUID) async throws -> Bool {
        let aggregate = "report-" + reportId.uuidString.lowercased()
        return try await Admin.int("""
            SELECT ((SELECT count(*) FROM review.outbox o WHERE o.aggregate_id = \(aggregate))
                    = (SELECT count(*) FROM intake.inbox i WHERE i.projection = 'review_outcomes'
                       AND i.event_id IN (SELECT event_id FROM review.outbox WHERE aggregate_id = \(aggregate)))
                AND (SELECT count(*) FROM intake.outbox o WHERE o.aggregate_id = \(aggregate))
                    = (SELECT count(*) FROM review.inbox i WHERE i.projection = 'report_status'
                       AND i.event_id IN (SELECT event_id FROM intake.outbox WHERE aggregate_id = \(aggregate))))::int
            """) == 1
    }

    struct Score: Encodable { var score: Double?; var comment: String?; var version: Int? }

    @Test("a reviewer scores a confirmed report, cancels, returns it for revision; intake follows; others cannot see or score it")
    func reviewSteps() async throws {
        try await withServices([identity, catalogue, intake, review]) {
            let id = try await openRound(due: "2099-03-15", cutoff: "2099-03-31")
            // Before anything is confirmed there is nothing to score.
            try await eventually("review learned the indicator") { try await send(review, .get, reviewPath(id), as: Self.reviewer).status == 200 }
            #expect(try await send(review, .post, reviewPath(id), json: Score(score: 3), as: Self.reviewer).status == 409)
            let confirmed = try await confirmedReport(id)
            try await eventually("review sees the confirmed report waiting") { try await queue(id).map(\.unitCode) == [1] }
            let waiting = try await queue(id)[0]
            #expect(waiting.version == confirmed.version && waiting.selfScore == 4 && waiting.evidenceCount == 1 && !waiting.copied)

            // Who may not: another area's reviewer, a school, the school's own reporter scoring.
            #expect(try await queue(id, as: Self.otherAreaReviewer).isEmpty)
            #expect(try await send(review, .get, reviewPath(id), as: Self.otherAreaReviewer).status == 404)
            #expect(try await send(review, .post, reviewPath(id), json: Score(score: 3), as: Self.otherAreaReviewer).status == 404)
            #expect(try await send(review, .get, reviewPath(id), as: Self.otherSchool).status == 404)
            #expect(try await send(review, .post, reviewPath(id), json: Score(score: 3), as: Self.reporter).status == 403)
            #expect(try await send(review, .get, reviewPath(id), as: Self.reporter).status == 200)

            // The score is checked against the type, and against the version the reviewer saw.
            let tooHigh = try await send(review, .post, reviewPath(id), json: Score(score: 6, version: confirmed.version), as: Self.reviewer)
            #expect(tooHigh.status == 422 && tooHigh.body.contains("1 ถึง 5"))
            #expect(try await send(review, .post, reviewPath(id), json: Score(score: 3, version: confirmed.version - 1), as: Self.reviewer).status == 409)
            let scored = try await send(review, .post, reviewPath(id), json: Score(score: 3, comment: "ครบถ้วน", version: confirmed.version),
                                        as: Self.reviewer)
            #expect(scored.status == 200, "\(scored.body)")
            let afterScore = try Self.decode(ReviewRecord.self, scored.body)
            #expect(afterScore.review?.state == "reviewed" && afterScore.review?.stands == true && afterScore.review?.score == 3)
            #expect(afterScore.review?.reviewerName == "ครูสมศรี ใจดี" && afterScore.history.map(\.action) == ["reviewed"])
            #expect(try await send(review, .post, reviewPath(id), json: Score(score: 4, version: confirmed.version), as: Self.reviewer).status == 409)
            #expect(try await queue(id).isEmpty)
            #expect(try await queue(id, reviewed: true).map(\.score) == [3])

            // intake learns it: the school can no longer cancel its confirmation.
            try await eventually("intake learned the review") { try await intakeState(id).state == .reviewed }
            let refused = try await send(intake, .post, report(id) + "/cancel-confirmation", as: Self.reporter)
            #expect(refused.status == 409 && refused.body.contains("ตรวจแล้ว"))

            // ยกเลิกผลการตรวจ: waiting again, in both services.
            #expect(try await send(review, .post, reviewPath(id) + "/cancel", as: Self.reviewer).status == 200)
            #expect(try await send(review, .post, reviewPath(id) + "/cancel", as: Self.reviewer).status == 409)
            try await eventually("intake learned the cancelled review") { try await intakeState(id).state == .confirmed }
            #expect(try await queue(id).map(\.unitCode) == [1])

            // B2: back for revision needs a comment; then the school may change it and send it again.
            let noComment = try await send(review, .post, reviewPath(id) + "/return", json: Score(comment: " ", version: confirmed.version), as: Self.reviewer)
            #expect(noComment.status == 422 && noComment.body.contains("comment"))
            #expect(try await send(review, .post, reviewPath(id) + "/return", json: Score(comment: "แนบภาพกิจกรรมเพิ่ม", version: confirmed.version),
                                   as: Self.reviewer).status == 200)
            try await eventually("intake learned the return") { try await intakeState(id).state == .draft }
            let seen = try await record(id, as: Self.reporter)
            #expect(seen.review?.state == "returned" && seen.review?.comment == "แนบภาพกิจกรรมเพิ่ม" && seen.copied.isEmpty)
            #expect(try await queue(id).isEmpty)
            let resaved = try await send(intake, .put, report(id), json: ReportStore.Draft(selfScore: 5, version: confirmed.version), as: Self.reporter)
            #expect(resaved.status == 200, "\(resaved.body)")
            let again = try await send(intake, .post, report(id) + "/confirm", as: Self.reporter)
            #expect(again.status == 200)

            // Sent again after a review had been given: waiting, and flagged as changed after review.
            try await eventually("review sees it waiting again") { try await queue(id).first?.selfScore == 5 }
            #expect(try await queue(id).first?.changedAfterReview == true)
            #expect(try await record(id).changedAfterReview)

            let events = try await TestEnvironment.admin.query("""
                SELECT event_type FROM review.outbox WHERE aggregate_id = \("report-" + confirmed.id!.uuidString.lowercased()) ORDER BY id
                """).map { try $0.decode(String.self, at: 0) }
            #expect(events == ["th.kpi.review.report.reviewed.v1", "th.kpi.review.review.cancelled.v1", "th.kpi.review.report.returned.v1"])
        }
        try await cleanUp()
    }

    @Test("another school and another area's reviewer can neither read, download, change, confirm nor review a report by guessing its address")
    func authorizationMatrix() async throws {
        try await withServices([identity, catalogue, intake, review]) {
            let id = try await openRound(due: "2099-03-15", cutoff: "2099-03-31")
            let confirmed = try await confirmedReport(id)
            try await eventually("review sees it waiting") { try await queue(id).count == 1 }
            let r = report(id), v = confirmed.version
            let zipPath = "/reports/\(id.uuidString.lowercased())/1/evidence.zip"
            // Every way in: intake's report, its file, its steps, the round's ZIP; review's record and steps.
            let attempts: [(ServiceProcess, HTTPRequest.Method, String, (any Encodable)?)] = [
                (intake, .get, r, nil), (intake, .get, r + "/evidence/1", nil), (intake, .get, zipPath, nil),
                (intake, .put, r, ReportStore.Draft(selfScore: 1, version: v)), (intake, .delete, r + "/evidence/1?version=\(v)", nil),
                (intake, .post, r + "/confirm?version=\(v)", nil), (intake, .post, r + "/cancel-confirmation?version=\(v)", nil),
                (review, .get, reviewPath(id), nil), (review, .post, reviewPath(id), Score(score: 1, version: v)),
                (review, .post, reviewPath(id) + "/return", Score(comment: "x", version: v)), (review, .post, reviewPath(id) + "/cancel", nil),
            ]
            for actor in [Self.otherSchool, Self.otherAreaReviewer, Self.actor([.view, .report, .review, .seeAllUnits], unit: 2)] {
                for (service, method, path, body) in attempts {
                    // A unit of the same area with every right may read and review, but never write another unit's report.
                    if actor.has(.seeAllUnits), actor.areaCode == 74, method == .get || service === review { continue }
                    let status = try await send(service, method, path, json: body, as: actor).status
                    #expect([403, 404].contains(status), "\(actor.username) \(method) \(service.service) \(path) → \(status)")
                }
            }
            // Nothing moved: the report as confirmed, no review.
            let after = try await intakeState(id)
            #expect(after.version == v && after.state == .confirmed && after.evidence.count == 1)
            #expect(try await record(id).review == nil)
        }
        try await cleanUp()
    }

    /// A one-page PDF whose text is `text` (ASCII; Helvetica).
    static func textPDF(_ text: String) -> [UInt8] {
        let content = "BT /F1 18 Tf 20 80 Td (\(text)) Tj ET"
        return Array(("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
            + "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
            + "4 0 obj << /Length \(content.utf8.count) >> stream\n\(content)\nendstream endobj\n"
            + "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n").utf8)
    }

    @Test("reviewers search a round's evidence by its descriptions (Thai, by substring) and by the text inside its PDF files")
    func searchEvidence() async throws {
        try await withServices([identity, catalogue, intake, review]) {
            let id = try await openRound(due: "2099-03-15", cutoff: "2099-03-31")
            try await eventually("intake learned the open round") {
                try await send(intake, .put, report(id), json: ReportStore.Draft(selfScore: 4, version: nil), as: Self.reporter).status == 200
            }
            let added = try await evidence(id, slot: 1, description: "โครงการส่งเสริมนักเรียนอ่านออกเขียนได้", name: "plan.pdf",
                                           Self.textPDF("Reading week plan 2567"), version: nil)
            #expect(added.status == 200, "\(added.body)")
            #expect(try await send(intake, .post, report(id) + "/confirm", as: Self.reporter).status == 200)
            func search(_ q: String, as actor: Actor = Self.reviewer) async throws -> (status: Int, found: [ReportStore.Found]) {
                var c = URLComponents()
                c.queryItems = [URLQueryItem(name: "q", value: q), URLQueryItem(name: "seq", value: "1")]
                let r = try await send(intake, .get, "/reports/\(id.uuidString.lowercased())/search?" + c.percentEncodedQuery!, as: actor)
                return (r.status, r.status == 200 ? try Self.decode([ReportStore.Found].self, r.body) : [])
            }
            // The file's text is read after the upload's answer.
            try await eventually("intake read the PDF's text") { try await search("week PLAN").found.count == 1 }
            let inFile = try await search("week PLAN").found[0]
            #expect(inFile.unitCode == 1 && inFile.slot == 1 && inFile.fileName == "plan.pdf" && inFile.excerpt?.contains("Reading week plan 2567") == true)
            let inDescription = try await search("อ่านออก").found
            #expect(inDescription.count == 1 && inDescription[0].excerpt == nil)
            #expect(try await search("100%").found.isEmpty, "% is a character to find, not a wildcard")
            #expect(try await search("ไม่มีคำนี้").found.isEmpty)
            #expect(try await search("a").status == 422)
            #expect(try await search("week plan", as: Self.otherSchool).status == 404)
            #expect(try await search("week plan", as: Self.otherAreaReviewer).status == 404)
        }
        try await cleanUp()
    }

    @Test("B5 several at once; the same file sent by two units is flagged to the reviewer only, naming the other unit")
    func severalAndCopied() async throws {
        try await withServices([identity, catalogue, intake, review]) {
            let id = try await openRound(due: "2099-03-15", cutoff: "2099-03-31")
            let first = try await confirmedReport(id)
            let second = try await confirmedReport(id, unit: 2, as: Self.otherSchool)
            try await eventually("both wait") { try await queue(id).count == 2 }
            #expect(try await queue(id).allSatisfy(\.copied))
            let copied = try await record(id).copied
            #expect(copied.count == 1 && copied[0].slot == 1 && copied[0].units.count == 1 && copied[0].units[0] != "2", "\(copied)")
            #expect(try await record(id, as: Self.reporter).copied.isEmpty)

            // B5: the round's evidence as one ZIP, for reviewers of the area only.
            let zipPath = "/reports/\(id.uuidString.lowercased())/1/evidence.zip"
            func zip(as actor: Actor) async throws -> (status: Int, body: String, headers: [(String, String)]) {
                try await httpGet(intake.baseURL + zipPath, headers: [("X-KPI-Actor", try Self.key.sign(actor, for: "intake", method: .get, path: zipPath))])
            }
            let archive = try await zip(as: Self.reviewer)
            #expect(archive.status == 200 && archive.headers.contains { $0.0.lowercased() == "content-type" && $0.1 == "application/zip" })
            #expect(archive.body.contains("1 ") && archive.body.contains("/1 - a.pdf") && archive.body.contains("%PDF-1.4"))
            #expect(try await zip(as: Self.otherSchool).status == 404)
            #expect(try await zip(as: Self.otherAreaReviewer).status == 404)

            struct Item: Encodable { var indicator: UUID; var seq = 1; var unit: Int; var version: Int? }
            struct Several: Encodable { var score: Double?; var comment: String?; var reports: [Item] }
            // All or none: a stale version for one refuses both, naming the unit.
            let stale = try await send(review, .post, "/reviews/several", json: Several(score: 4, reports: [
                Item(indicator: id, unit: 1, version: first.version), Item(indicator: id, unit: 2, version: second.version - 1)]), as: Self.reviewer)
            #expect(stale.status == 409, "\(stale.body)")
            #expect(try await queue(id).count == 2)
            let both = try await send(review, .post, "/reviews/several", json: Several(score: 4, reports: [
                Item(indicator: id, unit: 1, version: first.version), Item(indicator: id, unit: 2, version: second.version)]), as: Self.reviewer)
            #expect(both.status == 200 && both.body.contains("2"), "\(both.body)")
            #expect(try await queue(id).isEmpty)
            #expect(try await queue(id, reviewed: true).count == 2)
        }
        try await cleanUp()
    }

    @Test("a school cancelling its confirmation while a reviewer scores it ends in one state in both services, every time")
    func cancelRacesReview() async throws {
        try await withServices([identity, catalogue, intake, review]) {
            let id = try await openRound(due: "2099-03-15", cutoff: "2099-03-31")
            var view = try await confirmedReport(id)
            let reportId = try #require(view.id)
            var outcomes: [String: Int] = [:]
            // The school's click comes at the same moment, or a little later, up to after the
            // review has reached intake: every interleaving must end the same in both services.
            for (round, delay) in [0, 0, 5, 20, 100, 1500].enumerated() {
                try await eventually("review sees version \(view.version) waiting") { try await queue(id).first?.version == view.version }
                let version = view.version
                async let cancel = {
                    try await Task.sleep(for: .milliseconds(delay))
                    return try await send(intake, .post, report(id) + "/cancel-confirmation?version=\(version)", as: Self.reporter)
                }()
                async let score = send(review, .post, reviewPath(id), json: Score(score: 3, version: version), as: Self.reviewer)
                let (c, s) = try await (cancel.status, score.status)
                #expect(c == 200 || s == 200, "round \(round): cancel \(c), review \(s)")
                #expect([200, 409].contains(c) && [200, 409].contains(s))
                try await eventually("both services settled") { try await settled(reportId) }
                let intakeSide = try await intakeState(id), reviewSide = try await record(id)
                let reviewed = intakeSide.state == .reviewed
                #expect(reviewed == (reviewSide.review?.state == "reviewed" && reviewSide.review?.stands == true),
                        "round \(round): intake \(intakeSide.state), review \(String(describing: reviewSide.review))")
                #expect(reviewed || (intakeSide.state == .draft && reviewSide.reportState == "draft"))
                outcomes["cancel \(c) review \(s) → \(intakeSide.state)", default: 0] += 1
                // Back to a confirmed report for the next round.
                if reviewed {
                    #expect(try await send(review, .post, reviewPath(id) + "/cancel", as: Self.reviewer).status == 200)
                    try await eventually("intake learned the cancelled review") { try await intakeState(id).state == .confirmed }
                    #expect(try await send(intake, .post, report(id) + "/cancel-confirmation", as: Self.reporter).status == 200)
                }
                let confirmed = try await send(intake, .post, report(id) + "/confirm", as: Self.reporter)
                #expect(confirmed.status == 200, "\(confirmed.body)")
                view = try Self.decode(ReportView.self, confirmed.body)
            }
            print("cancel vs review outcomes: \(outcomes.sorted { $0.key < $1.key })")
        }
        try await cleanUp()
    }
}
