import Foundation
@testable import GatewayService
import KPIContracts
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KPIRuntime
import Testing

/// Every page template parses, renders its model in both languages, and has its UI text translated.
@Suite struct TemplateTests {
    static let session = try! JSONDecoder().decode(SessionInfo.self, from: Data("""
        {"user": {"id": "u1", "username": "somsri", "nationalId": "1-2345-xxxxx-xx-1", "title": "นาง", "firstNameTh": "สมศรี",
                  "lastNameTh": "ใจดี", "position": "ครู", "unitCode": 3, "mustChangePassword": false,
                  "rights": [\(Right.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]},
         "csrf": "csrf-token", "yearBE": 2567}
        """.utf8))

    static let indicator = try! JSONDecoder.kpi.decode(IndicatorView.self, from: Data("""
        {"id": "6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11", "yearBE": 2567, "areaCode": 74, "typeNameTh": "ค่าเฉลี่ยถ่วงน้ำหนัก (1 - 5)", "version": 3,
         "form": {"number": "1.1", "nameTh": "ร้อยละของนักเรียน <b>", "details": "", "typeCode": "weighted_average_1_5", "weight": 2.5,
                  "d1": "ด้านคุณภาพ", "d2": "", "d3": "", "d4": "", "workgroupId": 5, "assessmentNote": "ประเมินเดือนกันยายน",
                  "criteria": "[2] --> [3] --> [4] --> [5]", "status": "open", "roundMode": "half_year"},
         "rounds": [{"seq": 1, "labelTh": "รอบ 6 เดือน", "state": "open", "assigned": 32, "opensOn": "2023-10-01", "cutoffOn": "2024-03-31", "acceptsReports": false},
                    {"seq": 2, "labelTh": "รอบ 12 เดือน", "state": "not_opened", "assigned": 0, "acceptsReports": false}],
         "attachments": [{"id": "0a1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c12", "slot": "description", "fileName": "คำอธิบาย <b>.pdf", "size": 2411724,
                          "contentKind": "pdf", "sha256": "ab", "addedAt": "2026-11-27T10:00:00Z"},
                         {"id": "0a1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c13", "slot": "other", "fileName": "แผน.xlsx", "size": 31000,
                          "contentKind": "xlsx", "sha256": "cd", "addedAt": "2026-11-27T10:00:00Z"}]}
        """.utf8))

    static func report(state: String, canWrite: Bool) -> ReportJSON {
        try! JSONDecoder.kpi.decode(ReportJSON.self, from: Data("""
            {"context": {"indicatorId": "6F1D0C3E-8A3B-4C1E-9A55-0D6A2F3B7C11", "number": "1.1", "nameTh": "ร้อยละ <b>", "typeCode": "weighted_average_1_5",
                         "seq": 1, "roundLabelTh": "รอบ 6 เดือน", "dueOn": "2024-03-15", "cutoffOn": "2024-03-31", "unitCode": 3,
                         "unitNameTh": "โรงเรียนทดสอบ", "scoring": {"scoreMin": 1, "scoreMax": 5, "wholeNumbers": false}},
             "id": "0b1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11", "state": "\(state)", "selfScore": 4, "version": 3, "late": true,
             "evidence": [{"slot": 2, "description": "แผนปฏิบัติการ <b>", "fileName": "แผน.pdf", "addedByName": "ครูสมศรี", "size": 2048,
                           "addedAt": "2026-11-27T10:00:00Z"}],
             "history": [{"at": "2026-11-27T10:00:00Z", "action": "evidence-added", "detail": "2: แผน.pdf", "actorName": "ครูสมศรี"}],
             "canWrite": \(canWrite)}
            """.utf8))
    }

    static func review(_ state: String, stands: Bool, canReview: Bool) -> ReviewJSON {
        try! JSONDecoder.kpi.decode(ReviewJSON.self, from: Data("""
            {"reportState": "confirmed", "version": 3, "changedAfterReview": true, "canReview": \(canReview),
             "review": {"state": "\(state)", "stands": \(stands), "score": \(state == "reviewed" ? "3" : "null"), "comment": "ครบ <b>",
                        "reviewerName": "นายตรวจ", "at": "2026-11-27T11:00:00Z"},
             "history": [{"at": "2026-11-27T11:00:00Z", "action": "\(state)", "detail": "ผลการประเมิน 3", "actorName": "นายตรวจ"}],
             "copied": [{"slot": 2, "units": ["5 โรงเรียนอื่น <b>"]}]}
            """.utf8))
    }

