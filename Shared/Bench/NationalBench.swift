import Foundation
import FoundationNetworking
import KPIContracts
import KPIEvents
import KPIPostgres
import KPIRuntime
import StatisticsService

/// B12: a national-size year (245 area offices, 35,000 schools, 100 indicators of 4 rounds in
/// every area: 14 million report slots; about 60 % sent, 75 % of those reviewed, 10 % late),
/// plus one indicator that reaches all 35,000 schools, made as the events identity, catalogue,
/// intake and review emit and applied through statistics' own projections the way a rebuild
/// applies them (`DirectReplay`: same decoding, inbox and handlers, batches of
/// `ProjectionRebuild.batchSize`, settled once at the end). Then it measures statistics' answers
/// over HTTP with a signed actor (p50/p99), the public page through the gateway, and beside the
/// load, PostgreSQL's COPY of slot rows on the same cluster.
///
/// The load goes once (year 2570, area offices 800001…800245, schools from 801001); a later run
/// only measures. The other services' own tables do not get this data, only statistics'.
enum NationalBench {
    static let year = 2570
    static let firstArea = 800_001

    static func run(admin: PostgresPool, secrets: [String: String], port: Int, areas: Int, schools: Int) async throws {
        guard let password = secrets["KPI_STATISTICS_DB_PASSWORD"], let signingKey = secrets["KPI_FORWARD_SIGNING_KEY"],
              let signer = ForwardSigner(privateKey: signingKey) else { print("kpi-bench: run/secrets.env is incomplete"); exit(2) }
        let pool = PostgresPool(config: PostgresConfig(port: port, user: "statistics", password: password, applicationName: "kpi-bench",
                                                       poolSize: 4, searchPath: "statistics"))
        let db = ServiceDatabase(pool: pool, service: "statistics", relayWake: {})
        let loaded = try await admin.query("""
            SELECT count(*)::int FROM statistics.view_indicators WHERE year_be = \(year) AND area_code >= \(firstArea)
            """).first?.decode(Int.self, at: 0) ?? 0
        if loaded == 0 {
            try await load(db: db, admin: admin, areas: areas, schools: schools)
        } else {
            print("national data of \(year) already loaded (\(loaded) indicators); measuring only")
        }
        try await measure(admin: admin, signer: signer, areas: areas)
        await pool.close()
    }

