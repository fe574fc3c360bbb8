import Foundation
import HTTPTypes
import IntakeService
import KPIContracts
import KPIRuntime
import Testing

/// statistics' figures of a whole round, against the real catalogue, intake, review and
/// statistics processes: statistics learns everything from their events, and its counters and
/// matrix follow each step (sent, reviewed, returned, sent again, review cancelled, late).
extension IntegrationSuite.ReportTests {
    func roundFigures(as actor: Actor = reviewer) async throws -> [RoundFigures] {
        let r = try await send(statistics, .get, "/figures/rounds?year=2567&area=74", as: actor)
        #expect(r.status == 200, "\(r.body)")
        return try Self.decode([RoundFigures].self, r.body)
    }

    func counters(_ id: UUID) async throws -> String? {
        try await roundFigures().first { $0.indicatorId == id && $0.seq == 1 }?.counters
    }

    func matrix(_ id: UUID, as actor: Actor = reviewer) async throws -> Matrix {
        let r = try await send(statistics, .get, "/figures/indicators/\(id.uuidString.lowercased())/matrix", as: actor)
        #expect(r.status == 200, "\(r.body)")
        return try Self.decode(Matrix.self, r.body)
    }

    func reminders(as actor: Actor) async throws -> Reminders {
        let r = try await send(statistics, .get, "/figures/reminders?year=2567", as: actor)
        #expect(r.status == 200, "\(r.body)")
        return try Self.decode(Reminders.self, r.body)
    }

