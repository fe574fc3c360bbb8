import Foundation
import FoundationNetworking

/// Documents through the gateway, as a controller's browser sends them: files of 19 MB streamed
/// by curl as a multipart form into catalogue's store, beside `cp` and `sync` of the same file
/// on the same disk; and what the uploads added to the gateway's and catalogue's peak memory
/// (VmHWM), where a file held whole would add its size.
enum UploadBench {
    static func run(token: String, indicator: UUID, runDir: String) async throws {
        let page = "http://127.0.0.1:8080/indicators/\(indicator.uuidString.lowercased())/files"
        let cookie = "kpi_session=\(token)"
        guard let csrf = try await csrfAndBins(page, cookie: cookie)?.csrf else { print("documents page: no form (files right?)"); return }
        let folder = NSTemporaryDirectory() + "kpi-bench-upload"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let copies = runDir + "/files/bench-cp"
        try FileManager.default.createDirectory(atPath: copies, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder); try? FileManager.default.removeItem(atPath: copies) }

        let size = 19 * 1024 * 1024, runs = 3
        let hwmBefore = ["gateway", "catalogue"].map { peakMemoryKB(runDir, $0) }
        var upload: [Double] = [], copy: [Double] = []
        for run in 0..<runs {
            // Different bytes each run, so each upload is stored anew (the store keeps one copy per content).
            var bytes = Data("%PDF-1.4\n".utf8)
            bytes.append(Data((0..<size).map { _ in UInt8.random(in: 0...255) }))
            let file = folder + "/evidence-\(run).pdf"
            try bytes.write(to: URL(fileURLWithPath: file))
            var t = ContinuousClock.now
            let status = try CatalogueBench.shell("/usr/bin/curl", [
                // No "Expect: 100-continue" (curl's default for large bodies, which browsers do not
                // send): curl would wait a second for a 100 that the server does not send.
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "-b", cookie, "-H", "Origin: http://127.0.0.1:8080", "-H", "Expect:",
                "-F", "csrf=\(csrf)", "-F", "slot=other", "-F", "file=@\(file);type=application/pdf", page])
            upload.append(milliseconds(since: t))
            guard status == "303" else { print("upload answered HTTP \(status)"); return }
            t = ContinuousClock.now
            _ = try CatalogueBench.shell("/bin/sh", ["-c", "cp '\(file)' '\(copies)/\(run)' && sync '\(copies)/\(run)'"])
            copy.append(milliseconds(since: t))
        }
        let hwmAfter = ["gateway", "catalogue"].map { peakMemoryKB(runDir, $0) }
        let (u, c) = (upload.sorted()[runs / 2], copy.sorted()[runs / 2])
        print(String(format: "document upload (19 MB, multipart through the gateway, synced in catalogue's store): median %.0f ms, %.0f MB/s", u, 19_000 / u))
        print(String(format: "cp + sync of the same file: median %.0f ms: ratio upload/cp %.1f", c, u / c))
        for (i, name) in ["gateway", "catalogue"].enumerated() {
            print("\(name) peak memory (VmHWM): \(hwmBefore[i] / 1024) MB before, \(hwmAfter[i] / 1024) MB after \(runs) uploads of 19 MB")
        }
        // The red bin for each, so the next run finds room (11 other files at most).
        if let (csrf, bins) = try await csrfAndBins(page, cookie: cookie) {
            // curl, as for the uploads (FoundationNetworking's URLSession hung on the POST's 303).
            for id in bins {
                _ = try CatalogueBench.shell("/usr/bin/curl", ["-s", "-o", "/dev/null", "-b", cookie, "-H", "Origin: http://127.0.0.1:8080",
                                                               "--data", "csrf=\(csrf)", page + "/\(id)/delete"])
            }
        }
    }

    /// The page's form token and the ids of its red bins.
    static func csrfAndBins(_ page: String, cookie: String) async throws -> (csrf: String, bins: [String])? {
        var request = URLRequest(url: URL(string: page)!)
        request.setValue(cookie, forHTTPHeaderField: "Cookie")
        let html = String(decoding: try await URLSession.shared.data(for: request).0, as: UTF8.self)
        guard let csrf = html.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1 else { return nil }
        return (String(csrf), html.matches(of: /id="delete-([0-9a-fA-F-]+)"/).map { String($0.1) })
    }

    /// A service's peak resident memory so far, from /proc (0 when not running).
    static func peakMemoryKB(_ runDir: String, _ service: String) -> Int {
        guard let pid = try? String(contentsOfFile: "\(runDir)/pids/\(service).pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
}
