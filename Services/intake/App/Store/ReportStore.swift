import Foundation
import KPIContracts
import KPIEvents
import KPIFiles
import KPIPostgres
import KPIRuntime

/// Reports and their evidence in intake's schema. Every write checks again, in its transaction,
/// that the unit may report now (from intake's copy of catalogue), that the report is the
/// version the writer saw, and that its state allows the step; then stores the step, its
/// history line and its event together.
public struct ReportStore: Sendable {
    let db: ServiceDatabase
    let files: FileStore

    public init(db: ServiceDatabase, files: FileStore) { self.db = db; self.files = files }

    /// Which report: an indicator's round, for one unit.
    public struct Key: Sendable, Hashable {
        public var indicator: UUID, seq: Int, unit: Int
        public init(indicator: UUID, seq: Int, unit: Int) { self.indicator = indicator; self.seq = seq; self.unit = unit }
    }

    static let notFound = Problem(status: .notFound, detail: "ไม่พบรายงานนี้")

    /// A report's state with review's outcome for its version applied: `reports` stores only
    /// draft or confirmed; a review standing on the confirmed version makes it reviewed, a
    /// return for revision a draft (see `ReviewOutcomes`). Used with `outcomeJoin`, `rp` the report.
    static let effectiveState = """
        CASE WHEN rp.state = 'confirmed' AND o.state = 'reviewed' THEN 'reviewed'
             WHEN rp.state = 'confirmed' AND o.state = 'returned' THEN 'draft' ELSE rp.state END
        """
    static let outcomeJoin = "LEFT JOIN review_outcomes o ON o.report_id = rp.id AND o.report_version = rp.version"

    // MARK: - Reading

    /// The round as intake knows it for `unit`, or nil when intake knows no such round.
    func context(_ key: Key, tx: Transaction) async throws -> RoundContext? {
        guard let row = try await tx.query("""
            SELECT i.number, i.name_th, i.type_code, i.year_be, i.area_code, i.workgroup_id, i.status,
                   i.score_min::float8, i.score_max::float8, i.whole_numbers,
                   r.label_th, r.state, r.due_on::text, r.cutoff_on::text, coalesce(u.name_th, ''),
                   EXISTS (SELECT 1 FROM view_assignments a WHERE a.indicator_id = i.id AND a.seq = r.seq AND a.unit_code = \(key.unit)),
                   (SELECT e.until_on::text FROM view_extensions e WHERE e.indicator_id = i.id AND e.seq = r.seq AND e.unit_code = \(key.unit)),
                   EXISTS (SELECT 1 FROM view_closed_years c WHERE c.year_be = i.year_be AND c.area_code = i.area_code),
                   (now() AT TIME ZONE 'Asia/Bangkok')::date::text
            FROM view_indicators i JOIN view_rounds r ON r.indicator_id = i.id AND r.seq = \(key.seq)
            LEFT JOIN unit_directory u ON u.code = \(key.unit)
            WHERE i.id = \(key.indicator)
            """).first else { return nil }
        let min = try row.decode(Double?.self, at: 7), max = try row.decode(Double?.self, at: 8), whole = try row.decode(Bool?.self, at: 9)
        return RoundContext(
            indicatorId: key.indicator, number: try row.decode(String.self, at: 0), nameTh: try row.decode(String.self, at: 1),
            typeCode: try row.decode(String.self, at: 2), yearBE: try row.decode(Int.self, at: 3), areaCode: try row.decode(Int.self, at: 4),
            workgroupId: try row.decode(Int?.self, at: 5), status: try row.decode(String.self, at: 6),
            scoring: min.flatMap { lo in max.map { ScoringV1(scoreMin: lo, scoreMax: $0, wholeNumbers: whole ?? false) } },
            seq: key.seq, roundLabelTh: try row.decode(String.self, at: 10), roundState: try row.decode(String.self, at: 11),
            dueOn: try row.decode(String?.self, at: 12), cutoffOn: try row.decode(String?.self, at: 13), unitCode: key.unit,
            unitNameTh: try row.decode(String.self, at: 14), assigned: try row.decode(Bool.self, at: 15),
            extendedUntil: try row.decode(String?.self, at: 16), yearClosed: try row.decode(Bool.self, at: 17), today: try row.decode(String.self, at: 18))
    }

    /// Who may read a unit's report: its own people, and in its area those who see other
    /// units' reports and the reviewers. Anyone else gets the same 404 as for no report.
    static func mayRead(_ actor: Actor, _ c: RoundContext) -> Bool {
        guard actor.reaches(area: c.areaCode) else { return false }
        return actor.unitCode == c.unitCode || actor.has(.seeAllUnits) || actor.has(.review)
    }