    static let queueItem = try! JSONDecoder.kpi.decode(QueueItemJSON.self, from: Data("""
        {"indicatorId": "6F1D0C3E-8A3B-4C1E-9A55-0D6A2F3B7C11", "number": "1.1", "nameTh": "ร้อยละ <b>", "seq": 1, "roundLabelTh": "รอบ 6 เดือน",
         "unitCode": 3, "unitNameTh": "โรงเรียนทดสอบ", "selfScore": 4, "evidenceCount": 2, "late": true, "confirmedAt": "2026-11-27T10:00:00Z",
         "version": 3, "copied": true, "changedAfterReview": false, "reviewState": null, "score": null}
        """.utf8))

    /// Every page the gateway has, with sample data.
    static func everyPage() -> [Response] {
        let account = AccountView(id: "u2", username: "malee", nationalId: "1234567890121", title: "นางสาว", firstNameTh: "มาลี",
                                  lastNameTh: "ดีใจ", firstNameEn: "Malee", lastNameEn: "Deejai", staffKind: "civil_servant", position: "ครู",
                                  officePhone: "055111222", mobile: "0812223333", unitCode: 3, unitNameTh: "โรงเรียนทดสอบ", areaCode: 74,
                                  province: "กำแพงเพชร", email: "m@example.org",
                                  status: "pending", statusReason: nil, rights: ["view", "report"], workgroupId: 5, hasRegistrationForm: true,
                                  sameNationalId: ["malee2"])
        let unit = UnitView(code: 3, nameTh: "โรงเรียนทดสอบ", kind: "school", areaCode: 74, active: true)
        let area = UnitView(code: 74, nameTh: "สพม.กำแพงเพชร", kind: "district", areaCode: 74, active: true)
        let query = UnitQuery(Request(head: .init(method: .get, scheme: "http", authority: "x", path: "/units?q=3&page=2"), body: .init(buffer: ByteBuffer())))
        let page = UnitPage(units: [unit], total: 120, query: query)
        return [
            AccountPages.home(nil), AccountPages.home(session), AccountPages.signIn(error: "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", csrf: "c"),
            AccountPages.pending(), AccountPages.registered(),
            AccountPages.register(picker: .init(query: query, areas: [area], page: page), values: ["unitCode": "3"],
                                  errors: ["nationalId": "ผิด", "password": "สั้น"], csrf: "c"),
            AccountPages.year(session, years: [YearView(yearBE: 2567, startsOn: "2023-10-01", endsOn: "2024-09-30")]),
            PasswordPages.change(session, errors: ["new": "สั้น"], done: true),
            PasswordPages.sessions(session, [.init(id: "s1", createdAt: Date(), lastSeenAt: Date(), current: true),
                                             .init(id: "s2", createdAt: Date(), lastSeenAt: Date(), current: false)], ended: true),
            PasswordPages.request(csrf: "c", sent: true, error: "ผิด"),
            UnitPages.list(page, areas: [area], session: nil),
            AdminPages.users([account], filter: ["status": "pending"], session: session),
            AdminPages.user(account, audit: [AuditView(at: Date(), actor: nil, field: "status", oldValue: nil, newValue: "pending")],
                            workgroups: [WorkgroupView(id: 5, nameTh: "กลุ่มนิเทศ")], session: session, message: "บันทึกแล้ว"),
            AdminPages.units(page, areas: [area], session: session, message: "ผิด", isError: true),
            AdminPages.passwordRequests([.init(id: "r1", username: "malee", userId: nil, reason: "forgot", note: "<b>", createdAt: Date())],
                                        session: session),
            ErrorPage.render(PageError(status: .notFound, messageTh: "ไม่พบหน้าที่ต้องการ"), session: nil),
            CataloguePages.list(Array(repeating: indicator, count: 45), workgroups: [WorkgroupView(id: 5, nameTh: "กลุ่มนิเทศติดตามและประเมินผลการจัดการศึกษา")],
                                areas: [area], area: nil, filter: [:], page: 2, session: session),
            CataloguePages.form(indicator, values: IndicatorFormBody.values(of: indicator), errors: ["weight": "ค่า ratio ต้องมากกว่า 0"],
                                types: [IndicatorTypeView(code: "weighted_average_1_5", nameTh: "ค่าเฉลี่ยถ่วงน้ำหนัก (1 - 5)")],
                                workgroups: [WorkgroupView(id: 5, nameTh: "กลุ่มนิเทศ")], areas: [], area: 74, session: session),
            CataloguePages.confirmClose(indicator, round: indicator.rounds[0], session: session),
            CataloguePages.files(indicator, message: ("รับเฉพาะไฟล์ PDF", true), maxBytes: 20 * 1024 * 1024, session: session),
            CataloguePages.gear(indicator, round: indicator.rounds[0], query: GearQuery(text: "", kind: "", page: 1, assignedPage: 1),
                                assigned: ([AssignedView(code: 1, nameTh: "กำแพงเพชรพิทยาคม", reported: true),
                                            AssignedView(code: 2, nameTh: "วัชรวิทยา", reported: false)], 2),
                                candidates: ([CandidateView(code: 3, nameTh: "วชิรปราการวิทยาคม", kind: "school", assigned: false)], 120),
                                extensions: [ExtensionView(unitCode: 1, unitNameTh: "กำแพงเพชรพิทยาคม", untilOn: "2024-04-15", reason: "น้ำท่วม",
                                                           grantedBy: "demo-district", grantedAt: Date())],
                                message: ("บันทึกการเปลี่ยนแปลงแล้ว", false), errors: ["untilOn": "วันที่ไม่ถูกต้อง"], session: session),
            ReportPages.page(report(state: "draft", canWrite: true), indicator: indicator, messages: ["มีผู้อื่นแก้ไขรายงานนี้ไปแล้ว"],
                             errors: ["selfScore": "คะแนนต้องอยู่ระหว่าง 1 ถึง 5", "file3": "รับเฉพาะไฟล์ PDF"], typedScore: "7",
                             maxBytes: 20 * 1024 * 1024, session: session),
            ReportPages.page(report(state: "confirmed", canWrite: true), indicator: indicator, done: "ยืนยันข้อมูลแล้ว รอการตรวจสอบ",
                             maxBytes: 20 * 1024 * 1024, session: session),
            CataloguePages.list([indicator], workgroups: [], areas: [], area: nil, filter: [:],
                                reports: [RoundReportJSON(indicatorId: "6F1D0C3E-8A3B-4C1E-9A55-0D6A2F3B7C11", seq: 1, canReport: true, state: "confirmed")],
                                figures: [RoundFigures(indicatorId: UUID(uuidString: "6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11")!, seq: 1, assigned: 32, sent: 2,
                                                       reviewed: 2, onTime: 1, late: 1, selfAverage: 3.5, reviewAverage: 3)],
                                session: session),
            // [24] a reviewer on a confirmed report, [25] the school on its reviewed one, [26] a returned draft.
            ReportPages.page(report(state: "confirmed", canWrite: false), indicator: indicator, review: review("returned", stands: false, canReview: true),
                             errors: ["score": "คะแนนต้องอยู่ระหว่าง 1 ถึง 5"], reviewValues: ["score": "9"], maxBytes: 20 * 1024 * 1024, session: session),
            ReportPages.page(report(state: "reviewed", canWrite: true), indicator: indicator, review: review("reviewed", stands: true, canReview: false),
                             maxBytes: 20 * 1024 * 1024, session: session),
            ReportPages.page(report(state: "draft", canWrite: true), indicator: indicator, review: review("returned", stands: true, canReview: false),
                             maxBytes: 20 * 1024 * 1024, session: session),
            // [27] the reviewer's queue for one indicator and round.
            ReviewPages.queue([queueItem], filter: .init(indicator: "6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11", seq: 1, unit: nil, reviewed: false, page: 1),
                              indicators: [indicator], pageSize: 100, messages: ["โรงเรียนทดสอบ: รายงานนี้ตรวจแล้ว"], done: 2, session: session,
                              status: .ok),
            // [28] a search of the evidence.
            ReviewPages.search([FoundJSON(unitCode: 3, unitNameTh: "โรงเรียนทดสอบ", seq: 1, roundLabelTh: "รอบ 6 เดือน", slot: 2, fileName: "แผน <b>.pdf",
                                          description: "แผนปฏิบัติการ", excerpt: "… รักการอ่าน <b> …")],
                               indicator: "6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11", seq: 1, text: "รักการอ่าน", message: nil, session: session, status: .ok),
            // [29] the all-rounds matrix, page 2 of 3.
            FigurePages.matrix(matrix, names: ["u-rep": "นางสมศรี <b>", "u-rev": "นายตรวจ ละเอียด"], page: 2, session: session),
            // [30] an area's annual summary, the units behind only; [31] the nation's.
            // (statistics sends the units behind only when asked: behind=1)
            FigurePages.summary({ var behind = areaSummary; behind.units = behind.units.filter(\.behind); return behind }(),
                                filter: ["d1": "คุณภาพ <b>"], behindOnly: true, workgroups: [WorkgroupView(id: 5, nameTh: "กลุ่มนิเทศ")],
                                areas: [], session: session),
            FigurePages.summary(AnnualSummary(yearBE: 2567, areaCode: nil, totals: totals(40, 30, 20, overdue: 5), result: nil, indicators: [], units: [],
                                              areas: [.init(areaCode: 74, nameTh: "สพม.กำแพงเพชร <b>", units: 34, totals: totals(40, 30, 20, overdue: 5), result: 4.25)]),
                                filter: [:], behindOnly: false, workgroups: [], areas: [], session: session),
            // [32] the public statistics of the nation (no one signed in), [33] of one area.
            html(FigurePages.publicStatistics(AnnualSummary(yearBE: 2567, areaCode: nil, totals: totals(40, 30, 20), result: nil, indicators: [],
                                                            units: [], areas: [.init(areaCode: 74, nameTh: "สพม.กำแพงเพชร <b>", units: 34,
                                                                                     totals: totals(40, 30, 20), result: 4.25)]),
                                              years: [2566, 2567], session: nil)),
            html(FigurePages.publicStatistics(areaSummary, years: [2567], session: nil)),
            // [34] the home page with reminders (B3).
            AccountPages.home(session, reminders: Reminders(toSend: [
                .init(indicatorId: UUID(uuidString: "6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11")!, seq: 1, number: "1.1", nameTh: "ร้อยละ <b>",
                      roundLabelTh: "รอบ 6 เดือน", dueOn: "2024-03-15", overdue: true, returned: false),
                .init(indicatorId: UUID(uuidString: "6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11")!, seq: 2, number: "1.1", nameTh: "ร้อยละ",
                      roundLabelTh: "รอบ 12 เดือน", dueOn: nil, overdue: false, returned: true),
            ], waitingForReview: 7), unread: 2),
            // [35] notices (B3): an unread reminder of a unit, a read digest of reviews.
            NoticePages.list(session, NoticeList(unread: 1, notices: [
                .init(id: UUID(uuidString: "0b3e6f8a-1c2d-4e5f-8a9b-0c1d2e3f4a5b")!, yearBE: 2567, audience: "reporters", items: [
                    .init(kind: "overdue", indicatorId: UUID(uuidString: "6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11")!, seq: 1, number: "1.1",
                          nameTh: "ร้อยละ <b>", roundLabelTh: "รอบ 6 เดือน", dueOn: "2024-03-15", count: nil),
                    .init(kind: "due_soon", indicatorId: UUID(uuidString: "6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11")!, seq: 2, number: "1.1",
                          nameTh: "ร้อยละ", roundLabelTh: "รอบ 12 เดือน", dueOn: "2024-09-15", count: nil)],
                      createdAt: Date(timeIntervalSince1970: 1_710_000_000), read: false),
                .init(id: UUID(uuidString: "1b3e6f8a-1c2d-4e5f-8a9b-0c1d2e3f4a5b")!, yearBE: 2567, audience: "reviewers", items: [
                    .init(kind: "waiting", indicatorId: nil, seq: nil, number: "", nameTh: "", roundLabelTh: "", dueOn: nil, count: 4)],
                      createdAt: Date(timeIntervalSince1970: 1_700_000_000), read: true),
            ])),
            // [36] an area with 450 units: the public page's second page of them.
            html(FigurePages.publicStatistics({ var paged = areaSummary; paged.unitsTotal = 450; paged.unitsOffset = 200; return paged }(),
                                              years: [2567], session: nil)),
        ]
    }

