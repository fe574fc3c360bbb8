import Foundation
import FoundationNetworking
import CatalogueService
import IdentityService
import KPIContracts
import KPIPostgres
import KPIRuntime

/// `kpi-bench evidence`: a school's evidence through the gateway into intake.
///  1. A 200 MB file sent as the report page sends it (multipart, streamed by curl), beside
///     `cp` + `sync` of the same file on the same disk: the ratio of throughputs, and what the
///     uploads added to the gateway's and intake's peak memory (VmHWM).
///  2. Confirming a report (intake's API, server round trip) while 20 uploads of 20 MB run
///     without pause: p50 and p99.
/// Needs the system started with room for the file: `KPI_FILE_MAX_BYTES=268435456`.
enum EvidenceBench {
    static let year = 2567, school = 1, area = 74

    static func run(admin: PostgresPool, identity: ServiceDatabase, secrets: [String: String], runDir: String) async throws {
        guard let signingKey = secrets["KPI_FORWARD_SIGNING_KEY"], let signer = ForwardSigner(privateKey: signingKey),
              let vault = NationalIDVault(key: secrets["KPI_NATIONAL_ID_KEY"] ?? ""), let demoPassword = secrets["KPI_DEMO_PASSWORD"] else {
            print("kpi-bench evidence: run/secrets.env lacks the forwarding key, the national ID key or the demo password"); exit(2)
        }
        let api = API(signer: signer)
        let controller = Actor(userId: UUID().uuidString, username: "bench", unitCode: area, areaCode: area, rights: [.view, .defineIndicators, .openRounds],
                               yearBE: year)
        let reporter = Actor(userId: UUID().uuidString, username: "bench-school", unitCode: school, areaCode: area, rights: [.view, .report],
                             yearBE: year, nameTh: "ครูวัดปริมาณ")
        // Two indicators with round 1 open for the demo school: one takes the uploads, the other is confirmed again and again.
        let uploads = try await api.openRound(as: controller), confirms = try await api.openRound(as: controller)
        let confirmPath = "/reports/\(confirms)/1/\(school)"
        for indicator in [uploads, confirms] {
            try await waitUntil("intake learned the round of \(indicator)") {
                try await api.call(8083, "PUT", "/reports/\(indicator)/1/\(school)", json: ["selfScore": 4], as: reporter).status == 200
            }
        }
        let pdf = Data("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".utf8)
        guard try await api.call(8083, "PUT", confirmPath + "/evidence/1?description=bench&name=a.pdf", body: pdf, as: reporter).status == 200 else {
            print("kpi-bench evidence: the small file was refused"); exit(1)
        }

        // The school's browser: a session with the year chosen, the report page's form token.
        let users = UserStore(db: identity, vault: vault)
        guard case .signedIn(let token, _, _) = try await SessionStore(users: users).signIn(username: "demo-school", password: demoPassword, address: "bench") else {
            print("kpi-bench evidence: demo-school did not sign in"); exit(1)
        }
        _ = try await admin.query("UPDATE identity.sessions SET year_be = \(year) WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))")
        let page = "http://127.0.0.1:8080/reports/\(uploads)/1"
        let cookie = "kpi_session=\(token)"
        guard let csrf = try await formToken(page, cookie: cookie) else { print("kpi-bench evidence: the report page has no form"); exit(1) }

        let folder = runDir + "/files/bench-evidence"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        // 1. 200 MB, three times (new bytes each time, so each is stored anew).
        let size = 200 * 1024 * 1024, runs = 3
        let before = ["gateway", "intake"].map { UploadBench.peakMemoryKB(runDir, $0) }
        var upload: [Double] = [], copy: [Double] = []
        for run in 0..<runs {
            let file = folder + "/big-\(run).pdf"
            try makeFile(file, size: size)
            var t = ContinuousClock.now
            let status = try send(file, page: page, csrf: csrf, cookie: cookie, slot: 1)
            upload.append(milliseconds(since: t))
            guard status == "303" else { print("kpi-bench evidence: the 200 MB upload answered HTTP \(status)"); exit(1) }
            t = ContinuousClock.now
            _ = try CatalogueBench.shell("/bin/sh", ["-c", "cp '\(file)' '\(file).copy' && sync '\(file).copy'"])
            copy.append(milliseconds(since: t))
            try? FileManager.default.removeItem(atPath: file + ".copy")
            try? FileManager.default.removeItem(atPath: file)
        }
        let after = ["gateway", "intake"].map { UploadBench.peakMemoryKB(runDir, $0) }
        // Where the time goes: the same size straight into intake (its PUT, the body as is;
        // `--upload-file` streams it, where `--data-binary @` would read it all into curl first).
        var direct: [Double] = []
        for run in 0..<runs {
            let file = folder + "/direct-\(run).pdf"
            try makeFile(file, size: size)
            let path = "/reports/\(uploads)/1/\(school)/evidence/2"
            let token = try signer.sign(reporter, for: "intake", method: .put, path: path)
            let t = ContinuousClock.now
            let status = try CatalogueBench.shell("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-H", "Expect:",
                                                                    "-H", "X-KPI-Actor: \(token)", "--upload-file", file,
                                                                    "http://127.0.0.1:8083\(path)?description=bench&name=direct.pdf"])
            direct.append(milliseconds(since: t))
            try? FileManager.default.removeItem(atPath: file)
            guard status == "200" else { print("kpi-bench evidence: the direct upload answered HTTP \(status)"); exit(1) }
        }
        let (u, c) = (upload.sorted()[runs / 2], copy.sorted()[runs / 2])
        print(String(format: "evidence upload (200 MB, multipart through the gateway, synced in intake's store): median %.0f ms, %.0f MB/s", u, 200_000 / u))
        print(String(format: "cp + sync of the same file: median %.0f ms, %.0f MB/s: upload throughput %.0f%% of cp's", c, 200_000 / c, 100 * c / u))
        let d = direct.sorted()[runs / 2]
        print(String(format: "the same size straight into intake (PUT, no gateway): median %.0f ms, %.0f MB/s", d, 200_000 / d))
        for (i, name) in ["gateway", "intake"].enumerated() {
            print("\(name) peak memory (VmHWM): \(before[i] / 1024) MB before, \(after[i] / 1024) MB after \(runs) uploads of 200 MB: +\((after[i] - before[i]) / 1024) MB")
        }