    static func mayWrite(_ actor: Actor, _ c: RoundContext) -> Bool {
        actor.has(.report) && actor.unitCode == c.unitCode && actor.reaches(area: c.areaCode) && c.acceptsReports
    }

    /// Why the unit may not report now, in Thai.
    static func refusal(_ actor: Actor, _ c: RoundContext) -> Problem {
        let why: String
        if !actor.has(.report) || actor.unitCode != c.unitCode { why = "บัญชีของท่านไม่มีสิทธิ์รายงานในนามหน่วยงานนี้" }
        else if c.yearClosed { why = "ปีงบประมาณนี้ปิดแล้ว" }
        else if !c.assigned { why = "หน่วยงานของท่านไม่ได้รับมอบหมายให้รายงานในรอบนี้" }
        else if c.status != "open" { why = "ตัวชี้วัดนี้ไม่เปิดรับรายงาน" }
        else if c.roundState != "open" { why = "\(c.roundLabelTh)ยังไม่เปิดหรือปิดแล้ว" }
        else { why = "เลยวันปิดรับรายงานของ\(c.roundLabelTh)แล้ว" }
        return Problem(status: .forbidden, detail: why)
    }

    public func read(_ key: Key, actor: Actor) async throws -> ReportView {
        try await db.transaction { tx in
            guard let c = try await context(key, tx: tx), Self.mayRead(actor, c) else { throw Self.notFound }
            return try await view(key, c, actor: actor, tx: tx)
        }
    }

    func view(_ key: Key, _ c: RoundContext, actor: Actor, tx: Transaction) async throws -> ReportView {
        guard let row = try await tx.query("""
            SELECT rp.id, \(unescaped: Self.effectiveState), rp.self_score::float8, rp.version, rp.late, rp.confirmed_at
            FROM reports rp \(unescaped: Self.outcomeJoin)
            WHERE rp.indicator_id = \(key.indicator) AND rp.seq = \(key.seq) AND rp.unit_code = \(key.unit)
            """).decode((UUID, String, Double?, Int, Bool, Date?).self).first else {
            return ReportView(context: c, id: nil, state: .draft, selfScore: nil, version: 0, late: false, confirmedAt: nil, evidence: [],
                              history: [], canWrite: Self.mayWrite(actor, c))
        }
        let evidence = try await tx.query("""
            SELECT slot, description, file_name, content_kind, size, sha256, added_by_name, added_at FROM evidence
            WHERE report_id = \(row.0) ORDER BY slot
            """).decode((Int, String, String, String, Int64, String, String, Date).self).map {
                Evidence(slot: $0.0, description: $0.1, fileName: $0.2, contentKind: $0.3, size: $0.4, sha256: $0.5, addedByName: $0.6, addedAt: $0.7)
            }
        let history = try await tx.query("""
            SELECT at, action, detail, actor_name FROM report_history WHERE report_id = \(row.0) ORDER BY at, action
            """).decode((Date, String, String, String).self).map { HistoryEntry(at: $0.0, action: $0.1, detail: $0.2, actorName: $0.3) }
        return ReportView(context: c, id: row.0, state: ReportState(rawValue: row.1) ?? .draft, selfScore: row.2, version: row.3, late: row.4,
                          confirmedAt: row.5, evidence: evidence, history: history, canWrite: Self.mayWrite(actor, c))
    }

    /// Per round of the year's indicators in the actor's area: whether the actor's unit may
    /// report, and its report's state (the list's "รายงาน" buttons).
    public func rounds(yearBE: Int, actor: Actor) async throws -> [RoundReportState] {
        let rows = try await db.query("""
            SELECT a.indicator_id, a.seq, r.state, CASE WHEN rp.id IS NOT NULL THEN \(unescaped: Self.effectiveState) END, rp.self_score::float8,
                   i.status = 'open' AND r.state = 'open' AND NOT EXISTS (SELECT 1 FROM view_closed_years c WHERE c.year_be = i.year_be AND c.area_code = i.area_code)
                   AND (r.cutoff_on IS NULL OR r.cutoff_on >= (now() AT TIME ZONE 'Asia/Bangkok')::date
                        OR EXISTS (SELECT 1 FROM view_extensions e WHERE e.indicator_id = a.indicator_id AND e.seq = a.seq AND e.unit_code = a.unit_code
                                   AND e.until_on >= (now() AT TIME ZONE 'Asia/Bangkok')::date))
            FROM view_assignments a JOIN view_indicators i ON i.id = a.indicator_id
            JOIN view_rounds r ON r.indicator_id = a.indicator_id AND r.seq = a.seq
            LEFT JOIN reports rp ON rp.indicator_id = a.indicator_id AND rp.seq = a.seq AND rp.unit_code = a.unit_code
            \(unescaped: Self.outcomeJoin)
            WHERE a.unit_code = \(actor.unitCode) AND i.year_be = \(yearBE)
            ORDER BY a.indicator_id, a.seq
            """).decode((UUID, Int, String, String?, Double?, Bool).self)
        return rows.map {
            RoundReportState(indicatorId: $0.0, seq: $0.1, canReport: $0.5 && actor.has(.report), state: $0.3.flatMap(ReportState.init(rawValue:)),
                             selfScore: $0.4)
        }
    }

