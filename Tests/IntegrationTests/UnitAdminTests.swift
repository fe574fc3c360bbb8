import Foundation
import KPIPostgres
import Testing

/// An administrator adds, renames and deactivates a unit; the events carry each change to the
/// other services' projections.
extension IntegrationSuite {
@Suite struct UnitAdminTests {
    @Test("unit changes by an administrator reach catalogue and statistics as events")
    func unitChangesTravel() async throws {
        let identity = ServiceProcess("identity", port: 18111, environment: ["KPI_DEMO": "true"])
        let catalogue = ServiceProcess("catalogue", port: 18112)
        let statistics = ServiceProcess("statistics", port: 18113)
        let env = ProcessInfo.processInfo.environment
        try await withServices([identity, catalogue, statistics]) {
            struct SignIn: Encodable { var username: String; var password: String; var address: String }
            let token = try await FirstAdmin.token(identity: identity.baseURL)
            let school = try await httpSend("POST", "\(identity.baseURL)/sessions",
                                            json: SignIn(username: "demo-school", password: env["KPI_DEMO_PASSWORD"] ?? "", address: "10.1.1.2"))
            let schoolToken = try #require(jsonObject(school.body)["token"] as? String)
            let code = Int.random(in: 60_000...69_999)
            try await eventually("statistics caught up with identity") {
                let total = try await Admin.int("SELECT count(*) FROM identity.units WHERE active")
                return try await Admin.int("SELECT COALESCE(sum(units), 0)::int FROM statistics.unit_totals") == total
            }
            let schools = "SELECT COALESCE(sum(units), 0)::int FROM statistics.unit_totals WHERE kind = 'school' AND area_code = 74"
            let before = try await Admin.int(PostgresQuery(unsafeSQL: schools))

            struct NewUnit: Encodable { var code: Int; var nameTh: String; var kind: String; var areaCode = 74 }
            let denied = try await httpSend("POST", "\(identity.baseURL)/units", json: NewUnit(code: code, nameTh: "x", kind: "school"),
                                            headers: [("X-KPI-Session", schoolToken)])
            #expect(denied.status == 403)
            let created = try await httpSend("POST", "\(identity.baseURL)/units", json: NewUnit(code: code, nameTh: "โรงเรียนใหม่", kind: "school"),
                                             headers: [("X-KPI-Session", token)])
            #expect(created.status == 201, "\(created.body)")
            let duplicate = try await httpSend("POST", "\(identity.baseURL)/units", json: NewUnit(code: code, nameTh: "ซ้ำ", kind: "school"),
                                               headers: [("X-KPI-Session", token)])
            #expect(duplicate.status == 422)
            let renamed = try await httpSend("PATCH", "\(identity.baseURL)/units/\(code)", json: ["nameTh": "โรงเรียนใหม่วิทยา"],
                                             headers: [("X-KPI-Session", token)])
            #expect(renamed.status == 200)
            try await eventually("rename in catalogue's directory") {
                let rows = try await TestEnvironment.admin.query("SELECT name_th, version FROM catalogue.unit_directory WHERE code = \(code)")
                guard let (name, version) = try rows.first?.decode((String, Int).self) else { return false }
                return name == "โรงเรียนใหม่วิทยา" && version == 2
            }
            try await eventually("the new school counted in statistics") {
                try await Admin.int(PostgresQuery(unsafeSQL: schools)) == before + 1
            }
            let off = try await httpSend("PATCH", "\(identity.baseURL)/units/\(code)", json: ["active": false], headers: [("X-KPI-Session", token)])
            #expect(off.status == 200)
            try await eventually("deactivation counted in statistics") {
                try await Admin.int(PostgresQuery(unsafeSQL: schools)) == before
            }
            try await eventually("deactivation in catalogue's directory") {
                try await Admin.int("SELECT count(*) FROM catalogue.unit_directory WHERE code = \(code) AND NOT active AND version = 3") == 1
            }
        }
    }
}
}
