import KPIContracts
import Foundation
import IdentityService
import Testing

/// Registration, approval, sign-in, rights and sessions, against the identity process.
extension IntegrationSuite {
@Suite struct AccountTests {
    let identity = ServiceProcess("identity", port: 18101, environment: ["KPI_DEMO": "true"])
    var base: String { identity.baseURL }
    static let demo = ProcessInfo.processInfo.environment["KPI_DEMO_PASSWORD"] ?? ""

    /// A valid national ID (check digit computed), different per call.
    static func nationalId() -> String {
        let body = "1" + (0..<11).map { _ in String(Int.random(in: 0...9)) }.joined()
        let d: [Int] = body.compactMap(\.wholeNumberValue)
        var sum = 0
        for i in 0..<12 { sum += d[i] * (13 - i) }
        return body + String((11 - sum % 11) % 10)
    }

    static func registration(_ username: String, password: String = "ครูใจดี-2567!", unit: Int = 3) -> Registration {
        Registration(nationalId: nationalId(), title: "นาง", firstNameTh: "สมศรี", lastNameTh: "ใจดี", firstNameEn: "Somsri",
                     lastNameEn: "Jaidee", staffKind: "civil_servant", position: "ครู", officePhone: "055-711-234",
                     mobile: "081-234-5678", unitCode: unit, province: "กำแพงเพชร", email: "somsri@example.org",
                     username: username, password: password)
    }

    struct RegisterBody: Encodable { var registration: Registration; var formBase64: String? }
    struct SignIn: Encodable { var username: String; var password: String; var address: String }

    func signIn(_ user: String, _ password: String, from address: String = "10.0.0.1") async throws -> (status: Int, token: String?) {
        let reply = try await httpSend("POST", "\(base)/sessions", json: SignIn(username: user, password: password, address: address))
        return (reply.status, jsonObject(reply.body)["token"] as? String)
    }

    func register(_ r: Registration, form: [UInt8]? = nil) async throws -> (status: Int, body: String) {
        try await httpSend("POST", "\(base)/registrations", json: RegisterBody(registration: r, formBase64: form.map { Data($0).base64EncodedString() }))
    }

    @Test("register → pending → administrator approves (opening the signed form) → sign in with default rights")
    func registrationToSignIn() async throws {
        try await withServices([identity]) {
            let username = "somsri\(Int.random(in: 1000...9999))"
            let pdf = Array("%PDF-1.4\nแบบคำขอสิทธิ์\n%%EOF".utf8)
            let r = Self.registration(username)
            let created = try await register(r, form: pdf)
            #expect(created.status == 201, "\(created.body)")
            let id = try #require(jsonObject(created.body)["id"] as? String)

            #expect(try await signIn(username, r.password).status == 403)            // right password: told it waits
            let wrong = try await signIn(username, "wrong-password-1")
            let unknown = try await signIn("nobody-\(username)", "wrong-password-1")
            #expect(wrong.status == 401 && unknown.status == 401)                      // one answer for both

            let adminToken = try await FirstAdmin.token(identity: base)
            let auth = [("X-KPI-Session", adminToken)]
            let pending = try await httpSend("GET", "\(base)/users?status=pending", headers: auth)
            #expect(pending.status == 200 && pending.body.contains(username) && pending.body.contains(r.nationalId))
            let form = try await httpSend("GET", "\(base)/users/\(id)/form", headers: auth)
            #expect(form.status == 200 && form.body.hasPrefix("%PDF-"))
            #expect(try await httpSend("POST", "\(base)/users/\(id)/approve", json: [String: String](), headers: auth).status == 204)

            let token = try #require(try await signIn(username, r.password).token)
            let me = try await httpSend("GET", "\(base)/sessions/current", headers: [("X-KPI-Session", token)])
            #expect(me.status == 200)
            let user = try #require(jsonObject(me.body)["user"] as? [String: Any])
            #expect(Set(user["rights"] as? [String] ?? []) == ["view", "view_summary", "report"])
            #expect(user["nationalId"] as? String != r.nationalId)                     // masked for its owner
            #expect((user["nationalId"] as? String)?.contains("xxxxx") == true)
            let audit = try await httpSend("GET", "\(base)/users/\(id)/audit", headers: auth)
            #expect(audit.body.contains("\"newValue\":\"active\"") && audit.body.contains("\"actor\":\"admin\""))
        }
    }

