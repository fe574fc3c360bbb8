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
}
}
