import CatalogueService
import Foundation
import HTTPTypes
import KPIContracts
import KPIRuntime
import Testing

/// เอกสารประกอบ against the catalogue process: the bytes as the gateway streams them, with the
/// actor signed as it signs them.
extension IntegrationSuite.IndicatorTests {
    static let filesRight = actor([.view, .manageFiles], area: 74)

    func upload(_ indicator: UUID, slot: String, name: String, _ bytes: [UInt8], as actor: Actor = filesRight,
                to service: ServiceProcess) async throws -> (status: Int, body: String) {
        let path = "/indicators/\(indicator.uuidString.lowercased())/attachments"
        let token = try Self.gatewayKey.sign(actor, for: "catalogue", method: .post, path: path)
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "slot", value: slot), URLQueryItem(name: "name", value: name)]
        return try await httpSend("POST", service.baseURL + path + "?" + query.percentEncodedQuery!, bytes: bytes, headers: [("X-KPI-Actor", token)])
    }

    func signed(_ method: HTTPRequest.Method, _ path: String, as actor: Actor) throws -> [(String, String)] {
        [("X-KPI-Actor", try Self.gatewayKey.sign(actor, for: "catalogue", method: method, path: path))]
    }

    static let pdf = Array("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".utf8)
    static func png(_ n: Int) -> [UInt8] { [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("IHDR image \(n)".utf8) }

    @Test("documents: checked by content and size, one description and one tool, 11 others, kept when the form is saved again, downloaded with their hash checked, removed by the red bin")
    func documents() async throws {
        let filesDir = ProcessInfo.processInfo.environment["KPI_FILES_DIR"] ?? ""
        try #require(!filesDir.isEmpty, "deploy/kpi test sets KPI_FILES_DIR")
        let small = ServiceProcess("catalogue", port: 18172, environment: ["KPI_FORWARD_VERIFY_KEY": Self.gatewayKey.publicKey,
                                                                         "KPI_FILE_MAX_BYTES": "65536"])
        let root = filesDir + "/catalogue"
        try await withServices([small]) {
            let token = try Self.gatewayKey.sign(Self.controller, for: "catalogue", method: .post, path: "/indicators")
            let created = try await httpSend("POST", small.baseURL + "/indicators", json: Define(indicator: form("\(tag).9")),
                                             headers: [("X-KPI-Actor", token)])
            let indicator = try Self.decode(Indicator.self, created.body)
            let id = indicator.id
            let rows = { try await Admin.int("SELECT count(*)::int FROM catalogue.indicator_attachments WHERE indicator_id = \(id)") }
            let temporary = { try FileManager.default.contentsOfDirectory(atPath: root + "/tmp").count }

            // Refused before or while reading, and nothing kept: no right, another area, a page
            // named .pdf, more than the limit, an unknown slot.
            #expect(try await upload(id, slot: "description", name: "a.pdf", Self.pdf, as: Self.controller, to: small).status == 403)
            #expect(try await upload(id, slot: "description", name: "a.pdf", Self.pdf,
                                     as: Self.actor([.view, .manageFiles], area: 7_500_000), to: small).status == 404)
            let page = try await upload(id, slot: "description", name: "คำอธิบาย.pdf", Array("<html><script>alert(1)</script>".utf8), to: small)
            #expect(page.status == 415 && page.body.contains("รับเฉพาะไฟล์ PDF"), "\(page.body)")
            let large = try await upload(id, slot: "description", name: "big.pdf", Self.pdf + Array(repeating: 0x20, count: 70_000), to: small)
            #expect(large.status == 413 && large.body.contains("ใหญ่เกิน"), "\(large.body)")
            #expect(try await upload(id, slot: "cover", name: "a.pdf", Self.pdf, to: small).status == 422)
            #expect(try await rows() == 0 && (try temporary()) == 0)

            // The description, then a second one is refused until the first is deleted.
            let added = try await upload(id, slot: "description", name: "คำอธิบาย \"ตัวชี้วัด\".pdf", Self.pdf, to: small)
            #expect(added.status == 201, "\(added.body)")
            let description = try Self.decode(Attachment.self, added.body)
            #expect(description.contentKind == "pdf" && description.size == Int64(Self.pdf.count) && description.fileName == "คำอธิบาย \"ตัวชี้วัด\".pdf")
            #expect(try await upload(id, slot: "description", name: "b.pdf", Self.pdf, to: small).status == 409)
            #expect(try await upload(id, slot: "tool", name: "เครื่องมือ.png", Self.png(0), to: small).status == 201)
            for n in 1...11 { #expect(try await upload(id, slot: "other", name: "อื่น \(n).png", Self.png(n), to: small).status == 201) }
            let twelfth = try await upload(id, slot: "other", name: "อื่น 12.png", Self.png(12), to: small)
            #expect(twelfth.status == 409 && twelfth.body.contains("ไม่เกิน 11"))

            // Saving the form again keeps every document.
            let put = try await httpSend("PUT", small.baseURL + "/indicators/\(id)", json: form("\(tag).9", name: "ชื่อที่แก้แล้ว"),
                                         headers: try signed(.put, "/indicators/\(id)", as: Self.controller))
            #expect(put.status == 200)
            #expect(try Self.decode(Indicator.self, put.body).attachments.count == 13)

            // A download: the same bytes, as an attachment with its type, the Thai name encoded, nosniff.
            let path = "/indicators/\(id.uuidString.lowercased())/attachments/\(description.id.uuidString.lowercased())"
            let got = try await httpGet(small.baseURL + path, headers: try signed(.get, path, as: Self.reporter))
            let header = { (name: String) in got.headers.first { $0.0.lowercased() == name }?.1 ?? "" }
            #expect(got.status == 200 && Array(got.body.utf8) == Self.pdf)
            #expect(header("content-type") == "application/pdf" && header("x-content-type-options") == "nosniff")
            #expect(header("content-disposition").hasPrefix("attachment; filename=\"") && header("content-disposition").contains("filename*=UTF-8''%E0%B8%84"))
            // Bytes changed on disk are never sent as the upload.
            let stored = root + "/objects/" + description.sha256.prefix(2) + "/" + description.sha256
            try Data("%PDF-1.4 tampered".utf8).write(to: URL(fileURLWithPath: stored))
            let damaged = try await httpGet(small.baseURL + path, headers: try signed(.get, path, as: Self.reporter))
            #expect(damaged.status == 500 && damaged.body.contains("เสียหาย"))
            try Data(Self.pdf).write(to: URL(fileURLWithPath: stored))

            // The red bin: the row is kept as removed, the bytes go, the event is out; once only.
            #expect(try await httpSend("DELETE", small.baseURL + path, headers: try signed(.delete, path, as: Self.controller)).status == 403)
            #expect(try await httpSend("DELETE", small.baseURL + path, headers: try signed(.delete, path, as: Self.filesRight)).status == 204)
            #expect(!FileManager.default.fileExists(atPath: stored))
            #expect(try await httpSend("DELETE", small.baseURL + path, headers: try signed(.delete, path, as: Self.filesRight)).status == 404)
            #expect(try await httpGet(small.baseURL + path, headers: try signed(.get, path, as: Self.reporter)).status == 404)
            #expect(try await upload(id, slot: "description", name: "ใหม่.pdf", Self.pdf, to: small).status == 201)
            let aggregate = "indicator-\(id.uuidString.lowercased())"
            #expect(try await Admin.int("""
                SELECT count(*)::int FROM catalogue.outbox WHERE aggregate_id = \(aggregate) AND event_type = 'th.kpi.catalogue.indicator.attachment-added.v1'
                """) == 14)
            #expect(try await Admin.int("""
                SELECT count(*)::int FROM catalogue.outbox WHERE aggregate_id = \(aggregate) AND event_type = 'th.kpi.catalogue.indicator.attachment-removed.v1'
                """) == 1)
            #expect(try temporary() == 0)
        }
        try await TestEnvironment.admin.execute("""
            DELETE FROM catalogue.indicator_attachments WHERE indicator_id IN (SELECT id FROM catalogue.indicators WHERE number LIKE \(tag + ".%"))
            """)
        try await TestEnvironment.admin.execute("DELETE FROM catalogue.indicators WHERE number LIKE \(tag + ".%")")
    }
}