    @Test("bad registrations are refused field by field and store nothing")
    func badRegistrations() async throws {
        try await withServices([identity]) {
            var r = Self.registration("badid\(Int.random(in: 1000...9999))")
            r.nationalId = "1234567890123"
            let badId = try await register(r)
            #expect(badId.status == 422 && badId.body.contains("nationalId"))
            r = Self.registration("common\(Int.random(in: 1000...9999))", password: "password123")
            #expect(try await register(r).body.contains("password"))
            r = Self.registration("notpdf\(Int.random(in: 1000...9999))")
            let notPDF = try await register(r, form: Array("<html>not a form</html>".utf8))
            #expect(notPDF.status == 422 && notPDF.body.contains("form"))
            let dup = Self.registration("demo-school")
            #expect(try await register(dup).body.contains("username"))
            #expect(try await signIn(r.username, r.password).status == 401)            // nothing was stored
        }
    }

    @Test("rights are checked by identity itself; a change takes effect on the next request")
    func rightsAndSessions() async throws {
        try await withServices([identity]) {
            #expect(try await httpSend("GET", "\(base)/users").status == 401)
            let school = try #require(try await signIn("demo-school", Self.demo).token)
            #expect(try await httpSend("GET", "\(base)/users", headers: [("X-KPI-Session", school)]).status == 403)

            let adminToken = try await FirstAdmin.token(identity: base)
            let auth = [("X-KPI-Session", adminToken)]
            let list = try await httpSend("GET", "\(base)/users?q=demo-district", headers: auth)
            let district = try #require((try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [[String: Any]])?.first)
            let districtId = try #require(district["id"] as? String)
            let districtToken = try #require(try await signIn("demo-district", Self.demo).token)
            let before = try await httpSend("GET", "\(base)/sessions/current", headers: [("X-KPI-Session", districtToken)])
            #expect(before.body.contains("define_indicators"))

            #expect(try await httpSend("PUT", "\(base)/users/\(districtId)/workgroup", json: ["workgroupId": 999], headers: auth).status == 422)
            #expect(try await httpSend("PUT", "\(base)/users/\(districtId)/workgroup", json: ["workgroupId": 2], headers: auth).status == 204)
            #expect(try await httpSend("GET", "\(base)/users/\(districtId)", headers: auth).body.contains("\"workgroupId\":2"))
            #expect(try await httpSend("PUT", "\(base)/users/\(districtId)/workgroup", json: ["workgroupId": 5], headers: auth).status == 204)
            #expect(try await httpSend("PUT", "\(base)/users/\(districtId)/rights", json: ["rights": ["view", "review"]], headers: auth).status == 204)
            let after = try await httpSend("GET", "\(base)/sessions/current", headers: [("X-KPI-Session", districtToken)])
            #expect(!after.body.contains("define_indicators") && after.body.contains("review"))

            #expect(try await httpSend("POST", "\(base)/users/\(districtId)/status", json: ["status": "disabled"], headers: auth).status == 204)
            #expect(try await httpSend("GET", "\(base)/sessions/current", headers: [("X-KPI-Session", districtToken)]).status == 401)
            #expect(try await signIn("demo-district", Self.demo).status == 401)
            #expect(try await httpSend("POST", "\(base)/users/\(districtId)/status", json: ["status": "active"], headers: auth).status == 204)
            let restored = Right.allCases.filter { UserKind.districtStaff.defaultRights.contains($0) }.map(\.rawValue)
            #expect(try await httpSend("PUT", "\(base)/users/\(districtId)/rights", json: ["rights": restored], headers: auth).status == 204)

            #expect(try await httpSend("DELETE", "\(base)/sessions/current", headers: [("X-KPI-Session", school)]).status == 204)
            #expect(try await httpSend("GET", "\(base)/sessions/current", headers: [("X-KPI-Session", school)]).status == 401)
        }
    }

