import Foundation
import IdentityService
import KPIPostgres
import Testing

/// What the database layer does under load and races, on the real cluster.
extension IntegrationSuite {
@Suite struct LimitsTests {
    let env = TestEnvironment.shared

    func pool(size: Int, leaseTimeout: Duration, maxWaiting: Int = 256, statementTimeoutMs: Int = 30_000) -> PostgresPool {
        PostgresPool(config: PostgresConfig(host: env.dbSocket, port: env.dbPort, user: "postgres", poolSize: size,
                                            leaseTimeout: leaseTimeout, maxWaiting: maxWaiting, statementTimeoutMs: statementTimeoutMs))
    }

    @Test("an exhausted pool answers poolExhausted after the lease timeout, and serves again once a connection is back")
    func poolExhaustion() async throws {
        let pool = pool(size: 1, leaseTimeout: .milliseconds(200), maxWaiting: 1)
        let holder = Task { try await pool.query("SELECT pg_sleep(1.5)") }
        try await Task.sleep(for: .milliseconds(100))
        let waited = ContinuousClock.now
        async let second: [PostgresRow] = pool.query("SELECT 1")
        try await Task.sleep(for: .milliseconds(20))
        // The queue of one is taken: a third caller is refused at once.
        await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        do {
            _ = try await second
            Issue.record("a lease past the timeout succeeded")
        } catch let error as PostgresError {
            #expect(error.isOverload, "\(error)")
        }
        #expect(ContinuousClock.now - waited < .seconds(1), "the wait ended at the lease timeout, not when the holder finished")
        _ = try await holder.value
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
    }

    @Test("a statement past statement_timeout is cancelled by the server and counts as overload")
    func statementTimeout() async throws {
        let pool = pool(size: 1, leaseTimeout: .seconds(5), statementTimeoutMs: 200)
        do {
            _ = try await pool.query("SELECT pg_sleep(3)")
            Issue.record("the statement ran past its timeout")
        } catch let error as PostgresError {
            #expect(error.sqlState == "57014" && error.isOverload)
        }
        #expect(try await pool.query("SELECT 1").count == 1, "the connection is usable after the cancel")
        await pool.close()
    }

    @Test("parallel registrations with one national ID all get the same answer; the ID is sealed, flagged, in no log, and only one account with it can be approved")
    func registrationRace() async throws {
        let identity = ServiceProcess("identity", port: 18131)
        try await withServices([identity]) {
            let nationalId = AccountTests.nationalId()
            let tag = Int.random(in: 10_000...99_999)
            let names = (0..<8).map { "race\($0)x\(tag)" }
            let replies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for name in names {
                    var r = AccountTests.registration(name)
                    r.nationalId = nationalId
                    let body = AccountTests.RegisterBody(registration: r, formBase64: nil)
                    group.addTask { try await httpSend("POST", "\(identity.baseURL)/registrations", json: body) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // The answer does not tell whether the ID was registered already.
            #expect(replies.allSatisfy { $0.0 == 201 }, "\(replies)")
            #expect(Set(replies.map { $0.1.replacingOccurrences(of: #"[0-9a-f-]{36}"#, with: "id", options: .regularExpression) }).count == 1)
            #expect(!identity.logText().contains(nationalId), "the national ID reached the log")
            // At rest: sealed bytes and a keyed hash, never the digits.
            #expect(try await Admin.int("""
                SELECT count(*)::int FROM identity.users WHERE username LIKE \("race%x\(tag)") AND national_id IS NULL
                  AND position(convert_to(\(nationalId), 'UTF8') IN national_id_sealed) = 0 AND length(national_id_hash) = 32
                """) == names.count)
            #expect(try await Admin.int("SELECT count(DISTINCT national_id_sealed)::int FROM identity.users WHERE username LIKE \("race%x\(tag)")") == names.count)

            // The administrator sees every one flagged with the others; approving them in
            // parallel activates exactly one.
            let token = try await FirstAdmin.token(identity: identity.baseURL)
            let auth = [("X-KPI-Session", token)]
            let pending = try await httpSend("GET", "\(identity.baseURL)/users?status=pending&q=race", headers: auth)
            let listed = try #require(try JSONSerialization.jsonObject(with: Data(pending.body.utf8)) as? [[String: Any]])
            let ours = listed.filter { names.contains($0["username"] as? String ?? "") }
            #expect(ours.count == names.count)
            #expect(ours.allSatisfy { ($0["sameNationalId"] as? [String])?.count == names.count - 1 && $0["nationalId"] as? String == nationalId })
            let approvals = try await withThrowingTaskGroup(of: Int.self) { group in
                for user in ours {
                    let id = user["id"] as? String ?? ""
                    group.addTask { try await httpSend("POST", "\(identity.baseURL)/users/\(id)/approve", json: [String: String](), headers: auth).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(approvals.filter { (200..<300).contains($0) }.count == 1 && approvals.filter { $0 == 409 }.count == names.count - 1, "\(approvals)")
            #expect(!identity.logText().contains(nationalId), "the national ID reached the log")
        }
    }
}
}
