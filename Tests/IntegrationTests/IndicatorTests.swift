import CatalogueService
import Foundation
import HTTPTypes
import KPIContracts
import KPIRuntime
import Testing

/// The indicator catalogue against the catalogue process, with actors signed as the gateway
/// signs them: definitions, their checks, rounds in order, status, and rights within an area.
extension IntegrationSuite {
@Suite struct IndicatorTests {
    static let gatewayKey = ForwardSigner()
    let catalogue = ServiceProcess("catalogue", port: 18171, environment: ["KPI_FORWARD_VERIFY_KEY": gatewayKey.publicKey])
    let tag = "T\(Int.random(in: 1000...9999))"

    static func actor(_ rights: [Right], area: Int?) -> Actor {
        Actor(userId: UUID().uuidString, username: "tester", unitCode: area ?? 0, areaCode: area, rights: rights, yearBE: 2567)
    }
    static let controller = actor([.view, .defineIndicators, .openRounds], area: 74)
    static let reporter = actor([.view, .report], area: 74)
    static let otherArea = actor([.view, .defineIndicators, .openRounds], area: 7_500_000)
    static let nation = actor([.view, .defineIndicators, .openRounds], area: nil)

    func call(_ method: HTTPRequest.Method, _ path: String, _ json: (any Encodable)? = nil, as actor: Actor) async throws -> (status: Int, body: String) {
        let token = try Self.gatewayKey.sign(actor, for: "catalogue", method: method, path: path)
        return try await httpSend(method.rawValue, catalogue.baseURL + path, json: json, headers: [("X-KPI-Actor", token)])
    }

    func form(_ number: String, mode: RoundMode = .halfYear, type: String = "weighted_average_1_5", weight: Double = 2.5,
              name: String = "ร้อยละของนักเรียนที่มีผลสัมฤทธิ์ทางการเรียนระดับดีขึ้นไป") -> IndicatorForm {
        IndicatorForm(number: number, nameTh: name, details: "วัดจากผลการเรียนเฉลี่ย", typeCode: type, weight: weight, d1: "ด้านคุณภาพ",
                      workgroupId: 5, assessmentNote: "ประเมินเดือนกันยายน", criteria: "[2] --> [3] --> [4] --> [5]", roundMode: mode)
    }

    struct Define: Encodable { var yearBE = 2567; var areaCode: Int? = nil; var indicator: IndicatorForm }

    func define(_ f: IndicatorForm, as actor: Actor = controller, area: Int? = nil, year: Int = 2567) async throws -> (status: Int, body: String) {
        try await call(.post, "/indicators", Define(yearBE: year, areaCode: area, indicator: f), as: actor)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: String) throws -> T { try JSONDecoder.kpi.decode(T.self, from: Data(body.utf8)) }