    /// A deterministic generator (SplitMix64), so that two runs make the same data.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) < p * 1_000_000 }
        mutating func score() -> Double { Double(1 + next() % 9) / 2 + 0.5 }  // 1.0 … 5.0 by halves
    }

    static func uuid(_ a: Int, _ b: Int) -> UUID {
        UUID(uuidString: String(format: "b12b12b1-%04lx-4000-8000-%012lx", a & 0xffff, b))!
    }

    typealias Event = (topic: String, envelope: EventEnvelope)

    static func event<E: DomainEvent>(_ e: E, _ source: String) throws -> Event {
        (E.topic.name, try EventEnvelope(e, source: source, correlationId: nil))
    }

    /// Share of the units that sent each of the 4 rounds (the first rounds are further along).
    static let sentShare = [0.9, 0.75, 0.5, 0.25]

    /// Every event of one area: its office and schools, its indicators with their rounds, and
    /// the reports sent and reviewed.
    static func areaEvents(area n: Int, schoolCodes: [Int], indicators: Int, extraUnits: [Int]?) throws -> [Event] {
        let area = firstArea + n
        var random = Random(state: UInt64(area))
        var out: [Event] = []
        out.append(try event(UnitCreatedV1(code: area, nameTh: "สำนักงานเขตพื้นที่ทดสอบ \(n + 1)", kind: .district, areaCode: area,
                                           active: true, version: 1), "identity"))
        for code in schoolCodes {
            out.append(try event(UnitCreatedV1(code: code, nameTh: "โรงเรียนทดสอบ \(code)", kind: .school, areaCode: area, active: true,
                                               version: 1), "identity"))
        }
        let dues = ["2026-01-31", "2026-04-30", "2026-07-31", "2026-10-31"]
        let confirmedAt = Date(timeIntervalSince1970: 1_767_225_600)
        // One more indicator (number N.1) in the first area reaches every school of the nation.
        let specs = (1...indicators).map { ($0, schoolCodes) } + (extraUnits.map { [(0, $0)] } ?? [])
        for (i, units) in specs {
            let id = uuid(n, i)
            var version = 1
            var defined = IndicatorDefinedV1(
                indicatorId: id, yearBE: year, areaCode: area, number: i == 0 ? "N.1" : "B.\(i)", nameTh: "ตัวชี้วัดทดสอบระดับชาติ \(i)",
                typeCode: "T\(i % 4)", weight: Double(1 + i % 5), workgroupId: nil, status: "open", roundMode: "quarterly",
                rounds: (1...4).map { IndicatorRoundV1(seq: $0, labelTh: "ไตรมาส \($0)") }, version: version,
                scoring: ScoringV1(scoreMin: 1, scoreMax: 5, wholeNumbers: false))
            defined.labels = IndicatorLabelsV1(typeNameTh: "ประเภท \(i % 4)", d1: "D1-\(i % 3)", d2: "", d3: "", d4: "",
                                               criteria: "[2] --> [3] --> [4] --> [5]")
            out.append(try event(defined, "catalogue"))
            for seq in 1...4 {
                version += 1
                out.append(try event(RoundDatesSetV1(indicatorId: id, areaCode: area, seq: seq, opensOn: "2025-10-01", dueOn: dues[seq - 1],
                                                     cutoffOn: "2026-11-30", version: version), "catalogue"))
                version += 1
                out.append(try event(RoundStateChangedV1(indicatorId: id, areaCode: area, seq: seq, state: "open", version: version), "catalogue"))
                version += 1
                out.append(try event(RoundUnitsChangedV1(indicatorId: id, areaCode: area, seq: seq, assigned: units, removed: [], version: version),
                                     "catalogue"))
            }
            for seq in 1...4 {
                for unit in units where random.chance(sentShare[seq - 1]) {
                    let report = uuid(n &+ 0x100 &* seq, i &* 100_000_000 &+ unit)
                    out.append(try event(ReportConfirmedV1(reportId: report, indicatorId: id, seq: seq, unitCode: unit, areaCode: area, yearBE: year,
                                                           version: 1, selfScore: random.score(), evidenceCount: 2, late: random.chance(0.1),
                                                           confirmedAt: confirmedAt, by: "u\(unit)"), "intake"))
                    if random.chance(0.75) {
                        out.append(try event(ReportReviewedV1(reportId: report, indicatorId: id, seq: seq, unitCode: unit, areaCode: area,
                                                              yearBE: year, version: 1, score: random.score(), comment: "",
                                                              reviewedAt: confirmedAt, by: "r\(area)"), "review"))
                    }
                }
            }
        }
        // In the order a replay meets them: each topic's events together (a poll returns runs of one
        // partition), one aggregate's in the order made (a stable sort).
        let rank = [UnitCreatedV1.eventType, IndicatorDefinedV1.eventType, RoundDatesSetV1.eventType, RoundStateChangedV1.eventType,
                    RoundUnitsChangedV1.eventType, ReportConfirmedV1.eventType, ReportReviewedV1.eventType]
        return out.enumerated().sorted {
            let (a, b) = (rank.firstIndex(of: $0.element.envelope.type)!, rank.firstIndex(of: $1.element.envelope.type)!)
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)
    }

    static func load(db: ServiceDatabase, admin: PostgresPool, areas: Int, schools: Int) async throws {
        // Schools spread over the areas as evenly as they go (142 or 143 each for the nation).
        let perArea = (0..<areas).map { schools / areas + ($0 < schools % areas ? 1 : 0) }
        let codes = (0..<areas).map { a in (0..<perArea[a]).map { firstArea + 1_000 * (a + 1) + $0 } }
        let all = codes.flatMap { $0 }
        let replay = DirectReplay(projections: StatisticsService.definition.projections, database: db)
        try await replay.begin()
        print("loading \(areas) areas, \(all.count) schools, 100 indicators × 4 rounds each (+1 indicator for every school) …")
        let start = ContinuousClock.now
        var applyTime = Duration.zero
        var events = 0, applied = 0
        // The next area's events are made while this one's are applied (two cores).
        var next = Task.detached { try areaEvents(area: 0, schoolCodes: codes[0], indicators: 100, extraUnits: all) }
        for a in 0..<areas {
            let mine = try await next.value
            if a + 1 < areas {
                next = Task.detached { try areaEvents(area: a + 1, schoolCodes: codes[a + 1], indicators: 100, extraUnits: nil) }
            }
            var offset = 0
            while offset < mine.count {
                let batch = Array(mine[offset..<min(mine.count, offset + ProjectionRebuild.batchSize)])
                let t = ContinuousClock.now
                applied += try await replay.apply(batch)
                applyTime += ContinuousClock.now - t
                offset += batch.count
            }
            events += mine.count
            if (a + 1) % 25 == 0 || a + 1 == areas {
                let s = seconds(ContinuousClock.now - start)
                print(String(format: "  %d areas, %d events in %.0f s (%.0f events/s)", a + 1, events, s, Double(events) / s))
            }
        }
        let settleStart = ContinuousClock.now
        let settled = try await replay.finish()
        let settleTime = seconds(ContinuousClock.now - settleStart), total = seconds(ContinuousClock.now - start)
        print(String(format: "applied %d of %d events: apply %.0f s, settle (%d rounds) %.0f s, total %.0f s → %.0f events/s (apply alone %.0f events/s)",
                     applied, events, seconds(applyTime), settled, settleTime, total, Double(events) / total, Double(events) / seconds(applyTime)))
        let slots = try await admin.query("SELECT count(*)::int FROM statistics.fig_slots").first?.decode(Int.self, at: 0) ?? 0
        print("statistics now keeps \(slots) report slots")
        try await copyReference(admin: admin)
    }

    /// PostgreSQL's own bulk load on the same cluster: COPY of (up to 2 million) slot rows into a
    /// table of the same shape.
    static func copyReference(admin: PostgresPool) async throws {
        let file = "/tmp/kpi-bench-copy-\(getpid()).csv"
        let columns = "indicator_id, seq, unit_code, assigned, report_id, report_version, report_state, self_score, late, confirmed_at, reporter, review_state, review_version, review_score, reviewer, reviewed_at"
        try await admin.execute(PostgresQuery(unsafeSQL: "COPY (SELECT \(columns) FROM statistics.fig_slots LIMIT 2000000) TO '\(file)'"))
        let rows = try await admin.query("SELECT least(count(*), 2000000)::int FROM statistics.fig_slots").first?.decode(Int.self, at: 0) ?? 0
        try await admin.execute("DROP TABLE IF EXISTS public.kpi_bench_copy")
        try await admin.execute("CREATE TABLE public.kpi_bench_copy (LIKE statistics.fig_slots INCLUDING ALL)")
        let t = ContinuousClock.now
        try await admin.execute(PostgresQuery(unsafeSQL: "COPY public.kpi_bench_copy (\(columns)) FROM '\(file)'"))
        let s = seconds(ContinuousClock.now - t)
        try await admin.execute("DROP TABLE public.kpi_bench_copy")
        try? FileManager.default.removeItem(atPath: file)
        print(String(format: "reference: COPY of %d slot rows (with their keys) in %.1f s → %.0f rows/s", rows, s, Double(rows) / s))
    }

    static func measure(admin: PostgresPool, signer: ForwardSigner, areas: Int) async throws {
        func actor(area: Int?) -> Actor {
            Actor(userId: "00000000-0000-4000-8000-0000000b1200", username: "bench", unitCode: area ?? firstArea, areaCode: area,
                  rights: [.view, .viewSummary], yearBE: year)
        }
        func get(_ path: String, as who: Actor, port: Int = 8085) async throws -> (Double, Int) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)" + path)!)
            let route = String(path.split(separator: "?").first ?? "")
            request.setValue(try signer.sign(who, for: "statistics", method: .get, path: route), forHTTPHeaderField: "X-KPI-Actor")
            let t = ContinuousClock.now
            let (body, response) = try await URLSession.shared.data(for: request)
            let ms = seconds(ContinuousClock.now - t) * 1000
            guard (response as? HTTPURLResponse)?.statusCode == 200 else {
                print("\(path): \((response as? HTTPURLResponse)?.statusCode ?? 0) \(String(decoding: body.prefix(300), as: UTF8.self))"); exit(1)
            }
            return (ms, body.count)
        }
        func series(_ label: String, _ count: Int, _ request: (Int) async throws -> (Double, Int)) async throws {
            _ = try await request(0)  // warm
            var times: [Double] = [], bytes = 0
            for i in 0..<count { let (ms, b) = try await request(i); times.append(ms); bytes = b }
            let s = times.sorted()
            func p(_ q: Double) -> Double { s[min(s.count - 1, Int((Double(s.count - 1) * q).rounded()))] }
            print(String(format: "%@: p50 %.1f ms, p99 %.1f ms (%d requests, %d bytes)", label, p(0.5), p(0.99), count, bytes))
        }
        let slots = try await admin.query("SELECT count(*)::int FROM statistics.fig_slots").first?.decode(Int.self, at: 0) ?? 0
        print("measuring on \(slots) report slots (statistics' HTTP API with a signed actor, one request at a time)")
        var random = Random(state: 12)
        try await series("indicator list counters of one area (400 rounds)", 300) { _ in
            let a = firstArea + Int(random.next() % UInt64(areas))
            return try await get("/figures/rounds?year=\(year)&area=\(a)", as: actor(area: a))
        }
        try await series("annual summary of one area", 200) { _ in
            let a = firstArea + Int(random.next() % UInt64(areas))
            return try await get("/figures/summary?year=\(year)", as: actor(area: a))
        }
        try await series("annual summary of the nation (\(areas) areas)", 100) { _ in
            try await get("/figures/summary?year=\(year)", as: actor(area: nil))
        }
        try await series("national summary filtered by D1", 50) { _ in
            try await get("/figures/summary?year=\(year)&d1=D1-1", as: actor(area: nil))
        }
        let national = uuid(0, 0).uuidString.lowercased()
        let units = try await admin.query("""
            SELECT count(DISTINCT unit_code)::int FROM statistics.fig_slots WHERE indicator_id = \(uuid(0, 0))
            """).first?.decode(Int.self, at: 0) ?? 0
        try await series("matrix of one indicator with \(units) units, first page of 100", 100) { _ in
            try await get("/figures/indicators/\(national)/matrix", as: actor(area: nil))
        }
        try await series("the same matrix, last page", 100) { _ in
            try await get("/figures/indicators/\(national)/matrix?offset=\(max(0, units - 100))", as: actor(area: nil))
        }
        // The public page through the gateway (statistics' answer cached there for 5 s).
        for (label, path) in [("public page, the nation by area", "/statistics?year=\(year)"),
                              ("public page, one area by indicator and unit", "/statistics?year=\(year)&area=\(firstArea)")] {
            try await series(label + " (gateway)", 100) { _ in
                let t = ContinuousClock.now
                let (body, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:8080" + path)!)
                guard (response as? HTTPURLResponse)?.statusCode == 200 else { print("\(path) failed"); exit(1) }
                return (seconds(ContinuousClock.now - t) * 1000, body.count)
            }
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
