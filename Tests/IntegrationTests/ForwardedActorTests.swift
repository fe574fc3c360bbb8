import KPIContracts
import Foundation
import KPIRuntime
import Testing

/// Rights travel signed: catalogue holds only the gateway's public key, trusts only an actor
/// signed for catalogue and for the very request, and checks the right itself.
extension IntegrationSuite {
@Suite struct ForwardedActorTests {
    static let gatewayKey = ForwardSigner()
    let catalogue = ServiceProcess("catalogue", port: 18121, environment: ["KPI_FORWARD_VERIFY_KEY": gatewayKey.publicKey])

    func actor(_ rights: [Right]) -> Actor {
        Actor(userId: UUID().uuidString, username: "tester", unitCode: 74, areaCode: 74, rights: rights, yearBE: 2567)
    }

    @Test("catalogue's POST /years: 401 without, with a forged, expired or misdirected actor; 403 without the right; 201 with it")
    func signedRights() async throws {
        let signer = Self.gatewayKey
        let stranger = ForwardSigner()
        let year = Int.random(in: 2600...2699)
        try await withServices([catalogue]) {
            let url = "\(catalogue.baseURL)/years"
            func post(_ token: String) async throws -> Int {
                try await httpSend("POST", url, json: ["yearBE": year], headers: [("X-KPI-Actor", token)]).status
            }
            let staff = actor([.view, .defineIndicators])
            #expect(try await httpSend("POST", url, json: ["yearBE": year]).status == 401)
            #expect(try await post(try stranger.sign(staff, for: "catalogue", method: .post, path: "/years")) == 401)
            #expect(try await post(try signer.sign(staff, for: "catalogue", method: .post, path: "/years",
                                                   now: Date().addingTimeInterval(-120))) == 401)
            // Made for another service, another method or another path: a token lifted from
            // one request is worth nothing on any other.
            #expect(try await post(try signer.sign(staff, for: "intake", method: .post, path: "/years")) == 401)
            #expect(try await post(try signer.sign(staff, for: "catalogue", method: .get, path: "/years")) == 401)
            #expect(try await post(try signer.sign(staff, for: "catalogue", method: .post, path: "/years/2567")) == 401)
            #expect(try await post(try signer.sign(actor([.view, .report]), for: "catalogue", method: .post, path: "/years")) == 403)
            let created = try await httpSend("POST", url, json: ["yearBE": year],
                                             headers: [("X-KPI-Actor", try signer.sign(staff, for: "catalogue", method: .post, path: "/years"))])
            #expect(created.status == 201 && created.body.contains("\"startsOn\":\"\(year - 544)-10-01\""))
            #expect(try await post(try signer.sign(staff, for: "catalogue", method: .post, path: "/years")) == 409)
            #expect(try await Admin.int("SELECT count(*) FROM catalogue.outbox WHERE aggregate_id = \("year-\(year)")") == 1)
            #expect(try await httpGet(url).body.contains("\"yearBE\":\(year)"))
        }
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.fiscal_years WHERE year_be = \(year)")
    }
}
}
