import CatalogueService
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IdentityService
import KPIContracts
import KPIEvents
import KPIPostgres
import KPIRuntime

/// `kpi-bench catalogue`: one area office with 2,000 schools and 100 indicators of 4 rounds,
/// every school assigned to every round; then the indicator list's server time (catalogue's
/// API and in-process), the gear page's time and bytes through the gateway, and the public list
/// under wrk beside nginx serving the same bytes from a file.
enum CatalogueBench {
    static let schools = 2_000, indicatorCount = 100, year = 2567

    /// `existing`: the area of an earlier run, measured again without loading anything.
    static func run(units: UnitStore, identity: ServiceDatabase, admin: PostgresPool, secrets: [String: String], port: Int,
                    firstCode: Int, existing: Int?) async throws {
        guard let catalogueDB = secrets["KPI_CATALOGUE_DB_PASSWORD"], let signingKey = secrets["KPI_FORWARD_SIGNING_KEY"],
              let signer = ForwardSigner(privateKey: signingKey), let vault = NationalIDVault(key: secrets["KPI_NATIONAL_ID_KEY"] ?? "") else {
            print("kpi-bench catalogue: run/secrets.env lacks the catalogue, forwarding or national ID keys"); exit(2)
        }
        let area = existing ?? firstCode
        let pool = PostgresPool(config: PostgresConfig(port: port, user: "catalogue", password: catalogueDB, applicationName: "kpi-bench", poolSize: 4,
                                                        searchPath: "catalogue"))
        let db = ServiceDatabase(pool: pool, service: "catalogue", relayWake: {})
        let indicators = IndicatorStore(db: db), assignments = AssignmentStore(db: db)
        var first = try await indicators.list(yearBE: year, area: area, includeHidden: true).first
        if existing == nil { first = try await load(area: area, units: units, identity: identity, admin: admin, indicators: indicators, assignments: assignments) }
        guard let first else { print("area \(area) has no indicators of \(year)"); exit(1) }
        try await measure(area: area, first: first, indicators: indicators, identity: identity, admin: admin, signer: signer, vault: vault)
        await pool.close()
    }

    static func load(area: Int, units: UnitStore, identity: ServiceDatabase, admin: PostgresPool, indicators: IndicatorStore,
                     assignments: AssignmentStore) async throws -> Indicator? {
        print("loading area \(area) with \(schools) schools …")
        try await identity.transaction { tx in
            try await units.insertAll([OrgUnit(code: area, nameTh: "สพม.วัดปริมาณ \(area)", kind: .district, areaCode: area)]
                + (1...schools).map { OrgUnit(code: area + $0, nameTh: "โรงเรียนวัดปริมาณ \(area + $0)", kind: .school, areaCode: area) }, tx: tx)
        }
        let known = PostgresQuery(unsafeSQL: "SELECT count(*) FROM catalogue.unit_directory WHERE code BETWEEN \(area) AND \(area + schools)")
        while try await admin.query(known).first?.decode(Int.self, at: 0) ?? 0 < schools + 1 { try await Task.sleep(for: .milliseconds(50)) }

        print("defining \(indicatorCount) indicators of 4 rounds, every school in every round …")
        var first: Indicator?
        for n in 1...indicatorCount {
            let form = IndicatorForm(number: "\(n / 10 + 1).\(n % 10 + 1)", nameTh: "ตัวชี้วัดวัดปริมาณที่ \(n) ร้อยละของนักเรียนที่มีผลการเรียนดีขึ้นไป",
                                     details: "รายละเอียดของตัวชี้วัดที่ \(n)", typeCode: n % 2 == 0 ? "percentage" : "weighted_average_1_5",
                                     weight: 2.5, d1: "ด้านที่ \(n % 4 + 1)", workgroupId: 5, criteria: "[2] --> [3] --> [4] --> [5]",
                                     roundMode: .quarterly)
            let indicator = try await indicators.define(form, yearBE: year, area: area)
            _ = try await assignments.apply(.init(addMatching: .init(kind: "school"), allRounds: true), indicator: indicator.id, seq: 1, reach: { _ in true })
            if first == nil { first = indicator }
        }
        return first
    }

