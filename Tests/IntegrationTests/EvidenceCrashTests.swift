import AsyncHTTPClient
import Foundation
import IntakeService
import KPIContracts
import KPIRuntime
import NIOCore
import Testing

/// An intake killed in the middle of receiving a file: nothing refers to the half of it that
/// reached the disk, the report is as it was, and the same upload works after a restart.
extension IntegrationSuite.ReportTests {
    @Test("intake killed during an upload leaves no half file referenced; the report is unchanged and the upload works after a restart")
    func killedDuringUpload() async throws {
        try await withServices([identity, catalogue, intake]) {
            let id = try await openRound(due: "2099-03-15", cutoff: "2099-03-31")
            try await eventually("intake learned the open round") {
                try await send(intake, .put, report(id), json: ReportStore.Draft(selfScore: 4, version: nil), as: Self.reporter).status == 200
            }
            let files = (ProcessInfo.processInfo.environment["KPI_FILES_DIR"] ?? "") + "/intake"
            let file = Self.pdf + Array(repeating: 0x20, count: 60_000 - Self.pdf.count)

            // The first 30 KB arrive; the rest never will: intake is killed while it waits.
            let path = report(id) + "/evidence/1"
            var request = HTTPClientRequest(url: intake.baseURL + path + "?description=%E0%B9%81%E0%B8%9C%E0%B8%99&name=a.pdf&version=1")
            request.method = .PUT
            request.headers.add(name: "X-KPI-Actor", value: try Self.key.sign(Self.reporter, for: "intake", method: .put, path: path))
            let (chunks, feed) = AsyncStream<ByteBuffer>.makeStream()
            feed.yield(ByteBuffer(bytes: file.prefix(30_000)))
            request.body = .stream(chunks, length: .known(Int64(file.count)))
            let upload = Task { try await HTTPClient.shared.execute(request, timeout: .seconds(30)) }
            // intake has a file open in tmp/ while it receives (NIO creates it unnamed, O_TMPFILE,
            // and names it only when complete, so it shows only among the process's open files).
            let pid = try #require(intake.pid)
            try await eventually("intake is receiving into tmp/") {
                let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
                return fds.contains { fd in
                    ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) ?? "").hasPrefix(files + "/tmp")
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            await intake.kill9()
            feed.finish()
            _ = try? await upload.value

            // Nothing refers to the half file; it never reached objects/ nor was named in tmp/.
            #expect(try await Admin.int("SELECT count(*)::int FROM intake.evidence e JOIN intake.reports r ON r.id = e.report_id WHERE r.indicator_id = \(id)") == 0)
            let referenced = Set(try await TestEnvironment.admin.query("SELECT sha256 FROM intake.evidence").map { try $0.decode(String.self, at: 0) })
            let stored = (FileManager.default.enumerator(atPath: files + "/objects")?.compactMap { $0 as? String } ?? [])
                .map { ($0 as NSString).lastPathComponent }.filter { $0.count == 64 }
            #expect(Set(stored).isSubset(of: referenced), "an object that no report refers to: \(Set(stored).subtracting(referenced))")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: files + "/tmp")) ?? []).isEmpty)

            // After a restart: the report as it was, and the whole file goes in.
            _ = try await intake.start()
            let view = try Self.decode(ReportView.self, try await send(intake, .get, report(id), as: Self.reporter).body)
            #expect(view.version == 1 && view.evidence.isEmpty)
            let again = try await evidence(id, slot: 1, description: "แผน", name: "a.pdf", file, version: 1)
            #expect(again.status == 200, "\(again.body)")
            let sha = try Self.decode(ReportView.self, again.body).evidence[0].sha256
            #expect(FileManager.default.contents(atPath: files + "/objects/" + sha.prefix(2) + "/" + sha) == Data(file))
        }
        try await cleanUp()
    }
}