    // MARK: - Writing

    /// A report row locked for a step, created as a draft when the unit has none yet.
    struct Locked {
        var id: UUID, state: ReportState, version: Int, selfScore: Double?
        var context: RoundContext
    }

    /// Runs one step on the report: checks that the actor may write, the version they saw
    /// (nil: any, for a first save) and, unless `anyState`, that it is a draft; `step` returns
    /// its history line and event; the version grows by one.
    func step<E: ReportEvent>(_ key: Key, actor: Actor, expected: Int?, anyState: Bool = false,
                              _ body: (Locked, Int, Transaction) async throws -> (action: String, detail: String, event: E)) async throws -> ReportView {
        try await db.transaction { tx in
            guard let c = try await context(key, tx: tx), Self.mayRead(actor, c) else { throw Self.notFound }
            guard Self.mayWrite(actor, c) else { throw Self.refusal(actor, c) }
            try await tx.execute("""
                INSERT INTO reports (id, indicator_id, seq, unit_code, area_code, year_be, version)
                VALUES (\(UUID()), \(key.indicator), \(key.seq), \(key.unit), \(c.areaCode), \(c.yearBE), 0)
                ON CONFLICT (indicator_id, seq, unit_code) DO NOTHING
                """)
            let row = try await tx.query("""
                SELECT rp.id, \(unescaped: Self.effectiveState), rp.version, rp.self_score::float8, rp.state FROM reports rp \(unescaped: Self.outcomeJoin)
                WHERE rp.indicator_id = \(key.indicator) AND rp.seq = \(key.seq) AND rp.unit_code = \(key.unit) FOR UPDATE OF rp
                """).decode((UUID, String, Int, Double?, String).self)[0]
            let locked = Locked(id: row.0, state: ReportState(rawValue: row.1) ?? .draft, version: row.2, selfScore: row.3, context: c)
            if let expected, expected != locked.version {
                throw Problem(status: .conflict, title: "Changed by someone else",
                              detail: "มีผู้อื่นแก้ไขรายงานนี้ไปแล้ว กรุณาเปิดหน้าใหม่เพื่อดูข้อมูลล่าสุดก่อนแก้ไข")
            }
            if !anyState, locked.state != .draft {
                throw Problem(status: .conflict, detail: locked.state == .confirmed
                              ? "รายงานนี้ยืนยันแล้ว ยกเลิกผลการยืนยันก่อนจึงแก้ไขได้" : "รายงานนี้ตรวจแล้ว แก้ไขไม่ได้")
            }
            // Returned for revision (B2): the school's first change makes it a draft again.
            if row.4 == "confirmed", locked.state == .draft {
                try await tx.execute("UPDATE reports SET state = 'draft', confirmed_at = NULL, confirmed_by = NULL, late = false WHERE id = \(locked.id)")
            }
            let version = locked.version + 1
            let (action, detail, event) = try await body(locked, version, tx)
            try await tx.execute("UPDATE reports SET version = \(version), updated_at = now() WHERE id = \(locked.id)")
            try await tx.execute("""
                INSERT INTO report_history (report_id, action, detail, actor_id, actor_name)
                VALUES (\(locked.id), \(action), \(detail), \(actor.userId), \(actor.shownName))
                """)
            try await tx.publish(event)
            return try await view(key, c, actor: actor, tx: tx)
        }
    }

    /// What a school saves on the report page: its self-assessment and the evidence descriptions.
    public struct Draft: Codable, Sendable {
        public var selfScore: Double?
        public var descriptions: [String: String]?
        public var version: Int?
        public init(selfScore: Double?, descriptions: [String: String]? = nil, version: Int?) {
            self.selfScore = selfScore; self.descriptions = descriptions; self.version = version
        }
    }