    @Test("a controller defines an indicator with half-year rounds and changes it; each wrong field is a Thai error and nothing is stored")
    func defineAndChange() async throws {
        try await withServices([catalogue]) {
            let types = try Self.decode([IndicatorType].self, try await call(.get, "/indicator-types", as: Self.reporter).body)
            #expect(types.map(\.code) == ["weighted_average_1_5", "target_range_1_5", "percentage", "count", "pass_fail"])
            #expect(types[0].nameTh == "ค่าเฉลี่ยถ่วงน้ำหนัก (1 - 5)" && types[0].accepts(3.5) && !types[0].accepts(5.5))
            #expect(types[4].accepts(1) && !types[4].accepts(0.5))

            let created = try await define(form("\(tag).1"))
            #expect(created.status == 201, "\(created.body)")
            let indicator = try Self.decode(Indicator.self, created.body)
            #expect(indicator.areaCode == 74 && indicator.rounds.map(\.labelTh) == ["รอบ 6 เดือน", "รอบ 12 เดือน"])
            #expect(indicator.rounds.allSatisfy { $0.state == "not_opened" } && indicator.typeNameTh == "ค่าเฉลี่ยถ่วงน้ำหนัก (1 - 5)")

            let before = try await Admin.int("SELECT count(*)::int FROM catalogue.indicators")
            for (bad, field) in [(form("\(tag).2", name: "  "), "nameTh"), (form("\(tag).2", type: "no_such_type"), "typeCode"),
                                 (form("\(tag).1"), "number"), (form("\(tag).2", weight: 0), "weight"), (form("\(tag).2", weight: 101), "weight"),
                                 (form(""), "number")] {
                let refused = try await define(bad)
                #expect(refused.status == 422 && refused.body.contains("\"\(field)\""), "\(field): \(refused.body)")
            }
            let noYear = try await define(form("\(tag).2"), year: 2699)
            #expect(noYear.status == 422 && noYear.body.contains("yearBE"))
            #expect(try await Admin.int("SELECT count(*)::int FROM catalogue.indicators") == before, "a refused form stores nothing")

            var changed = form("\(tag).1", name: "ชื่อใหม่ของตัวชี้วัด")
            changed.roundMode = .quarterly
            let put = try await call(.put, "/indicators/\(indicator.id)", changed, as: Self.controller)
            #expect(put.status == 200, "\(put.body)")
            let after = try Self.decode(Indicator.self, put.body)
            #expect(after.version == 2 && after.form.nameTh == "ชื่อใหม่ของตัวชี้วัด" && after.rounds.count == 4)
            let aggregate = "indicator-\(indicator.id.uuidString.lowercased())"
            #expect(try await Admin.int("""
                SELECT count(*)::int FROM catalogue.outbox WHERE aggregate_id = \(aggregate)
                  AND event_type IN ('th.kpi.catalogue.indicator.defined.v1', 'th.kpi.catalogue.indicator.changed.v1')
                """) == 2)
        }
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.indicators WHERE number LIKE \(tag + ".%")")
    }

    @Test("rounds open in order and close again; the mode stays once a round opened")
    func roundsInOrder() async throws {
        try await withServices([catalogue]) {
            let indicator = try Self.decode(Indicator.self, try await define(form("\(tag).3", mode: .quarterly)).body)
            let base = "/indicators/\(indicator.id)/rounds"
            #expect(try await call(.post, "\(base)/2/open", as: Self.controller).status == 409)
            #expect(try await call(.post, "\(base)/1/open", as: Self.reporter).status == 403)
            #expect(try await call(.post, "\(base)/1/close", as: Self.controller).status == 409)   // never opened
            #expect(try await call(.post, "\(base)/1/open", as: Self.controller).status == 200)
            let second = try await call(.post, "\(base)/2/open", as: Self.controller)
            #expect(try Self.decode(Indicator.self, second.body).rounds.map(\.state) == ["open", "open", "not_opened", "not_opened"])
            #expect(try await call(.post, "\(base)/1/close", as: Self.controller).status == 200)
            let moved = try await call(.put, "/indicators/\(indicator.id)", form("\(tag).3", mode: .monthly), as: Self.controller)
            #expect(moved.status == 422 && moved.body.contains("roundMode"))
            #expect(try await Admin.int("""
                SELECT count(*)::int FROM catalogue.outbox WHERE aggregate_id = \("indicator-\(indicator.id.uuidString.lowercased())")
                  AND event_type = 'th.kpi.catalogue.round.state-changed.v1'
                """) == 3)
        }
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.indicators WHERE number LIKE \(tag + ".%")")
    }

    @Test("hidden indicators are for controllers only; catalogue checks the right and the area on the signed actor")
    func rightsAndAreas() async throws {
        try await withServices([catalogue]) {
            let indicator = try Self.decode(Indicator.self, try await define(form("\(tag).4")).body)
            #expect(try await call(.put, "/indicators/\(indicator.id)/status", ["status": "hidden"], as: Self.controller).status == 200)
            let list = "/indicators?year=2567"
            #expect(try await call(.get, list, as: Self.controller).body.contains("\(tag).4"))
            #expect(!(try await call(.get, list, as: Self.reporter).body.contains("\(tag).4")))
            #expect(try await call(.get, "/indicators/\(indicator.id)", as: Self.reporter).status == 404)
            #expect(try await define(form("\(tag).5"), as: Self.reporter).status == 403)

            // Another area's controller neither sees nor changes it.
            #expect(!(try await call(.get, list, as: Self.otherArea).body.contains("\(tag).4")))
            #expect(try await call(.get, list + "&area=74", as: Self.otherArea).status == 403)
            #expect(try await call(.put, "/indicators/\(indicator.id)", form("\(tag).4", name: "ของเขตอื่น"), as: Self.otherArea).status == 404)
            #expect(try await call(.put, "/indicators/\(indicator.id)/status", ["status": "open"], as: Self.otherArea).status == 404)

            // The nation's staff name the area.
            #expect(try await call(.get, list, as: Self.nation).status == 422)
            #expect(try await call(.get, list + "&area=74", as: Self.nation).body.contains("\(tag).4"))
        }
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.indicators WHERE number LIKE \(tag + ".%")")
    }

    @Test("the gear of a round: select all schools of the area, remove one, never a unit that reported, the same units for every round at once")
    func assignUnits() async throws {
        let identity = ServiceProcess("identity", port: 18172)
        let area = Int.random(in: 7_600_000...7_699_999) * 100
        let schools = (1...5).map { area + $0 }, other = area + 9, elsewhere = 3
        try await withServices([identity, catalogue]) {
            // An area office of its own, so the counts are this test's alone.
            let nation = [("X-KPI-Session", try await FirstAdmin.token(identity: identity.baseURL))]
            struct NewUnit: Encodable { var code: Int; var nameTh: String; var kind: String; var areaCode: Int? }
            for (code, kind) in [(area, "district")] + schools.map { ($0, "school") } + [(other, "other")] {
                let made = try await httpSend("POST", "\(identity.baseURL)/units", json: NewUnit(code: code, nameTh: "หน่วย \(code)", kind: kind,
                                                                                                areaCode: kind == "district" ? nil : area), headers: nation)
                #expect(made.status == 201, "\(made.body)")
            }
            try await eventually("catalogue knows the area's units") {
                try await Admin.int("SELECT count(*)::int FROM catalogue.unit_directory WHERE area_code = \(area)") == 7
            }
            let controller = Self.actor([.view, .defineIndicators, .openRounds], area: area)
            let indicator = try Self.decode(Indicator.self, try await define(form("\(tag).6"), as: controller).body)
            let gear = "/indicators/\(indicator.id)/rounds/1"
            func change(_ c: AssignmentStore.Change, as actor: Actor = controller) async throws -> (status: Int, body: String) {
                try await call(.put, "\(gear)/units", c, as: actor)
            }
            func counts(_ body: String) throws -> [Int] { try Self.decode(Indicator.self, body).rounds.map(\.assigned) }

            let candidates = try await call(.get, "\(gear)/candidates?kind=school", as: controller)
            #expect(try Self.decode([AssignmentStore.Candidate].self, candidates.body).map(\.code) == schools)
            #expect(try await call(.get, "\(gear)/units", as: controller).body == "[]")          // "No department found."

            // เลือกโรงเรียนทั้งหมด: every school that matches, then one removed.
            #expect(try counts(try await change(.init(addMatching: .init(kind: "school"))).body) == [5, 0])
            #expect(try counts(try await change(.init(remove: [schools[0]])).body) == [4, 0])
            let wrong = try await change(.init(add: [elsewhere]))
            #expect(wrong.status == 422 && wrong.body.contains("units"))

            // A unit that has reported stays: the change is refused and says why.
            try await TestEnvironment.admin.execute("INSERT INTO catalogue.reported_units VALUES (\(indicator.id), 1, \(schools[1]))")
            let kept = try await change(.init(remove: [schools[1], schools[2]]))
            #expect(kept.status == 409 && kept.body.contains("มีการรายงานแล้ว") && kept.body.contains("\(schools[1])"))
            let assigned = try Self.decode([AssignmentStore.Assigned].self, try await call(.get, "\(gear)/units", as: controller).body)
            #expect(assigned.count == 4 && assigned.first { $0.code == schools[1] }?.reported == true)

            // B5: the same units to every round at once.
            #expect(try counts(try await change(.init(add: [schools[0], other], allRounds: true)).body) == [6, 2])
            #expect(try await Admin.int("""
                SELECT count(*)::int FROM catalogue.outbox WHERE aggregate_id = \("indicator-\(indicator.id.uuidString.lowercased())")
                  AND event_type = 'th.kpi.catalogue.round.units-changed.v1'
                """) == 4)

            // Rights: the gear is for open_rounds, in the indicator's own area.
            #expect(try await call(.get, "\(gear)/units", as: Self.actor([.view, .report], area: area)).status == 403)
            #expect(try await change(.init(add: [schools[3]]), as: Self.controller).status == 404)

            // Leave no active area office behind (other tests expect the one of the seed).
            for code in schools + [other, area] {
                #expect(try await httpSend("PATCH", "\(identity.baseURL)/units/\(code)", json: ["active": false], headers: nation).status == 200)
            }
        }
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.reported_units WHERE unit_code BETWEEN \(area) AND \(area + 99)")
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.indicators WHERE number LIKE \(tag + ".%")")
    }

    @Test("round dates in order; past the cut-off a round takes no report by itself; an extension for one assigned unit says until when, why and who")
    func datesAndExtensions() async throws {
        try await withServices([catalogue]) {
            let indicator = try Self.decode(Indicator.self, try await define(form("\(tag).7", mode: .once)).body)
            let round = "/indicators/\(indicator.id)/rounds/1"
            struct Dates: Encodable { var opensOn: String?; var dueOn: String?; var cutoffOn: String? }
            for (bad, field) in [(Dates(opensOn: "2024-03-10", dueOn: "2024-03-01", cutoffOn: nil), "dueOn"),
                                 (Dates(opensOn: nil, dueOn: "2024-03-10", cutoffOn: "2024-03-01"), "cutoffOn"),
                                 (Dates(opensOn: "2024-02-30", dueOn: nil, cutoffOn: nil), "opensOn")] {
                let refused = try await call(.put, "\(round)/dates", bad, as: Self.controller)
                #expect(refused.status == 422 && refused.body.contains("\"\(field)\""), "\(field): \(refused.body)")
            }
            #expect(try await call(.post, "\(round)/open", as: Self.controller).status == 200)
            // A cut-off in the past: open, yet it takes no report now.
            let set = try await call(.put, "\(round)/dates", Dates(opensOn: "2023-10-01", dueOn: "2024-03-01", cutoffOn: "2024-03-31"), as: Self.controller)
            let dated = try Self.decode(Indicator.self, set.body).rounds[0]
            #expect(dated.state == "open" && dated.cutoffOn == "2024-03-31" && !dated.acceptsReports)
            let later = try await call(.put, "\(round)/dates", Dates(opensOn: "2023-10-01", dueOn: "2024-03-01", cutoffOn: "2999-12-31"), as: Self.controller)
            #expect(try Self.decode(Indicator.self, later.body).rounds[0].acceptsReports)

            // Extensions: only for an assigned unit, not before the cut-off, with a reason.
            struct Grant: Encodable { var untilOn: String; var reason: String }
            let unassigned = try await call(.put, "\(round)/extensions/1", Grant(untilOn: "2999-12-31", reason: "ไฟฟ้าดับ"), as: Self.controller)
            #expect(unassigned.status == 422 && unassigned.body.contains("unitCode"))
            try await TestEnvironment.admin.execute("INSERT INTO catalogue.assignments (indicator_id, seq, unit_code) VALUES (\(indicator.id), 1, 1)")
            #expect(try await call(.put, "\(round)/extensions/1", Grant(untilOn: "2999-01-01", reason: "x"), as: Self.controller).status == 422)
            #expect(try await call(.put, "\(round)/extensions/1", Grant(untilOn: "2999-12-31", reason: "  "), as: Self.controller).status == 422)
            let granted = try await call(.put, "\(round)/extensions/1", Grant(untilOn: "2999-12-31", reason: "น้ำท่วมโรงเรียน"), as: Self.controller)
            #expect(granted.status == 200, "\(granted.body)")
            let listed = try Self.decode([Extension].self, try await call(.get, "\(round)/extensions", as: Self.controller).body)
            #expect(listed.count == 1 && listed[0].untilOn == "2999-12-31" && listed[0].reason == "น้ำท่วมโรงเรียน" && listed[0].grantedBy == "tester")
            #expect(try await call(.get, "\(round)/extensions", as: Self.otherArea).status == 404)
            #expect(try await Admin.int("""
                SELECT count(*)::int FROM catalogue.outbox WHERE aggregate_id = \("indicator-\(indicator.id.uuidString.lowercased())")
                  AND event_type IN ('th.kpi.catalogue.round.dates-set.v1', 'th.kpi.catalogue.round.extension-granted.v1')
                """) == 3)
        }
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.indicators WHERE number LIKE \(tag + ".%")")
    }

    @Test("an area closes its year (nothing changes) and opens it again; B7 copies its indicators, rounds and assignments into the next year once")
    func closeAndCopyAYear() async throws {
        let identity = ServiceProcess("identity", port: 18173)
        let area = Int.random(in: 7_700_000...7_799_999) * 100
        let schools = [area + 1, area + 2]
        try await withServices([identity, catalogue]) {
            let nation = [("X-KPI-Session", try await FirstAdmin.token(identity: identity.baseURL))]
            struct NewUnit: Encodable { var code: Int; var nameTh: String; var kind: String; var areaCode: Int? }
            for (code, kind) in [(area, "district")] + schools.map { ($0, "school") } {
                #expect(try await httpSend("POST", "\(identity.baseURL)/units", json: NewUnit(code: code, nameTh: "หน่วย \(code)", kind: kind,
                                                                                            areaCode: kind == "district" ? nil : area), headers: nation).status == 201)
            }
            try await eventually("catalogue knows the area's units") {
                try await Admin.int("SELECT count(*)::int FROM catalogue.unit_directory WHERE area_code = \(area)") == 3
            }
            let controller = Self.actor([.view, .defineIndicators, .openRounds], area: area)
            let first = try Self.decode(Indicator.self, try await define(form("1.1"), as: controller).body)
            #expect(try await define(form("1.2", mode: .once), as: controller).status == 201)
            let round = "/indicators/\(first.id)/rounds/1"
            #expect(try await call(.put, "\(round)/dates", ["opensOn": "2023-10-01", "dueOn": "2024-03-15", "cutoffOn": "2024-03-31"], as: controller).status == 200)
            #expect(try await call(.put, "\(round)/units", AssignmentStore.Change(add: schools), as: controller).status == 200)
            #expect(try await call(.post, "\(round)/open", as: controller).status == 200)
            let files = Self.actor([.view, .manageFiles], area: area)
            #expect(try await upload(first.id, slot: "description", name: "คำอธิบาย.pdf", Self.pdf, as: files, to: catalogue).status == 201)

            // Closed: visible, but nothing changes; another area cannot close it for them.
            #expect(try await call(.post, "/years/2567/close", [String: Int](), as: controller).status == 204)
            #expect(try await call(.get, "/years?area=\(area)", as: controller).body.contains("{\"closed\":true,\"endsOn\":\"2024-09-30\""))
            let refused = try await call(.put, "/indicators/\(first.id)", form("1.1", name: "ชื่อใหม่"), as: controller)
            #expect(refused.status == 409 && refused.body.contains("ปิดแล้ว"))
            #expect(try await define(form("1.3"), as: controller).status == 409)
            #expect(try await call(.put, "\(round)/units", AssignmentStore.Change(remove: [schools[0]]), as: controller).status == 409)
            #expect(try await call(.post, "/years/2567/open", ["areaCode": area], as: Self.otherArea).status == 403)
            #expect(try await call(.post, "/years/2567/open", [String: Int](), as: controller).status == 204)
            #expect(try await call(.put, "/indicators/\(first.id)", form("1.1", name: "ชื่อใหม่"), as: controller).status == 200)

            // B7: into 2568 in one step, once.
            let copied = try await call(.post, "/years/2567/copy", [String: Int](), as: controller)
            #expect(copied.status == 201 && copied.body.contains("\"copied\":2"), "\(copied.body)")
            let next = try Self.decode([Indicator].self, try await call(.get, "/indicators?year=2568", as: controller).body)
            #expect(next.map(\.form.number) == ["1.1", "1.2"] && next.allSatisfy { $0.yearBE == 2568 && $0.id != first.id })
            let copiedRound = try #require(next.first?.rounds.first)
            #expect(copiedRound.state == "not_opened" && copiedRound.assigned == 2 && copiedRound.opensOn == "2024-10-01"
                    && copiedRound.cutoffOn == "2025-03-31")
            #expect(next.first?.form.nameTh == "ชื่อใหม่")
            // Its document too: a new row for the same stored bytes, which survive the old year's red bin.
            let document = try #require(next.first?.attachments.first)
            #expect(document.fileName == "คำอธิบาย.pdf" && document.slot == .description)
            let oldId = try #require(try Self.decode(Indicator.self, try await call(.get, "/indicators/\(first.id)", as: controller).body).attachments.first?.id)
            #expect(try await call(.delete, "/indicators/\(first.id)/attachments/\(oldId)", as: files).status == 204)
            #expect(try await call(.get, "/indicators/\(next[0].id)/attachments/\(document.id)", as: controller).status == 200)
            let again = try await call(.post, "/years/2567/copy", [String: Int](), as: controller)
            #expect(again.status == 409 && again.body.contains("2568"))
            #expect(try await Admin.int("""
                SELECT count(*)::int FROM catalogue.outbox o JOIN catalogue.indicators i ON o.aggregate_id = 'indicator-' || i.id::text
                WHERE i.year_be = 2568 AND i.area_code = \(area)
                """) == 5, "two definitions, the dates of one round, its units and its document")

            for code in schools + [area] {
                #expect(try await httpSend("PATCH", "\(identity.baseURL)/units/\(code)", json: ["active": false], headers: nation).status == 200)
            }
        }
        try await TestEnvironment.admin.execute("""
            DELETE FROM catalogue.indicator_attachments WHERE indicator_id IN (SELECT id FROM catalogue.indicators WHERE area_code = \(area))
            """)
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.indicators WHERE area_code = \(area)")
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.area_years WHERE area_code = \(area)")
    }

    @Test("the public indicator list through the gateway: no hidden ones, kept seconds with an ETag, 304 for the same version, fresh after a change")
    func publicListIsCached() async throws {
        // Only catalogue answers here; the gateway is ready once every upstream is live, so all point at it.
        let gateway = ServiceProcess("gateway", port: 18175, environment: Dictionary(uniqueKeysWithValues:
            ["KPI_CATALOGUE_URL", "KPI_IDENTITY_URL", "KPI_INTAKE_URL", "KPI_REVIEW_URL", "KPI_STATISTICS_URL"].map { ($0, catalogue.baseURL) }))
        try await withServices([catalogue, gateway]) {
            let shown = try Self.decode(Indicator.self, try await define(form("\(tag).8")).body)
            let hidden = try Self.decode(Indicator.self, try await define(form("\(tag).9")).body)
            #expect(try await call(.put, "/indicators/\(hidden.id)/status", ["status": "hidden"], as: Self.controller).status == 200)
            let url = "\(gateway.baseURL)/api/v1/indicators?year=2567&area=74"
            func header(_ name: String, _ reply: (status: Int, body: String, headers: [(String, String)])) -> String? {
                reply.headers.first { $0.0.lowercased() == name }?.1
            }
            let first = try await httpGet(url)
            #expect(first.status == 200 && first.body.contains("\"\(tag).8\"") && !first.body.contains("\"\(tag).9\""))
            let etag = try #require(header("etag", first))
            #expect(header("cache-control", first) == "public, max-age=5")
            #expect(try await httpGet(url, headers: [("If-None-Match", etag)]).status == 304)
            #expect(try await httpGet("\(gateway.baseURL)/api/v1/indicators?year=2567").status == 400)

            // A change shows within the cache's lifetime, as a new version.
            #expect(try await call(.put, "/indicators/\(shown.id)", form("\(tag).8", name: "ชื่อที่เปลี่ยนแล้ว"), as: Self.controller).status == 200)
            try await eventually("the public list shows the change", timeout: .seconds(15), poll: .milliseconds(500)) {
                let now = try await httpGet(url)
                return now.body.contains("ชื่อที่เปลี่ยนแล้ว") && header("etag", now) != etag
            }
        }
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.indicators WHERE number LIKE \(tag + ".%")")
    }
}
}
