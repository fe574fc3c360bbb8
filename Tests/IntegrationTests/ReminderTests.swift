import Foundation
import KPIContracts
import KPIRuntime
import Testing

/// B3 against the real services: statistics' schedule finds an overdue round and a report
/// waiting for review; identity turns them into notices of the unit's reporter and the area's
/// reviewer and mails them; nothing is told twice; the person marks the notice read.
extension IntegrationSuite.ReportTests {
    @Test("reminders reach the unit's reporter and the area's reviewer once, in the app and by e-mail, and can be marked read")
    func remindersReachThePeopleOnce() async throws {
        let smtp = try await FakeSMTP(port: Self.smtpPort)
        try await withServices([identity, catalogue, intake, review, statistics]) {
            // A round already overdue (due 2024-01-01) for units 1 and 2: unit 1's reporter is demo-school.
            let id = try await openRound(due: "2024-01-01", cutoff: "2099-03-31")
            let key = id.uuidString
            func notices(_ username: String) async throws -> Int {
                try await Admin.int("""
                    SELECT count(*)::int FROM identity.notices n JOIN identity.users u ON u.id = n.user_id
                    WHERE u.username = \(username) AND n.items::text ILIKE \("%" + key + "%")
                    """)
            }
            try await eventually("demo-school has a notice of the overdue round") { try await notices("demo-school") == 1 }
            try await eventually("the notice was mailed to demo-school") {
                smtp.mails.contains { $0.to == "demo-school@example.invalid" && FakeSMTP.body($0).contains("เลยกำหนดส่งวันที่ 1/1/2567") }
            }
            let mail = try #require(smtp.mails.first { $0.to == "demo-school@example.invalid" && FakeSMTP.body($0).contains("1/1/2567") })
            #expect(mail.data.contains("Subject: =?UTF-8?B?") && mail.data.contains("Content-Transfer-Encoding: base64"))
            #expect(FakeSMTP.body(mail).contains("/notices"), "the mail leads to the notices")

            // Unit 1 sends: the reviewers of area 74 (demo-district) are told reports wait. (Other
            // tests' reports may have had today's digest already: at most one a day.)
            func digests() async throws -> Int {
                try await Admin.int("""
                    SELECT count(*)::int FROM identity.notices n JOIN identity.users u ON u.id = n.user_id
                    WHERE u.username = 'demo-district' AND n.audience = 'reviewers'
                    """)
            }
            // Counted before the day's digest is forgotten: exactly one comes after it.
            let digestsBefore = try await digests()
            try await TestEnvironment.admin.execute("DELETE FROM statistics.reminder_digests WHERE area_code = 74")
            _ = try await confirmedReport(id)
            try await eventually("demo-district is told reports wait") { try await digests() == digestsBefore + 1 }
            // Unit 2 sends too: no second digest the same day.
            try await confirmUnit2(id, score: 3, version: nil)

            // Several more runs of the schedule tell nothing again.
            try await Task.sleep(for: .seconds(3))
            #expect(try await notices("demo-school") == 1)
            #expect(try await digests() == digestsBefore + 1)
            #expect(try await Admin.int("""
                SELECT count(*)::int FROM statistics.reminder_log WHERE indicator_id = \(id) AND unit_code = 1
                """) == 1)
            #expect(smtp.mails.filter { $0.to == "demo-school@example.invalid" && FakeSMTP.body($0).contains("1/1/2567") }.count == 1)

            // demo-school reads its notices and marks them read.
            struct SignIn: Encodable { var username: String; var password: String; var address: String }
            let signedIn = try await httpSend("POST", identity.baseURL + "/sessions",
                                              json: SignIn(username: "demo-school", password: IntegrationSuite.AccountTests.demo, address: "x"))
            let token = try #require((try JSONSerialization.jsonObject(with: Data(signedIn.body.utf8)) as? [String: Any])?["token"] as? String)
            let listed = try await httpSend("GET", identity.baseURL + "/notices", headers: [("X-KPI-Session", token)])
            let list = try Self.decode(NoticeList.self, listed.body)
            let mine = try #require(list.notices.first { $0.items.contains { $0.indicatorId == id } })
            #expect(list.unread >= 1 && !mine.read && mine.audience == "reporters" && mine.items.first { $0.indicatorId == id }?.kind == "overdue")
            let read = try await httpSend("POST", identity.baseURL + "/notices/read", json: ["ids": [mine.id]], headers: [("X-KPI-Session", token)])
            #expect(read.status == 200 && read.body.contains("\"read\":1"))
            let after = try Self.decode(NoticeList.self, try await httpSend("GET", identity.baseURL + "/notices", headers: [("X-KPI-Session", token)]).body)
            #expect(after.notices.first { $0.id == mine.id }?.read == true && after.unread == list.unread - 1)
            // Without a session, nothing.
            #expect(try await httpSend("GET", identity.baseURL + "/notices").status == 401)
        }
        await smtp.close()
        try await cleanUp()
    }
}