    static let matrix: Matrix = {
        let id = UUID(uuidString: "6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11")!
        func cell(_ seq: Int, _ state: String?, own: Double? = nil, given: Double? = nil, late: Bool = false, assigned: Bool = true) -> Matrix.Cell {
            Matrix.Cell(seq: seq, assigned: assigned, state: state, selfScore: own, reviewScore: given, late: late, reporter: own == nil ? nil : "u-rep",
                        reviewer: given == nil ? nil : "u-rev", confirmedAt: own == nil ? nil : Date(), reviewedAt: given == nil ? nil : Date())
        }
        return Matrix(indicator: .init(id: id, yearBE: 2567, areaCode: 74, number: "1.1", nameTh: "ร้อยละ <b>", typeNameTh: "ค่าเฉลี่ยถ่วงน้ำหนัก (1 - 5)",
                                       criteria: "[2] --> [3] --> [4] --> [5]", levels: [2, 3, 4, 5]),
                      rounds: [.init(seq: 1, labelTh: "รอบ 6 เดือน", dueOn: "2024-03-15"), .init(seq: 2, labelTh: "รอบ 12 เดือน", dueOn: nil)],
                      rows: [Matrix.Row(unitCode: 3, unitNameTh: "โรงเรียนทดสอบ <b>", cells: [cell(1, "reviewed", own: 4, given: 3), cell(2, "waiting", own: 5, late: true)]),
                             Matrix.Row(unitCode: 4, unitNameTh: "โรงเรียนอื่น", cells: [cell(1, "returned"), cell(2, nil, assigned: false)])],
                      total: 250, offset: 100, pageSize: 100)
    }()