        // 2. Confirming while 20 uploads of 20 MB run without pause.
        let stop = folder + "/stop"
        var loops: [Process] = []
        for n in 0..<20 {
            let file = folder + "/load-\(n).pdf"
            try makeFile(file, size: 20 * 1024 * 1024)
            let curl = curlArguments(file, page: page, csrf: csrf, cookie: cookie, slot: n % 10 + 1).map { "'\($0)'" }.joined(separator: " ")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            // Until the bench says stop, or is gone (so an interrupted bench leaves no load behind).
            p.arguments = ["-c", "while [ ! -e '\(stop)' ] && kill -0 \(getpid()) 2>/dev/null; do /usr/bin/curl \(curl) >/dev/null 2>&1; done"]
            try p.run()
            loops.append(p)
        }
        try await Task.sleep(for: .seconds(2))
        var times: [Double] = []
        for _ in 0..<200 {
            let version = try await api.report(confirmPath, as: reporter)
            let t = ContinuousClock.now
            let confirmed = try await api.call(8083, "POST", confirmPath + "/confirm?version=\(version)", as: reporter)
            times.append(milliseconds(since: t))
            guard confirmed.status == 200 else { print("kpi-bench evidence: confirm answered HTTP \(confirmed.status)"); break }
            _ = try await api.call(8083, "POST", confirmPath + "/cancel-confirmation", as: reporter)
        }
        FileManager.default.createFile(atPath: stop, contents: nil)
        for p in loops { p.waitUntilExit() }
        let uploadsDone = try await admin.query("""
            SELECT count(*)::int FROM intake.report_history h JOIN intake.reports r ON r.id = h.report_id
            WHERE r.indicator_id = \(UUID(uuidString: uploads)!) AND h.action = 'evidence-added'
            """).first?.decode(Int.self, at: 0) ?? 0
        percentiles("confirm (intake API) during 20 uploads ", times)
        let loaded = ["gateway", "intake"].map { UploadBench.peakMemoryKB(runDir, $0) }
        print("peak memory after the 20 uploads at once (VmHWM): gateway \(loaded[0] / 1024) MB, intake \(loaded[1] / 1024) MB")
        print("uploads completed during and before the confirms: \(uploadsDone)")

