import KPIContracts
import Foundation
import KPIRuntime
import Testing

/// Rights travel signed: catalogue trusts only an actor the gateway's key signed, and checks
/// the right itself.
extension IntegrationSuite {
@Suite struct ForwardedActorTests {
    static let key = String(repeating: "f", count: 24) + UUID().uuidString
    let catalogue = ServiceProcess("catalogue", port: 18121, environment: ["KPI_FORWARD_KEY": key])

    func actor(_ rights: [Right], expiresIn seconds: Int = 60) -> Actor {
        Actor(userId: UUID().uuidString, username: "tester", unitCode: 74, rights: rights, yearBE: 2567,
              expires: Int(Date().timeIntervalSince1970) + seconds)
    }

    @Test("catalogue's POST /years: 401 without or with a forged actor, 403 without the right, 201 with it")
    func signedRights() async throws {
        let signer = try #require(ActorSigner(secret: Self.key))
        let stranger = try #require(ActorSigner(secret: String(repeating: "z", count: 40)))
        let year = Int.random(in: 2600...2699)
        try await withServices([catalogue]) {
            let url = "\(catalogue.baseURL)/years"
            #expect(try await httpSend("POST", url, json: ["yearBE": year]).status == 401)
            let forged = try stranger.sign(actor([.defineIndicators]))
            #expect(try await httpSend("POST", url, json: ["yearBE": year], headers: [("X-KPI-Actor", forged)]).status == 401)
            let expired = try signer.sign(actor([.defineIndicators], expiresIn: -5))
            #expect(try await httpSend("POST", url, json: ["yearBE": year], headers: [("X-KPI-Actor", expired)]).status == 401)
            let reporter = try signer.sign(actor([.view, .report]))
            #expect(try await httpSend("POST", url, json: ["yearBE": year], headers: [("X-KPI-Actor", reporter)]).status == 403)
            let staff = try signer.sign(actor([.view, .defineIndicators]))
            let created = try await httpSend("POST", url, json: ["yearBE": year], headers: [("X-KPI-Actor", staff)])
            #expect(created.status == 201 && created.body.contains("\"startsOn\":\"\(year - 544)-10-01\""))
            #expect(try await httpSend("POST", url, json: ["yearBE": year], headers: [("X-KPI-Actor", staff)]).status == 409)
            #expect(try await Admin.int("SELECT count(*) FROM catalogue.outbox WHERE aggregate_id = \("year-\(year)")") == 1)
            #expect(try await httpGet(url).body.contains("\"yearBE\":\(year)"))
        }
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.fiscal_years WHERE year_be = \(year)")
    }
}
}