    static func measure(area: Int, first: Indicator, indicators: IndicatorStore, identity: ServiceDatabase, admin: PostgresPool,
                        signer: ForwardSigner, vault: NationalIDVault) async throws {

        // The list: in-process (the store's own time) and through catalogue's API (with a signed actor).
        var inProcess: [Double] = []
        for _ in 0..<200 {
            let t = ContinuousClock.now
            _ = try await indicators.list(yearBE: year, area: area, includeHidden: true)
            inProcess.append(milliseconds(since: t))
        }
        percentiles("indicator list, in-process store      ", inProcess)
        let actor = Actor(userId: UUID().uuidString, username: "bench", unitCode: area, areaCode: area, rights: [.view, .defineIndicators, .openRounds],
                          yearBE: year)
        var api: [Double] = [], bytes = 0
        for _ in 0..<200 {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:8082/indicators?year=\(year)")!)
            request.setValue(try signer.sign(actor, for: "catalogue", method: .get, path: "/indicators"), forHTTPHeaderField: "X-KPI-Actor")
            let t = ContinuousClock.now
            let (data, _) = try await URLSession.shared.data(for: request)
            api.append(milliseconds(since: t))
            bytes = data.count
        }
        percentiles("indicator list, catalogue API (HTTP)  ", api)
        print("indicator list JSON: \(bytes) bytes for \(indicatorCount) indicators")

        // The pages through the gateway, as a controller of the area signed in.
        let users = UserStore(db: identity, vault: vault)
        let username = "bench\(area)x\(Int.random(in: 100...999))", password = "วัดปริมาณ-\(area)-รหัส"
        let userId = try await users.register(Registration(nationalId: validNationalId(area * 1000 + Int.random(in: 0...999)), title: "นาย", firstNameTh: "วัด", lastNameTh: "ปริมาณ",
                                                           firstNameEn: "Bench", lastNameEn: "Mark", staffKind: "civil_servant", position: "ศึกษานิเทศก์",
                                                           officePhone: "055000000", mobile: "0800000000", unitCode: area + 1, province: "กำแพงเพชร",
                                                           email: "bench@example.invalid", username: username, password: password), form: nil)
        try await users.approve(userId, actor: userId, rights: [.view, .defineIndicators, .openRounds, .manageFiles])
        guard case .signedIn(let token, _, _) = try await SessionStore(users: users).signIn(username: username, password: password, address: "bench") else {
            print("the bench controller did not sign in"); exit(1)
        }
        _ = try await admin.query("UPDATE identity.sessions SET year_be = \(year) WHERE user_id = \(userId)")
        for (label, path) in [("indicator list page", "/indicators"), ("gear page (2,000 assigned, 2,000 to choose from)",
                                                                          "/indicators/\(first.id.uuidString.lowercased())/rounds/1/units")] {
            var times: [Double] = [], size = 0, status = 0
            for _ in 0..<50 {
                var request = URLRequest(url: URL(string: "http://127.0.0.1:8080" + path)!)
                request.setValue("kpi_session=\(token)", forHTTPHeaderField: "Cookie")
                let t = ContinuousClock.now
                let (data, response) = try await URLSession.shared.data(for: request)
                times.append(milliseconds(since: t))
                size = data.count; status = (response as? HTTPURLResponse)?.statusCode ?? 0
            }
            percentiles("\(label), gateway", times)
            print("\(label): HTTP \(status), \(size) bytes")
        }

        try await UploadBench.run(token: token, indicator: first.id, runDir: runDir)

        // The public list under wrk, beside nginx serving the same bytes from a file.
        let publicPath = "/api/v1/indicators?year=\(year)&area=\(area)"
        let (body, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:8080" + publicPath)!)
        let folder = NSTemporaryDirectory() + "kpi-bench-nginx"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder + "/logs", withIntermediateDirectories: true)
        try body.write(to: URL(fileURLWithPath: folder + "/list.json"))
        try """
            worker_processes 2; pid \(folder)/nginx.pid; error_log \(folder)/logs/error.log; daemon on;
            events { worker_connections 1024; }
            http { access_log off; server { listen 127.0.0.1:18999; location / { root \(folder); default_type application/json; } } }
            """.write(toFile: folder + "/nginx.conf", atomically: true, encoding: .utf8)
        // nginx daemonizes: its output is not read (the daemon would hold the pipe open).
        _ = try shell("/usr/sbin/nginx", ["-c", folder + "/nginx.conf", "-p", folder], capture: false)
        defer { _ = try? shell("/usr/sbin/nginx", ["-c", folder + "/nginx.conf", "-p", folder, "-s", "stop"], capture: false) }
        print("public list: \(body.count) bytes; wrk -t2 -c32 -d10s, one after the other:")
        let gatewayRate = try wrk("http://127.0.0.1:8080" + publicPath)
        let nginxRate = try wrk("http://127.0.0.1:18999/list.json")
        print(String(format: "gateway %.0f requests/s, nginx %.0f requests/s: ratio %.2f", gatewayRate, nginxRate, gatewayRate / nginxRate))
    }

    /// A national ID with a right check digit, from a number.
    static func validNationalId(_ seed: Int) -> String {
        let body = "1" + String(format: "%011d", seed % 100_000_000_000)
        let d = body.compactMap(\.wholeNumberValue)
        let sum = (0..<12).reduce(0) { $0 + d[$1] * (13 - $1) }
        return body + String((11 - sum % 11) % 10)
    }

    /// Requests per second that wrk reports.
    static func wrk(_ url: String) throws -> Double {
        let out = try shell("/usr/bin/wrk", ["-t2", "-c32", "-d10s", url])
        guard let line = out.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
              let rate = Double(line.split(separator: " ").last ?? "") else { print(out); return 0 }
        return rate
    }

    static func shell(_ tool: String, _ arguments: [String], capture: Bool = true) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        guard capture else {
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            return ""
        }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
