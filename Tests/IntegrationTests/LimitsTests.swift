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

    @Test("parallel registrations with one national ID: one succeeds, none is a 500, and the ID is in no log line")
    func registrationRace() async throws {
        let identity = ServiceProcess("identity", port: 18131)
        try await withServices([identity]) {
            let nationalId = AccountTests.nationalId()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<8 {
                    var r = AccountTests.registration("race\(i)\(Int.random(in: 1000...9999))")
                    r.nationalId = nationalId
                    let body = AccountTests.RegisterBody(registration: r, formBase64: nil)
                    group.addTask { try await httpSend("POST", "\(identity.baseURL)/registrations", json: body).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { [201, 409, 422].contains($0) }, "\(statuses)")
            #expect(!identity.logText().contains(nationalId), "the national ID reached the log")
        }
    }
}
}