        // The bench's files go: the red bins release them from the store.
        for slot in 1...10 { _ = try await api.call(8083, "DELETE", "/reports/\(uploads)/1/\(school)/evidence/\(slot)", as: reporter) }
    }

    /// A well-formed PDF of about `size` bytes: a catalogue, no pages, and one stream of random
    /// bytes (incompressible, unique each time), with its cross-reference table, so poppler
    /// reads it as quickly as a real scanned file instead of searching 200 MB for objects.
    static func makeFile(_ path: String, size: Int) throws {
        var head = "%PDF-1.4\n"
        var offsets: [Int] = []
        for object in ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"] {
            offsets.append(head.utf8.count)
            head += "\(offsets.count) 0 obj \(object) endobj\n"
        }
        offsets.append(head.utf8.count)
        head += "3 0 obj << /Length \(size) >> stream\n"
        FileManager.default.createFile(atPath: path, contents: Data(head.utf8))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        var rng = SystemRandomNumberGenerator()
        var left = size
        while left > 0 {
            let n = min(left, 8 * 1024 * 1024)
            var chunk = [UInt64](repeating: 0, count: n / 8 + 1)
            for i in chunk.indices { chunk[i] = rng.next() }
            try handle.write(contentsOf: chunk.withUnsafeBytes { Data($0.prefix(n)) })
            left -= n
        }
        let xref = head.utf8.count + size + "\nendstream endobj\n".utf8.count
        var tail = "\nendstream endobj\nxref\n0 4\n0000000000 65535 f \n"
        for o in offsets { tail += String(format: "%010d 00000 n \n", o) }
        tail += "trailer << /Size 4 /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        try handle.write(contentsOf: Data(tail.utf8))
    }

    /// curl as the report page's form sends one file: no `Expect: 100-continue` wait to measure.
    static func curlArguments(_ file: String, page: String, csrf: String, cookie: String, slot: Int) -> [String] {
        ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-b", cookie, "-H", "Origin: http://127.0.0.1:8080", "-H", "Expect:",
         "-F", "csrf=\(csrf)", "-F", "description\(slot)=bench", "-F", "file\(slot)=@\(file);type=application/pdf", page]
    }

    static func send(_ file: String, page: String, csrf: String, cookie: String, slot: Int) throws -> String {
        try CatalogueBench.shell("/usr/bin/curl", curlArguments(file, page: page, csrf: csrf, cookie: cookie, slot: slot))
    }

    static func formToken(_ page: String, cookie: String) async throws -> String? {
        var request = URLRequest(url: URL(string: page)!)
        request.setValue(cookie, forHTTPHeaderField: "Cookie")
        let html = String(decoding: try await URLSession.shared.data(for: request).0, as: UTF8.self)
        return html.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) }
    }

    static func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<300 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        print("kpi-bench evidence: timed out: \(what)"); exit(1)
    }

    /// The services' APIs with an actor signed as the gateway signs it.
    struct API {
        let signer: ForwardSigner

        func call(_ port: Int, _ method: String, _ path: String, json: (any Encodable)? = nil, body: Data? = nil, as actor: Actor)
            async throws -> (status: Int, data: Data) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)" + path)!)
            request.httpMethod = method
            let service = [8082: "catalogue", 8083: "intake"][port] ?? ""
            let bare = String(path.split(separator: "?", maxSplits: 1)[0])
            request.setValue(try signer.sign(actor, for: service, method: .init(method)!, path: bare), forHTTPHeaderField: "X-KPI-Actor")
            if let json {
                request.httpBody = try JSONEncoder().encode(json)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            } else if let body {
                request.httpBody = body
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        }

        /// An indicator of the demo area with half-year rounds, round 1 open for the demo school.
        func openRound(as controller: Actor) async throws -> String {
            struct Define: Encodable { var yearBE = EvidenceBench.year; var indicator: IndicatorForm }
            let form = IndicatorForm(number: "B.\(UInt32.random(in: 0...UInt32.max))", nameTh: "ร้อยละของนักเรียนที่อ่านออกเขียนได้ (วัดปริมาณ)",
                                     typeCode: "weighted_average_1_5", weight: 1, roundMode: .halfYear)
            let created = try await call(8082, "POST", "/indicators", json: Define(indicator: form), as: controller)
            struct Made: Decodable { var id: UUID }
            guard created.status == 200 || created.status == 201, let id = try? JSONDecoder().decode(Made.self, from: created.data).id.uuidString.lowercased() else {
                print("kpi-bench evidence: defining an indicator answered HTTP \(created.status): \(String(decoding: created.data, as: UTF8.self))"); exit(1)
            }
            let round = "/indicators/\(id)/rounds/1"
            for (method, path, json) in [("PUT", round + "/units", AssignmentStore.Change(add: [EvidenceBench.school]) as any Encodable),
                                         ("PUT", round + "/dates", ["opensOn": "2023-10-01", "dueOn": "2099-03-15", "cutoffOn": "2099-03-31"]),
                                         ("POST", round + "/open", nil)] {
                let r = try await call(8082, method, path, json: json, as: controller)
                guard r.status == 200 else { print("kpi-bench evidence: \(method) \(path) answered HTTP \(r.status)"); exit(1) }
            }
            return id
        }

        /// The report's version now.
        func report(_ path: String, as actor: Actor) async throws -> Int {
            struct Version: Decodable { var version: Int }
            return (try? JSONDecoder().decode(Version.self, from: try await call(8083, "GET", path, as: actor).data).version) ?? 0
        }
    }
}