    public func save(_ key: Key, _ draft: Draft, actor: Actor) async throws -> ReportView {
        try await step(key, actor: actor, expected: draft.version) { r, version, tx in
            if let score = draft.selfScore, let scoring = r.context.scoring, !scoring.accepts(score) {
                throw Problem.invalid(["selfScore": scoring.ruleTh])
            }
            var problems: [String: String] = [:]
            for (slot, text) in draft.descriptions ?? [:] {
                let clean = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard let n = Int(slot), (1...10).contains(n) else { continue }
                if clean.isEmpty || clean.count > 500 { problems["description\(n)"] = "กรุณากรอกคำอธิบายหลักฐาน (ไม่เกิน 500 ตัวอักษร)"; continue }
                try await tx.execute("UPDATE evidence SET description = \(clean) WHERE report_id = \(r.id) AND slot = \(n)")
            }
            guard problems.isEmpty else { throw Problem.invalid(problems) }
            try await tx.execute("UPDATE reports SET self_score = \(draft.selfScore)::numeric WHERE id = \(r.id)")
            return ("saved", draft.selfScore.map { "ประเมินตนเอง \(ScoringV1.text($0))" } ?? "",
                    ReportSavedV1(reportId: r.id, indicatorId: key.indicator, seq: key.seq, unitCode: key.unit, areaCode: r.context.areaCode,
                                  yearBE: r.context.yearBE, version: version, selfScore: draft.selfScore, by: actor.userId))
        }
    }

    /// Checked before a byte of a file is read: the slot, the description, and that the
    /// unit may write the report in its state now.
    public func ensureWritable(_ key: Key, slot: Int, description: String, actor: Actor) async throws {
        guard (1...10).contains(slot) else { throw Problem.invalid(["slot": "ช่องหลักฐานมี 1 ถึง 10"]) }
        let clean = description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !clean.isEmpty, clean.count <= 500 else { throw Problem.invalid(["description\(slot)": "กรุณากรอกคำอธิบายหลักฐาน (ไม่เกิน 500 ตัวอักษร)"]) }
        try await db.transaction { tx in
            guard let c = try await context(key, tx: tx), Self.mayRead(actor, c) else { throw Self.notFound }
            guard Self.mayWrite(actor, c) else { throw Self.refusal(actor, c) }
            if let state = try await tx.query("""
                SELECT \(unescaped: Self.effectiveState) FROM reports rp \(unescaped: Self.outcomeJoin)
                WHERE rp.indicator_id = \(key.indicator) AND rp.seq = \(key.seq) AND rp.unit_code = \(key.unit)
                """).first?.decode(String.self, at: 0), state != "draft" {
                throw Problem(status: .conflict, detail: "รายงานนี้ยืนยันแล้ว ยกเลิกผลการยืนยันก่อนจึงแก้ไขได้")
            }
        }
    }

    /// Puts a received file in a slot (replacing what was there), with its description.
    public func addEvidence(_ key: Key, slot: Int, description: String, fileName: String, received: FileStore.Received, kind: ContentKind,
                            expected: Int?, actor: Actor) async throws -> ReportView {
        try await ensureWritable(key, slot: slot, description: description, actor: actor)
        let name = Download.cleanName(fileName), text = description.trimmingCharacters(in: .whitespacesAndNewlines)
        var replaced: String?
        let view = try await step(key, actor: actor, expected: expected) { r, version, tx in
            replaced = try await tx.query("SELECT sha256 FROM evidence WHERE report_id = \(r.id) AND slot = \(slot)").first?.decode(String.self, at: 0)
            try await files.keep(received, tx: tx)
            try await tx.execute("""
                INSERT INTO evidence (report_id, slot, description, file_name, content_kind, size, sha256, added_by, added_by_name)
                VALUES (\(r.id), \(slot), \(text), \(name), \(kind.rawValue), \(received.size), \(received.sha256), \(actor.userId), \(actor.shownName))
                ON CONFLICT (report_id, slot) DO UPDATE SET description = EXCLUDED.description, file_name = EXCLUDED.file_name,
                    content_kind = EXCLUDED.content_kind, size = EXCLUDED.size, sha256 = EXCLUDED.sha256, added_by = EXCLUDED.added_by,
                    added_by_name = EXCLUDED.added_by_name, added_at = now()
                """)
            return ("evidence-added", "\(slot): \(name)",
                    EvidenceAddedV1(reportId: r.id, indicatorId: key.indicator, seq: key.seq, unitCode: key.unit, areaCode: r.context.areaCode,
                                    yearBE: r.context.yearBE, version: version, slot: slot, description: text, fileName: name,
                                    contentKind: kind.rawValue, size: received.size, sha256: received.sha256, by: actor.userId))
        }
        if let replaced, replaced != received.sha256 { try await release(replaced) }
        return view
    }