    @Test("40 parallel wrong passwords: counted one by one, at most three checked, the rest told to wait; the owner gets in after the delay")
    func throttling() async throws {
        try await withServices([identity]) {
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<40 { group.addTask { try await self.signIn("demo-district", "wrong-\(i)").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 401 }.count <= 3, "\(statuses)")
            #expect(statuses.filter { $0 == 429 }.count >= 37, "\(statuses)")
            // The answer says how long to wait, and it is seconds, not a lock-out.
            let waiting = try await httpSend("POST", "\(base)/sessions", json: SignIn(username: "demo-district", password: Self.demo, address: "x"))
            #expect(waiting.status == 429 && waiting.body.contains("วินาที"))
            // Another account is not slowed down by this one's failures.
            #expect(try await signIn("demo-school", Self.demo).status == 201)
            try await eventually("the right password gets in once the delay passed", timeout: .seconds(40), poll: .seconds(1)) {
                try await signIn("demo-district", Self.demo).status == 201
            }
        }
    }

    @Test("an address identity cannot attribute to the gateway counts as one: forged X-KPI-Client values do not spread requests")
    func addressSpoofing() async throws {
        try await TestEnvironment.admin.execute("DELETE FROM identity.throttle WHERE key LIKE 'password-request|%'")
        try await withServices([identity]) {
            var statuses: [Int] = []
            for i in 0..<12 {
                let forged = [("X-KPI-Client", "eyJhZGRyZXNzIjoiMTAuMC4wLlwoaSkifQ.\(i)"), ("X-Forwarded-For", "10.9.9.\(i)")]
                statuses.append(try await httpSend("POST", "\(base)/password-requests",
                                                   json: ["username": "nobody-\(i)", "reason": "forgot"], headers: forged).status)
            }
            #expect(statuses.prefix(10).allSatisfy { $0 == 202 } && statuses.suffix(2).allSatisfy { $0 == 429 }, "\(statuses)")
        }
        try await TestEnvironment.admin.execute("DELETE FROM identity.throttle WHERE key LIKE 'password-request|%'")
    }

    @Test("sign-ins, refusals, throttling and administrator actions are security events, with no secret in them")
    func securityEvents() async throws {
        let id = ServiceProcess("identity", port: 18151, environment: ["KPI_DEMO": "true"])
        try await withServices([id]) {
            let secret = "wrong-\(Int.random(in: 100_000...999_999))"
            let reply = try await httpSend("POST", "\(id.baseURL)/sessions", json: SignIn(username: "demo-school", password: secret, address: "x"))
            #expect(reply.status == 401)
            let token = try await FirstAdmin.token(identity: id.baseURL)
            let unit = Int.random(in: 70_000...79_999)
            struct NewUnit: Encodable { var code: Int; var nameTh: String; var kind: String; var areaCode: Int }
            let added = try await httpSend("POST", "\(id.baseURL)/units", json: NewUnit(code: unit, nameTh: "หน่วยทดสอบ", kind: "other", areaCode: 74),
                                           headers: [("X-KPI-Session", token)])
            #expect(added.status == 201)
            let log = id.logText()
            for event in ["auth.sign_in.refused", "auth.sign_in.succeeded", "admin.action"] {
                #expect(log.contains("\"security.event\":\"\(event)\""), "\(event) missing")
            }
            #expect(!log.contains(secret) && !log.contains(FirstAdmin.initial) && !log.contains(FirstAdmin.password) && !log.contains(token), "a secret reached the log")
        }
    }

    /// Runs `body` while every active administrator is disabled, and enables them again after.
    func withoutAdministrators(_ body: () async throws -> Void) async throws {
        let disabled = try await TestEnvironment.admin.query("""
            UPDATE identity.users SET status = 'disabled' WHERE 'administer' = ANY(rights) AND status = 'active' RETURNING id::text
            """).map { try $0.decode(String.self, at: 0) }
        #expect(!disabled.isEmpty)
        do { try await body() } catch { Issue.record(error) }
        for id in disabled {
            try await TestEnvironment.admin.execute("UPDATE identity.users SET status = 'active' WHERE id = \(id)::uuid")
        }
    }

    @Test("identity starts while its first administrator is disabled, and says so")
    func disabledAdministrator() async throws {
        try await withoutAdministrators {
            let restart = ServiceProcess("identity", port: 18141)
            try await withServices([restart]) {
                #expect(restart.logText().contains("no active administrator"))
            }
        }
    }