    /// Unit 2's report with `score` and one file, confirmed.
    func confirmUnit2(_ id: UUID, score: Double, version: Int?) async throws {
        let saved = try await send(intake, .put, report(id, unit: 2), json: ReportStore.Draft(selfScore: score, version: version), as: Self.otherSchool)
        #expect(saved.status == 200, "\(saved.body)")
        let path = report(id, unit: 2) + "/evidence/1"
        let token = try Self.key.sign(Self.otherSchool, for: "intake", method: .put, path: path)
        #expect(try await httpSend("PUT", intake.baseURL + path + "?description=%E0%B9%81%E0%B8%9C%E0%B8%99&name=b.pdf", bytes: Self.pdf + [10],
                                   headers: [("X-KPI-Actor", token)]).status == 200)
        let confirmed = try await send(intake, .post, report(id, unit: 2) + "/confirm", as: Self.otherSchool)
        #expect(confirmed.status == 200, "\(confirmed.body)")
    }

    /// What statistics keeps of the given indicators, as text, to compare before and after a rebuild.
    func figureSnapshot(_ ids: [UUID]) async throws -> [String] {
        let list = ids.map { "'\($0.uuidString.lowercased())'" }.joined(separator: ",")
        return try await TestEnvironment.admin.query("""
            SELECT 'slot ' || indicator_id || ' ' || seq || ' ' || unit_code || ' ' || coalesce(state, '-') || ' ' || assigned || ' '
                   || coalesce(self_score::text, '-') || ' ' || coalesce(review_score::text, '-') || ' ' || late || ' ' || report_version
            FROM statistics.fig_slots WHERE indicator_id IN (\(unescaped: list))
            UNION ALL
            SELECT 'round ' || indicator_id || ' ' || seq || ' ' || assigned || '/' || sent || '/' || reviewed || ' ' || on_time || ' ' || late
                   || ' ' || missing || ' ' || coalesce(round(self_average, 4)::text, '-') || ' ' || coalesce(round(review_average, 4)::text, '-')
            FROM statistics.fig_round_counts WHERE indicator_id IN (\(unescaped: list))
            UNION ALL
            SELECT 'results ' || indicator_id || ' ' || units || ' ' || reviewed_units || ' ' || coalesce(round(average_sum, 4)::text, '-')
            FROM statistics.fig_indicator_results WHERE indicator_id IN (\(unescaped: list))
            UNION ALL
            SELECT 'unit ' || indicator_id || ' ' || unit_code || ' ' || shown || ' ' || assigned || '/' || sent || '/' || reviewed || ' ' || late
                   || ' ' || missing || ' ' || missing_due::text || ' ' || coalesce(self_sum::text, '-') || ' ' || coalesce(review_sum::text, '-')
            FROM statistics.fig_unit_results WHERE indicator_id IN (\(unescaped: list))
            ORDER BY 1
            """).map { try $0.decode(String.self, at: 0) }
    }

    @Test("the counters and the matrix follow a whole round: sent, reviewed, returned, sent again, review cancelled, late; a rebuild gives the same")
    func figuresOfARound() async throws {
        try await withServices([identity, catalogue, intake, review, statistics]) {
            // D1 names this test's indicators, so the summary below adds up only theirs.
            let d1 = "figures-" + UUID().uuidString.prefix(8)
            // B9: the time to ask for changes from (the gateway's first question has no `since`).
            let start = try Self.decode(FigureChanges.self, try await send(statistics, .get, "/public/changes", as: Self.reviewer).body)
            #expect(start.changes.isEmpty && start.now > 0)
            let id = try await openRound(due: "2099-03-15", cutoff: "2099-03-31", d1: d1)
            try await eventually("statistics counted the assigned units") { try await counters(id) == "[0/0/2] --- [-, -]" }
            // … and area 74's figures of 2567 have changed since then, which any gateway may ask without sign-in.
            let changed = try Self.decode(FigureChanges.self, try await send(statistics, .get, "/public/changes?since=\(start.now)", as: Self.reviewer).body)
            #expect(changed.changes.contains { $0.areaCode == 74 && $0.yearBE == 2567 && $0.at > start.now - FigureChanges.overlapMicros })
            #expect(changed.now >= start.now)

            // Unit 1 sends 4, the reviewer gives 5; unit 2 sends 3 and is returned for revision.
            let first = try await confirmedReport(id)
            try await confirmUnit2(id, score: 3, version: nil)
            try await eventually("statistics counted both sent") { try await counters(id) == "[2/0/2] --- [3.5, -]" }
            try await eventually("review sees both waiting") { try await queue(id).count == 2 }
            #expect(try await send(review, .post, reviewPath(id), json: Score(score: 5, version: first.version), as: Self.reviewer).status == 200)
            let second = try await queue(id).first { $0.unitCode == 2 }!
            #expect(try await send(review, .post, reviewPath(id, unit: 2) + "/return", json: Score(comment: "แนบภาพเพิ่ม", version: second.version),
                                   as: Self.reviewer).status == 200)
            try await eventually("statistics counted the review and the return") { try await counters(id) == "[1/1/2] --- [4, 5]" }
            // B3: the school the report went back to is reminded to send it again.
            #expect(try await reminders(as: Self.otherSchool).toSend.first { $0.indicatorId == id }?.returned == true)
            let figures = try await roundFigures().first { $0.indicatorId == id }!
            #expect(figures.onTime == 1 && figures.late == 0)

            var m = try await matrix(id)
            #expect(m.rows.map(\.unitCode) == [1, 2] && m.rounds.map(\.seq) == [1, 2] && m.total == 2)
            let one = m.rows[0].cells.first { $0.seq == 1 }!
            #expect(one.state == "reviewed" && one.selfScore == 4 && one.reviewScore == 5 && !one.late)
            #expect(one.reporter == Self.reporter.userId && one.reviewer == Self.reviewer.userId && one.confirmedAt != nil)
            let two = m.rows[1].cells.first { $0.seq == 1 }!
            #expect(two.state == "returned" && two.selfScore == nil && two.reporter == nil)

            // Unit 2 sends 2 this time (the average of 4 and 2), then the review of unit 1 is cancelled.
            try await confirmUnit2(id, score: 2, version: second.version)
            try await eventually("statistics counted unit 2 sent again") { try await counters(id) == "[2/1/2] --- [3, 5]" }
            #expect(try await send(review, .post, reviewPath(id) + "/cancel", as: Self.reviewer).status == 200)
            try await eventually("statistics counted the cancelled review") { try await counters(id) == "[2/0/2] --- [3, -]" }
            m = try await matrix(id)
            #expect(m.rows.map { $0.cells.first { $0.seq == 1 }?.state } == ["waiting", "waiting"])

            // A round whose due date has passed: a confirmation there is late, in the counters and the matrix.
            let overdue = try await openRound(due: "2024-01-01", cutoff: "2099-03-31", d1: d1)
            let lateOne = try await confirmedReport(overdue)
            try await eventually("statistics counted a late report") {
                try await roundFigures().first { $0.indicatorId == overdue && $0.seq == 1 }.map { [$0.sent, $0.onTime, $0.late] } == [1, 0, 1]
            }
            #expect(try await matrix(overdue).rows.first?.cells.first?.late == true)

            // B3: unit 2 is reminded of the overdue round only (the other is due in 2099 and sent);
            // the reviewer of the area sees reports waiting and has nothing to send.
            let unit2 = try await reminders(as: Self.otherSchool)
            let mine = unit2.toSend.filter { [id, overdue].contains($0.indicatorId) }
            #expect(mine.map(\.indicatorId) == [overdue] && mine.first?.overdue == true && mine.first?.returned == false)
            #expect(mine.first?.dueOn == "2024-01-01" && unit2.waitingForReview == nil)
            let reviewing = try await reminders(as: Self.reviewer)
            #expect((reviewing.waitingForReview ?? 0) >= 3 && reviewing.toSend.isEmpty)

            // The annual summary of these two indicators: unit 1 sent both (one late, reviewed 5);
            // unit 2 sent one and is past the due date of the other.
            try await eventually("review sees the late report") { try await queue(overdue).count == 1 }
            #expect(try await send(review, .post, "/reviews/\(overdue.uuidString.lowercased())/1/1", json: Score(score: 5, version: lateOne.version),
                                   as: Self.reviewer).status == 200)
            let reader = Self.actor([.view, .viewSummary], unit: 74), nation = Self.actor([.view, .viewSummary], unit: 74, area: nil)
            func summary(as actor: Actor, area: Int? = nil) async throws -> AnnualSummary {
                let r = try await send(statistics, .get, "/figures/summary?year=2567&d1=\(d1)" + (area.map { "&area=\($0)" } ?? ""), as: actor)
                #expect(r.status == 200, "\(r.body)")
                return try Self.decode(AnnualSummary.self, r.body)
            }
            try await eventually("statistics counted the review of the late report") { try await summary(as: reader).totals.reviewed == 1 }
            let area = try await summary(as: reader)
            #expect(area.totals == .init(assigned: 4, sent: 3, reviewed: 1, late: 1, missing: 1, overdue: 1))
            #expect(Set(area.indicators.map(\.id)) == [id, overdue] && area.result == 5)
            let onTime = area.indicators.first { $0.id == id }!, late = area.indicators.first { $0.id == overdue }!
            #expect(onTime.totals.sent == 2 && onTime.selfAverage == 3 && onTime.reviewAverage == nil)
            #expect(late.totals == .init(assigned: 2, sent: 1, reviewed: 1, late: 1, missing: 1, overdue: 1) && late.reviewAverage == 5)
            #expect(area.units.map(\.unitCode) == [1, 2] && area.units.map(\.behind) == [false, true] && area.units.map(\.result) == [5, nil])
            // The nation compares areas: area 74's line adds up to the same.
            let national = try await summary(as: nation)
            #expect(national.areaCode == nil && national.areas.map(\.areaCode) == [74])
            #expect(national.areas.first?.totals == area.totals && national.areas.first?.result == 5 && national.areas.first?.units == 2)
            #expect(try await summary(as: nation, area: 74) == area)
            // The summary needs its right; an area's people see only their area.
            #expect(try await send(statistics, .get, "/figures/summary?year=2567", as: Self.reviewer).status == 403)
            let elsewhere = try await summary(as: Self.actor([.view, .viewSummary], unit: 7_500_000, area: 7_500_000), area: 74)
            #expect(elsewhere.areaCode == 7_500_000 && elsewhere.totals.assigned == 0, "the area asked for is ignored: one's own is shown")

            // Only the area's own people see its figures.
            #expect(try await send(statistics, .get, "/figures/rounds?year=2567&area=74", as: Self.otherAreaReviewer).status == 403)
            #expect(try await send(statistics, .get, "/figures/indicators/\(id.uuidString.lowercased())/matrix", as: Self.otherAreaReviewer).status == 404)
            #expect(try await send(statistics, .get, "/figures/indicators/\(UUID().uuidString)/matrix", as: Self.reviewer).status == 404)

            // The rebuild from the history gives the same figures (after damage a bug could do).
            let before = try await figureSnapshot([id, overdue])
            try await TestEnvironment.admin.execute("UPDATE statistics.fig_round_counts SET sent = sent + 9")
            try await TestEnvironment.admin.execute("UPDATE statistics.fig_indicator_results SET units = units + 9")
            try await TestEnvironment.admin.execute("UPDATE statistics.fig_unit_results SET sent = sent + 9")
            try await TestEnvironment.admin.execute("DELETE FROM statistics.fig_slots WHERE unit_code = 2")
            #expect(try await figureSnapshot([id, overdue]) != before)
            // Every read model of statistics, one after another, each from the whole history.
            let rebuilt = try await statistics.command(["rebuild", "all"])
            #expect(rebuilt.status == 0, "\(rebuilt.output)")
            for name in ["unit_directory", "unit_totals", "catalogue_view", "report_figures"] {
                #expect(rebuilt.output.contains("projection \(name) rebuilt from"), "\(rebuilt.output)")
            }
            #expect(try await figureSnapshot([id, overdue]) == before)
        }
        try await cleanUp()
    }
}