    public func removeEvidence(_ key: Key, slot: Int, expected: Int?, actor: Actor) async throws -> ReportView {
        var removed: String?
        let view = try await step(key, actor: actor, expected: expected) { r, version, tx in
            guard let row = try await tx.query("""
                DELETE FROM evidence WHERE report_id = \(r.id) AND slot = \(slot) RETURNING sha256, file_name
                """).decode((String, String).self).first else { throw Problem(status: .notFound, detail: "ช่องนี้ยังไม่มีหลักฐาน") }
            removed = row.0
            return ("evidence-removed", "\(slot): \(row.1)",
                    EvidenceRemovedV1(reportId: r.id, indicatorId: key.indicator, seq: key.seq, unitCode: key.unit, areaCode: r.context.areaCode,
                                      yearBE: r.context.yearBE, version: version, slot: slot, by: actor.userId))
        }
        if let removed { try await release(removed) }
        return view
    }

    /// ยืนยันผลตัวชี้วัด: needs a self-assessment and at least one piece of evidence; late
    /// after the due date.
    public func confirm(_ key: Key, expected: Int?, actor: Actor) async throws -> ReportView {
        try await step(key, actor: actor, expected: expected) { r, version, tx in
            var problems: [String: String] = [:]
            if r.selfScore == nil { problems["selfScore"] = "กรุณาประเมินตนเองก่อนยืนยัน" }
            let count = try await tx.query("SELECT count(*)::int FROM evidence WHERE report_id = \(r.id)").first?.decode(Int.self, at: 0) ?? 0
            if count == 0 { problems["evidence"] = "กรุณาแนบหลักฐานอย่างน้อย 1 ไฟล์ก่อนยืนยัน" }
            guard problems.isEmpty, let score = r.selfScore else { throw Problem.invalid(problems) }
            let late = r.context.late
            let at = try await tx.query("""
                UPDATE reports SET state = 'confirmed', confirmed_at = now(), confirmed_by = \(actor.userId), late = \(late)
                WHERE id = \(r.id) RETURNING confirmed_at
                """).first?.decode(Date.self, at: 0) ?? Date()
            return ("confirmed", late ? "ส่งหลังวันครบกำหนด" : "",
                    ReportConfirmedV1(reportId: r.id, indicatorId: key.indicator, seq: key.seq, unitCode: key.unit, areaCode: r.context.areaCode,
                                      yearBE: r.context.yearBE, version: version, selfScore: score, evidenceCount: count, late: late,
                                      confirmedAt: at, by: actor.userId))
        }
    }

    /// ยกเลิกผลการยืนยัน: a draft again, until a review exists.
    public func cancelConfirmation(_ key: Key, expected: Int?, actor: Actor) async throws -> ReportView {
        try await step(key, actor: actor, expected: expected, anyState: true) { r, version, tx in
            switch r.state {
            case .draft: throw Problem(status: .conflict, detail: "รายงานนี้ยังไม่ได้ยืนยัน")
            case .reviewed: throw Problem(status: .conflict, detail: "รายงานนี้ตรวจแล้ว ยกเลิกผลการยืนยันไม่ได้")
            case .confirmed: break
            }
            try await tx.execute("UPDATE reports SET state = 'draft', confirmed_at = NULL, confirmed_by = NULL, late = false WHERE id = \(r.id)")
            return ("confirmation-cancelled", "",
                    ReportConfirmationCancelledV1(reportId: r.id, indicatorId: key.indicator, seq: key.seq, unitCode: key.unit,
                                                  areaCode: r.context.areaCode, yearBE: r.context.yearBE, version: version, by: actor.userId))
        }
    }

    /// A slot's file, for those who may read the report.
    public func download(_ key: Key, slot: Int, actor: Actor) async throws -> Download {
        try await db.transaction { tx in
            guard let c = try await context(key, tx: tx), Self.mayRead(actor, c),
                  let row = try await tx.query("""
                    SELECT e.sha256, e.size, e.file_name, e.content_kind FROM evidence e JOIN reports r ON r.id = e.report_id
                    WHERE r.indicator_id = \(key.indicator) AND r.seq = \(key.seq) AND r.unit_code = \(key.unit) AND e.slot = \(slot)
                    """).decode((String, Int64, String, String).self).first, let kind = ContentKind(rawValue: row.3) else { throw Self.notFound }
            return Download(sha256: row.0, size: row.1, fileName: row.2, kind: kind)
        }
    }

    func release(_ sha256: String) async throws {
        try await files.release(sha256, db: db) { tx in
            try await tx.query("SELECT 1 FROM evidence WHERE sha256 = \(sha256) LIMIT 1").first != nil
        }
    }
}