    @Test("the first administrator is made with the operator's password and must change it before anything else")
    func firstAdministratorChangesPassword() async throws {
        let name = "first-admin-\(Int.random(in: 1000...9999))"
        let password = "ตั้งโดยผู้ติดตั้ง-\(Int.random(in: 1000...9999))"
        try await withoutAdministrators {
            let fresh = ServiceProcess("identity", port: 18142, environment: ["KPI_ADMIN_USERNAME": name, "KPI_ADMIN_PASSWORD": password])
            try await withServices([fresh]) {
                let reply = try await httpSend("POST", "\(fresh.baseURL)/sessions", json: SignIn(username: name, password: password, address: "x"))
                let token = try #require(jsonObject(reply.body)["token"] as? String)
                let auth = [("X-KPI-Session", token)]
                #expect(try await httpSend("GET", "\(fresh.baseURL)/sessions/current", headers: auth).body.contains("\"mustChangePassword\":true"))
                let refused = try await httpSend("GET", "\(fresh.baseURL)/users?status=pending", headers: auth)
                #expect(refused.status == 403 && refused.body.contains("password-change-required"))
                #expect(try await httpSend("PUT", "\(fresh.baseURL)/sessions/current/password", json: ["current": password, "new": password + "-ใหม่"],
                                           headers: auth).status == 204)
                #expect(try await httpSend("GET", "\(fresh.baseURL)/users?status=pending", headers: auth).status == 200)
            }
        }
        try await TestEnvironment.admin.execute("DELETE FROM identity.user_audit WHERE actor_id IN (SELECT id FROM identity.users WHERE username = \(name))")
        try await TestEnvironment.admin.execute("DELETE FROM identity.users WHERE username = \(name)")
    }

    @Test("a person lists their own sessions and ends another one; nobody else's")
    func ownSessions() async throws {
        try await withServices([identity]) {
            let here = try #require(try await signIn("demo-school", Self.demo).token)
            let there = try #require(try await signIn("demo-school", Self.demo).token)
            let listed = try await httpSend("GET", "\(base)/sessions", headers: [("X-KPI-Session", here)])
            #expect(listed.status == 200)
            let sessions = try #require(try JSONSerialization.jsonObject(with: Data(listed.body.utf8)) as? [[String: Any]])
            #expect(sessions.filter { $0["current"] as? Bool == true }.count == 1)
            #expect(!listed.body.contains(here) && !listed.body.contains(there), "tokens never leave identity")
            let other = try #require(sessions.first { $0["current"] as? Bool == false }?["id"] as? String)
            // Someone else cannot end it.
            let admin = try await FirstAdmin.token(identity: base)
            #expect(try await httpSend("DELETE", "\(base)/sessions/\(other)", headers: [("X-KPI-Session", admin)]).status == 404)
            #expect(try await httpSend("GET", "\(base)/sessions/current", headers: [("X-KPI-Session", there)]).status == 200)
            // Its owner can.
            #expect(try await httpSend("DELETE", "\(base)/sessions/\(other)", headers: [("X-KPI-Session", here)]).status == 204)
            let ended = try await httpSend("GET", "\(base)/sessions/current", headers: [("X-KPI-Session", there)])
            let kept = try await httpSend("GET", "\(base)/sessions/current", headers: [("X-KPI-Session", here)])
            // Which of the two was "other" depends on the order listed; one of them is gone.
            #expect([ended.status, kept.status].sorted() == [200, 401])
        }
    }

    @Test("a session ends 12 hours after sign-in however busy, and expired sessions are deleted")
    func absoluteLifetime() async throws {
        try await withServices([identity]) {
            let token = try #require(try await signIn("demo-school", Self.demo).token)
            let me = [("X-KPI-Session", token)]
            #expect(try await httpSend("GET", "\(base)/sessions/current", headers: me).status == 200)
            try await TestEnvironment.admin.execute("""
                UPDATE identity.sessions SET created_at = now() - interval '12 hours 1 minute'
                WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))
                """)
            #expect(try await httpSend("GET", "\(base)/sessions/current", headers: me).status == 401, "used a minute ago, but 12 hours old")
            _ = try await signIn("demo-school", Self.demo)  // a sign-in sweeps expired sessions
            #expect(try await Admin.int("SELECT count(*) FROM identity.sessions WHERE created_at < now() - interval '12 hours'") == 0)
        }
    }
}
}