    static func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func totals(_ assigned: Int, _ sent: Int, _ reviewed: Int, overdue: Int = 0) -> AnnualSummary.Totals {
        .init(assigned: assigned, sent: sent, reviewed: reviewed, late: 1, missing: assigned - sent, overdue: overdue)
    }

    static let areaSummary = AnnualSummary(
        yearBE: 2567, areaCode: 74, totals: totals(4, 3, 2, overdue: 1), result: 3.5,
        indicators: [.init(id: UUID(uuidString: "6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11")!, number: "1.1", nameTh: "ร้อยละ <b>", typeNameTh: "ร้อยละ",
                           weight: 2, criteria: "[2] --> [3] --> [4] --> [5]", levels: [2, 3, 4, 5], totals: totals(4, 3, 2, overdue: 1),
                           selfAverage: 3.5, reviewAverage: 4.5)],
        units: [.init(unitCode: 3, nameTh: "โรงเรียนทดสอบ <b>", totals: totals(2, 1, 1, overdue: 1), result: 2.5),
                .init(unitCode: 4, nameTh: "โรงเรียนครบ", totals: totals(2, 2, 1), result: 4.5)],
        areas: [])

    @Test func everyPageRendersInBothLanguages() async throws {
        for language in [Language.th, .en] {
            let pages = Language.$current.withValue(language) { Self.everyPage() }
            for page in pages {
                let html = try await Self.text(page)
                #expect(html.hasPrefix("<!doctype html>") && html.contains("<html lang=\"\(language.rawValue)\">"))
                #expect(!html.contains("{{") && !html.contains("}}"), "a tag was left unrendered")
                #expect(!html.contains("<b>"), "a value was not escaped")
            }
        }
        let english = try await Self.text(Language.$current.withValue(.en) { AccountPages.signIn(csrf: "c") })
        #expect(english.contains("Sign in") && !english.contains("ชื่อผู้ใช้"))
        let user = try await Self.text(Self.everyPage()[12])
        #expect(user.contains("id=\"same-national-id\"") && user.contains("malee2") && user.contains("id=\"approve\""))
        #expect(!user.contains("id=\"disable\""), "a pending account offers approval, not disabling")
        // 120 matches, 50 a page, on page 2: links either side, and the search kept in them.
        let units = try await Self.text(Self.everyPage()[10])
        #expect(units.contains("2 / 3 (120)") && units.contains("href=\"/units?q=3&amp;page=1\"") && units.contains("href=\"/units?q=3&amp;page=3\""))
        // The list: grouped by type, the owner as the manual shows it, an open round offers
        // closing (through the confirmation page), the next one opening; a controller edits.
        let list = try await Self.text(Self.everyPage()[16])
        #expect(list.contains("<h2>ค่าเฉลี่ยถ่วงน้ำหนัก (1 - 5)</h2>") && list.contains("โดย : กลุ่มนิเทศติดตามและประเมินผลการจัดการศึกษา"))
        #expect(list.contains("href=\"/indicators/6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11/rounds/1/close\"") && list.contains("id=\"open-1.1-2\""))
        #expect(list.contains("id=\"edit-1.1\"") && !list.contains("id=\"open-1.1-1\"") && list.contains("[0/0/32] --- [-, -]"))
        // 45 indicators, 20 a page: page 2 shows 21–40 with links either side.
        #expect(list.contains("<td class=\"num\">21</td>") && !list.contains("<td class=\"num\">41</td>") && list.contains("2 / 3 (45)"))
        #expect(list.contains("href=\"/indicators?page=1\"") && list.contains("href=\"/indicators?page=3\""))
        // เอกสารประกอบ: the description first, by its slot's name; the documents page linked with the count.
        #expect(list.contains("📄 คำอธิบายตัวชี้วัด</a><br><a href=\"/indicators/6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11/files/0a1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c13\" class=\"doc\" download>📄 แผน.xlsx</a>"))
        #expect(list.contains("id=\"files-1.1\">📎 เอกสารประกอบ (2)</a>"))
        let files = try await Self.text(Self.everyPage()[19])
        // A document is a download link with its red bin; a full slot offers no upload; 2.3 MB.
        #expect(files.contains("href=\"/indicators/6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11/files/0a1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c12\""))
        #expect(files.contains("id=\"delete-0a1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c12\"") && files.contains("2.3 MB"))
        #expect(!files.contains("id=\"file-input-description\"") && files.contains("id=\"file-input-tool\"") && files.contains("(1/11)"))
        #expect(files.contains("enctype=\"multipart/form-data\"") && files.contains("20 MB"))
        // The report page (M8): ten slots while a draft, a file with its sender, the score as typed
        // with its error; once confirmed (M9): links only and the cancel button.
        let draft = try await Self.text(Self.everyPage()[21])
        #expect(draft.contains("id=\"slot-10\"") && draft.contains("ผู้ส่งไฟล์ : ครูสมศรี") && draft.contains("id=\"remove-2\""))
        #expect(draft.contains("name=\"has2\"") && draft.contains("value=\"7\"") && draft.contains("id=\"err-selfScore\"") && draft.contains("id=\"err-slot-3\""))
        #expect(draft.contains("enctype=\"multipart/form-data\"") && draft.contains("นำเข้าเอกสารและข้อมูล") && draft.contains("src=\"/static/kpi.js\""))
        let confirmed = try await Self.text(Self.everyPage()[22])
        #expect(confirmed.contains("ยืนยันข้อมูลแล้ว รอการตรวจสอบ") && confirmed.contains("id=\"cancel-confirmation\"") && !confirmed.contains("id=\"slot-1\""))
        #expect(confirmed.contains("href=\"/reports/6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11/1/evidence/2\"") && confirmed.contains("ส่งหลังวันครบกำหนด"))
        let withReports = try await Self.text(Self.everyPage()[23])
        #expect(withReports.contains("href=\"/reports/6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11/1\" id=\"report-1.1-1\""))
        // M6's round line from statistics' figures: "[2/2/32] --- [3.5, 3]", on time and late (B1); the matrix linked.
        #expect(withReports.contains("<span class=\"counters\">[2/2/32] --- [3.5, 3]</span>") && withReports.contains("ตรงเวลา 1 · ล่าช้า 1"))
        #expect(withReports.contains("href=\"/indicators/6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11/matrix\""))
        // M11: "★ - 4.00 - <reporter>", "✓ - 3.00 - <reviewer>", รอตรวจ, รอส่ง, late, coloured by the criteria, เปิด, pages.
        let matrix = try await Self.text(Self.everyPage()[29])
        #expect(matrix.contains("★ - 4.00 - นางสมศรี &lt;b&gt;") && matrix.contains("✓ - 3.00 - นายตรวจ ละเอียด") && matrix.contains("<td class=\"band-2\">"))
        #expect(matrix.contains("★ - 5.00 - นางสมศรี") && matrix.contains("รอตรวจ") && matrix.contains("class=\"late\"") && matrix.contains("รอส่ง"))
        #expect(matrix.contains("href=\"/reports/6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11/1?unit=3\"") && matrix.contains("ส่งกลับแก้ไขแล้ว"))
        // M19: totals and what remains, the indicator coloured by its criteria, only the unit behind, the filter kept.
        let summary = try await Self.text(Self.everyPage()[30])
        #expect(summary.contains("<dd id=\"t-assigned\">4</dd>") && summary.contains("<dd id=\"t-missing\">1</dd>") && summary.contains("3 (75%)"))
        #expect(summary.contains("<td class=\"num band-3\">4.50</td>") && summary.contains("id=\"unit-3\" class=\"behind\""))
        #expect(summary.contains("1 (เลยกำหนด 1)") && !summary.contains("(เลยกำหนด 0)"))
        #expect(!summary.contains("id=\"unit-4\"") && summary.contains("id=\"show-all-units\"") && summary.contains("value=\"คุณภาพ &lt;b&gt;\""))
        #expect(summary.contains("href=\"/summary?area=74&amp;d1=%E0%B8%84") && summary.contains("<strong>3.50</strong>") && summary.contains("id=\"menu-summary\""))
        let nation = try await Self.text(Self.everyPage()[31])
        #expect(nation.contains("href=\"/summary?area=74\"") && nation.contains("30/40 (75%)") && nation.contains("<td class=\"num band-3\">4.25</td>"))
        #expect(nation.contains("สพม.กำแพงเพชร &lt;b&gt;") && !nation.contains("id=\"summary-units\""))
        // M20: the nation's areas as an SVG chart (labels escaped) and a table linking each area; no menu of a user.
        let nationPage = try await Self.text(Self.everyPage()[32])
        #expect(nationPage.contains("<svg xmlns=\"http://www.w3.org/2000/svg\"") && nationPage.contains("74 สพม.กำแพงเพชร &lt;b&gt;</text>"))
        #expect(nationPage.contains("width=\"187.5\"") && nationPage.contains("href=\"/statistics?year=2567&amp;area=74\""))
        #expect(nationPage.contains("href=\"/statistics?year=2566\"") && nationPage.contains("<strong>2567</strong>") && !nationPage.contains("name=\"csrf\""))
        let areaPage = try await Self.text(Self.everyPage()[33])
        #expect(areaPage.contains("id=\"statistics-units\"") && areaPage.contains("1.1 ร้อยละ &lt;b&gt;</text>") && areaPage.contains("id=\"to-nation\""))
        #expect(!areaPage.contains("นางสมศรี") && areaPage.contains("<strong id=\"p-result\">3.50</strong>"))
        // B3: the overdue round and the returned report first in red, the reviewer's queue with its count.
        let home = try await Self.text(Self.everyPage()[34])
        #expect(home.contains("id=\"due-6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11-1\" class=\"urgent\"") && home.contains("เลยกำหนดส่ง 15 มี.ค. 2567"))
        #expect(home.contains("ร้อยละ &lt;b&gt;") && home.contains("ถูกส่งกลับให้แก้ไข") && home.contains("href=\"/reviews\">รายงานที่รอตรวจ: 7</a>"))
        #expect(home.contains("id=\"unread-notices\" class=\"urgent\"><a href=\"/notices\">ข้อความแจ้งเตือนที่ยังไม่ได้อ่าน: 2</a>"))
        let paged = try await Self.text(Self.everyPage()[36])
        #expect(paged.contains("2 / 3 (450)") && paged.contains("href=\"/statistics?year=2567&amp;area=74&amp;upage=1\"")
                && paged.contains("href=\"/statistics?year=2567&amp;area=74&amp;upage=3\""))
        let notices = try await Self.text(Self.everyPage()[35])
        #expect(notices.contains("<strong id=\"unread-count\">1</strong>") && notices.contains("เลยกำหนดส่ง 15 มี.ค. 2567"))
        #expect(notices.contains("href=\"/reports/6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11/1\"") && notices.contains("ร้อยละ &lt;b&gt;"))
        #expect(notices.contains("<a href=\"/reviews\">รายงานที่รอตรวจ: 4</a>") && notices.contains("id=\"read-0b3e6f8a-1c2d-4e5f-8a9b-0c1d2e3f4a5b\""))
        #expect(!notices.contains("id=\"read-1b3e6f8a-1c2d-4e5f-8a9b-0c1d2e3f4a5b\""), "a read notice offers no marking")
        #expect(matrix.contains("2 / 3 (250)") && matrix.contains("matrix?page=1") && matrix.contains("matrix?page=3") && matrix.contains("15 มี.ค. 2567"))
        // The reviewer (M16): the score form with its error and the typed value, the copied file
        // named; no score shown until a review stands.
        let reviewing = try await Self.text(Self.everyPage()[24])
        #expect(reviewing.contains("id=\"review-form\"") && reviewing.contains("value=\"9\"") && reviewing.contains("id=\"err-score\""))
        #expect(reviewing.contains("formaction=\"/reports/6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11/1/review/return\"") && reviewing.contains("name=\"unit\" value=\"3\""))
        #expect(reviewing.contains("id=\"copied-2\"") && reviewing.contains("5 โรงเรียนอื่น &lt;b&gt;") && !reviewing.contains("id=\"review-result\""))
        #expect(reviewing.contains("id=\"changed-after-review\"") && !reviewing.contains("id=\"returned-comment\""))
        // M10: the school sees the result, no cancel of its confirmation, no reviewer's buttons.
        let reviewed = try await Self.text(Self.everyPage()[25])
        #expect(reviewed.contains("ตรวจสอบข้อมูลแล้ว ผลการประเมิน : 3 คะแนน") && reviewed.contains("ครบ &lt;b&gt;"))
        #expect(!reviewed.contains("id=\"cancel-confirmation\"") && !reviewed.contains("id=\"cancel-review\"") && !reviewed.contains("id=\"review-form\""))
        #expect(reviewed.contains("ตรวจและให้คะแนน"), "review's steps join intake's in the history")
        // B2: the returned draft shows what to change above the form.
        let returned = try await Self.text(Self.everyPage()[26])
        #expect(returned.contains("id=\"returned-comment\"") && returned.contains("id=\"report-form\""))
        // The queue: a tick per report with the version seen, flags, the round's ZIP, the score for the ticked ones.
        let queue = try await Self.text(Self.everyPage()[27])
        #expect(queue.contains("value=\"6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11:1:3:3\"") && queue.contains("href=\"/reports/6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11/1?unit=3\""))
        #expect(queue.contains("อาจมีหลักฐานที่คัดลอกมา") && queue.contains("ส่งหลังวันครบกำหนด") && queue.contains("id=\"review-several\""))
        #expect(queue.contains("href=\"/reports/6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11/1/evidence.zip\"") && queue.contains("id=\"reviews-done\""))
        #expect(queue.contains("<option value=\"1\" selected>รอบ 6 เดือน</option>"))
        #expect(queue.contains("action=\"/reviews/search\"") && queue.contains("id=\"evidence-q\""))
        let search = try await Self.text(Self.everyPage()[28])
        #expect(search.contains("id=\"found-3-1-2\"") && search.contains("href=\"/reports/6f1d0c3e-8a3b-4c1e-9a55-0d6a2f3b7c11/1/evidence/2?unit=3\""))
        #expect(search.contains("value=\"รักการอ่าน\"") && search.contains("รักการอ่าน &lt;b&gt;"))
        // The gear: a reported unit cannot be removed, one that has not can.
        let gear = try await Self.text(Self.everyPage()[20])
        #expect(gear.contains("มีการรายงานแล้ว") && !gear.contains("id=\"remove-1\"") && gear.contains("id=\"remove-2\""))
        #expect(gear.contains("id=\"select-all\"") && gear.contains("1 / 3 (120)"))
        // Dates in พ.ศ.; an open round past its cut-off says it takes no report; the extension says until when and why.
        #expect(gear.contains("เปิด 1 ต.ค. 2566 · ปิดรับ 31 มี.ค. 2567") && gear.contains("id=\"past-cutoff\""))
        #expect(gear.contains("ถึง 15 เม.ย. 2567") && gear.contains("น้ำท่วม") && gear.contains("id=\"err-untilOn\""))
    }

    /// A response's body as text.
    static func text(_ response: Response) async throws -> String {
        final class Collected: ResponseBodyWriter {
            var buffer = ByteBuffer()
            func write(_ buffer: ByteBuffer) async throws { var b = buffer; self.buffer.writeBuffer(&b) }
            func finish(_ trailingHeaders: HTTPFields?) async throws {}
        }
        let collected = Collected()
        try await response.body.write(collected)
        return String(buffer: collected.buffer)
    }

    @Test func everyUITextOfTheTemplatesHasItsEnglish() throws {
        var missing: [String] = []
        for text in try Views.templateTexts().values {
            for match in text.matches(of: /\{\{#t\}\}(.*?)\{\{\/t\}\}/) where english[String(match.1)] == nil {
                missing.append(String(match.1))
            }
        }
        #expect(missing.isEmpty, "no English for: \(missing)")
    }
}
