import Foundation
import KPIPostgres
import Testing

/// One installation, many area offices: units form a tree, an area's administrator reaches only
/// their own area, the nation's reaches all, and the figures roll up by area.
extension IntegrationSuite {
@Suite struct AreaTests {
    let identity = ServiceProcess("identity", port: 18161, environment: ["KPI_DEMO": "true"])
    let statistics = ServiceProcess("statistics", port: 18162)

    struct NewUnit: Encodable { var code: Int; var nameTh: String; var kind: String; var areaCode: Int? = nil }
    struct SignIn: Encodable { var username: String; var password: String }

    @Test("a unit stored before areas existed is placed in the only area office at identity's next start, with an event")
    func unitsWithoutAnAreaArePlaced() async throws {
        let code = Int.random(in: 8_000_000...8_099_999)
        try await withServices([identity, statistics]) {
            let nation = [("X-KPI-Session", try await FirstAdmin.token(identity: identity.baseURL))]
            #expect(try await httpSend("POST", "\(identity.baseURL)/units", json: NewUnit(code: code, nameTh: "หน่วยเก่า", kind: "school", areaCode: 74),
                                       headers: nation).status == 201)
            let nationUnit = try await httpGet("\(identity.baseURL)/units/0")
            #expect(nationUnit.body.contains("\"kind\":\"nation\"") && !nationUnit.body.contains("areaCode"))
        }
        // As a unit written before migration 007 looks: no area.
        try await TestEnvironment.admin.execute("UPDATE identity.units SET area_code = NULL WHERE code = \(code)")
        #expect(try await Admin.int("SELECT count(*)::int FROM identity.units WHERE kind = 'district' AND active") == 1,
                "the rule needs one active area office (the other test closes the one it adds)")
        try await withServices([identity, statistics]) {
            #expect(try await Admin.int("SELECT area_code FROM identity.units WHERE code = \(code)") == 74)
            #expect(try await Admin.int("SELECT version FROM identity.units WHERE code = \(code)") == 2)
            try await eventually("statistics counts it in area 74") {
                try await Admin.int("SELECT count(*)::int FROM statistics.unit_totals_members WHERE code = \(code) AND area_code = 74 AND version = 2") == 1
            }
        }
    }

    @Test("an area's administrator sees and changes only their own area; the nation's sees every area; figures roll up by area")
    func areasAreSeparate() async throws {
        let area = Int.random(in: 9_000_000...9_099_999) * 10
        let (school, extra) = (area + 1, area + 2)
        try await withServices([identity, statistics]) {
            let base = identity.baseURL
            let nation = [("X-KPI-Session", try await FirstAdmin.token(identity: base))]
            // The nation's administrator adds an area office and a school in it.
            let office = try await httpSend("POST", "\(base)/units", json: NewUnit(code: area, nameTh: "สพม.ทดสอบ \(area)", kind: "district"), headers: nation)
            #expect(office.status == 201 && office.body.contains("\"areaCode\":\(area)"))
            #expect(try await httpSend("POST", "\(base)/units", json: NewUnit(code: school, nameTh: "โรงเรียนในเขตทดสอบ", kind: "school", areaCode: area),
                                       headers: nation).status == 201)
            let notAnOffice = try await httpSend("POST", "\(base)/units", json: NewUnit(code: extra, nameTh: "x", kind: "school", areaCode: 3), headers: nation)
            #expect(notAnOffice.status == 422 && notAnOffice.body.contains("areaCode"))

            // A person of that school registers; the nation's administrator makes them the area's administrator.
            let username = "areaadmin\(area % 100_000)"
            let r = AccountTests.registration(username, unit: school)
            let registered = try await httpSend("POST", "\(base)/registrations", json: AccountTests.RegisterBody(registration: r, formBase64: nil))
            let id = try #require(jsonObject(registered.body)["id"] as? String)
            #expect(try await httpSend("POST", "\(base)/users/\(id)/approve", json: [String: String](), headers: nation).status == 204)
            #expect(try await httpSend("PUT", "\(base)/users/\(id)/rights", json: ["rights": ["view", "administer"]], headers: nation).status == 204)
            let signedIn = try await httpSend("POST", "\(base)/sessions", json: SignIn(username: username, password: r.password))
            let local = [("X-KPI-Session", try #require(jsonObject(signedIn.body)["token"] as? String))]
            #expect(try await httpSend("GET", "\(base)/sessions/current", headers: local).body.contains("\"areaCode\":\(area)"))

            // Users: only the area's own; another area's account is as if it did not exist.
            let listed = try await httpSend("GET", "\(base)/users", headers: local)
            #expect(listed.status == 200 && listed.body.contains(username) && !listed.body.contains("demo-school"))
            let everyone = try await httpSend("GET", "\(base)/users?q=demo-school", headers: nation)
            let demo = try #require((try JSONSerialization.jsonObject(with: Data(everyone.body.utf8)) as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await httpSend("GET", "\(base)/users/\(demo)", headers: local).status == 404)
            #expect(try await httpSend("POST", "\(base)/users/\(demo)/status", json: ["status": "disabled"], headers: local).status == 404)
            #expect(try await httpSend("GET", "\(base)/users/\(demo)/audit", headers: local).status == 404)

            // Units: the area's administrator adds to their own area only, and no area offices.
            let added = try await httpSend("POST", "\(base)/units", json: NewUnit(code: extra, nameTh: "หน่วยงานในเขตทดสอบ", kind: "other"), headers: local)
            #expect(added.status == 201 && added.body.contains("\"areaCode\":\(area)"))
            #expect(try await httpSend("POST", "\(base)/units", json: NewUnit(code: area + 3, nameTh: "x", kind: "school", areaCode: 74), headers: local).status == 403)
            #expect(try await httpSend("POST", "\(base)/units", json: NewUnit(code: area + 4, nameTh: "x", kind: "district"), headers: local).status == 422)
            #expect(try await httpSend("PATCH", "\(base)/units/1", json: ["nameTh": "ไม่ใช่ของเขตนี้"], headers: local).status == 404)
            #expect(try await httpSend("PATCH", "\(base)/units/\(school)", json: ["nameTh": "โรงเรียนในเขตทดสอบ (ใหม่)"], headers: local).status == 200)

            // Lists are searched and paged, never sent whole.
            let inArea = try await httpSend("GET", "\(base)/units?area=\(area)")
            #expect((try JSONSerialization.jsonObject(with: Data(inArea.body.utf8)) as? [Any])?.count == 3)
            let found = try await httpSend("GET", "\(base)/units?q=\("ในเขตทดสอบ (ใหม่)".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(found.body.contains("\"code\":\(school)") && !found.body.contains("\"code\":\(extra)"))
            let page = try await httpSend("GET", "\(base)/units?limit=2&offset=1")
            #expect((try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [[String: Any]])?.map { $0["code"] as? Int } == [1, 2])
            #expect(try await httpSend("GET", "\(base)/units?kind=castle").status == 400)

            // Figures: the new area has its own line, and the nation's total counts it.
            try await eventually("statistics rolls the area up") {
                let summary = try await httpGet("\(statistics.baseURL)/public/units").body
                return summary.contains("{\"areaCode\":\(area),\"byKind\":{\"district\":1,\"other\":1,\"school\":1},\"total\":3}")
            }
            // Leave no area office behind for other tests' pickers: the area closes.
            for code in [school, extra, area] {
                #expect(try await httpSend("PATCH", "\(base)/units/\(code)", json: ["active": false], headers: nation).status == 200)
            }
        }
    }
}
}
