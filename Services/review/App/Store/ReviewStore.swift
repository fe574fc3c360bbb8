import Foundation
import KPIContracts
import KPIEvents
import KPIPostgres
import KPIRuntime

/// Reviews in review's schema. Every step checks, in its transaction and with the report's row
/// locked, that the actor reviews this indicator, that the report is confirmed at the version
/// the reviewer saw (as intake's events last said), and that the standing review allows the
/// step; then stores the review, its history line and its event together.
public struct ReviewStore: Sendable {
    let db: ServiceDatabase

    public init(db: ServiceDatabase) { self.db = db }

    /// Which report: an indicator's round, for one unit.
    public struct Key: Sendable, Hashable, Codable {
        public var indicator: UUID, seq: Int, unit: Int
        public init(indicator: UUID, seq: Int, unit: Int) { self.indicator = indicator; self.seq = seq; self.unit = unit }
    }

    static let notFound = Problem(status: .notFound, detail: "ไม่พบรายงานนี้")

    // MARK: - Reading

    func scope(_ indicator: UUID, tx: Transaction) async throws -> IndicatorScope? {
        guard let row = try await tx.query("""
            SELECT i.number, i.name_th, i.year_be, i.area_code, i.workgroup_id, i.score_min::float8, i.score_max::float8, i.whole_numbers,
                   EXISTS (SELECT 1 FROM view_closed_years c WHERE c.year_be = i.year_be AND c.area_code = i.area_code)
            FROM view_indicators i WHERE i.id = \(indicator)
            """).first else { return nil }
        let min = try row.decode(Double?.self, at: 5), max = try row.decode(Double?.self, at: 6), whole = try row.decode(Bool?.self, at: 7)
        return IndicatorScope(id: indicator, number: try row.decode(String.self, at: 0), nameTh: try row.decode(String.self, at: 1),
                              yearBE: try row.decode(Int.self, at: 2), areaCode: try row.decode(Int.self, at: 3),
                              workgroupId: try row.decode(Int?.self, at: 4),
                              scoring: min.flatMap { lo in max.map { ScoringV1(scoreMin: lo, scoreMax: $0, wholeNumbers: whole ?? false) } },
                              yearClosed: try row.decode(Bool.self, at: 8))
    }

    public func record(_ key: Key, actor: Actor) async throws -> ReviewRecord {
        try await db.transaction { tx in
            guard let scope = try await scope(key.indicator, tx: tx), scope.mayRead(actor, unit: key.unit) else { throw Self.notFound }
            return try await record(key, scope, actor: actor, tx: tx)
        }
    }

    func record(_ key: Key, _ scope: IndicatorScope, actor: Actor, tx: Transaction) async throws -> ReviewRecord {
        let reviewer = scope.mayReview(actor)
        guard let row = try await tx.query("""
            SELECT report_id, state, version, content_version FROM report_status
            WHERE indicator_id = \(key.indicator) AND seq = \(key.seq) AND unit_code = \(key.unit)
            """).decode((UUID, String, Int, Int).self).first else {
            return ReviewRecord(reportId: nil, reportState: "none", version: 0, review: nil, history: [], copied: [], changedAfterReview: false,
                                canReview: false, scoring: scope.scoring)
        }
        let review = try await tx.query("""
            SELECT state, score::float8, comment, report_version, reviewer_name, at FROM reviews WHERE report_id = \(row.0)
            """).decode((String, Double?, String, Int, String, Date).self).first.map {
                LastReview(state: $0.0, stands: $0.3 == row.2 && ($0.0 == "returned" || row.1 == "confirmed"), score: $0.1, comment: $0.2, reportVersion: $0.3, reviewerName: $0.4, at: $0.5)
            }
        let history = try await tx.query("""
            SELECT at, action, detail, actor_name FROM review_history WHERE report_id = \(row.0) ORDER BY at
            """).decode((Date, String, String, String).self).map { ReviewHistoryEntry(at: $0.0, action: $0.1, detail: $0.2, actorName: $0.3) }
        let lastReviewed = try await tx.query("""
            SELECT max(report_version) FROM review_history WHERE report_id = \(row.0) AND action = 'reviewed'
            """).first?.decode(Int?.self, at: 0)
        // Other units' names only to reviewers: a school does not learn who else sent what.
        let copied = reviewer ? try await tx.query("""
            SELECT e.slot, string_agg(DISTINCT coalesce(u.name_th, o_r.unit_code::text), ', ')
            FROM report_evidence e
            JOIN report_evidence o ON o.sha256 = e.sha256 AND o.report_id <> e.report_id
            JOIN report_status o_r ON o_r.report_id = o.report_id AND o_r.indicator_id = \(key.indicator) AND o_r.unit_code <> \(key.unit)
            LEFT JOIN unit_directory u ON u.code = o_r.unit_code
            WHERE e.report_id = \(row.0) GROUP BY e.slot ORDER BY e.slot
            """).decode((Int, String).self).map { CopiedEvidence(slot: $0.0, units: $0.1.components(separatedBy: ", ")) } : []
        return ReviewRecord(reportId: row.0, reportState: row.1, version: row.2, review: review, history: history, copied: copied,
                            changedAfterReview: lastReviewed.map { row.3 > $0 } ?? false,
                            canReview: reviewer && !scope.yearClosed, scoring: scope.scoring)
    }

    /// Filters of the queue: one indicator, round or unit; waiting (oldest first) or reviewed.
    public struct QueueFilter: Sendable {
        public var yearBE: Int
        public var indicator: UUID?, seq: Int?, unit: Int?
        public var reviewed: Bool
        public var offset: Int
        public init(yearBE: Int, indicator: UUID? = nil, seq: Int? = nil, unit: Int? = nil, reviewed: Bool = false, offset: Int = 0) {
            self.yearBE = yearBE; self.indicator = indicator; self.seq = seq; self.unit = unit; self.reviewed = reviewed; self.offset = offset
        }
    }

    public static let pageSize = 100

    /// The reviewer's queue: confirmed reports of their workgroup's indicators in their area
    /// that no review covers yet, oldest confirmation first; or the reviewed ones, newest first.
    public func queue(_ f: QueueFilter, actor: Actor) async throws -> [QueueItem] {
        guard actor.has(.review) else { return [] }
        let everyWorkgroup = actor.has(.administer)
        // Fixed text chosen here, never from the request.
        let which = f.reviewed
            ? "rs.state = 'confirmed' AND v.state = 'reviewed' AND v.report_version = rs.version ORDER BY v.at DESC, rs.unit_code"
            : "rs.state = 'confirmed' AND (v.report_id IS NULL OR v.report_version < rs.version) ORDER BY rs.confirmed_at, rs.unit_code"
        return try await db.query("""
            SELECT rs.report_id, rs.indicator_id, i.number, i.name_th, rs.seq, coalesce(r.label_th, ''), rs.unit_code, coalesce(u.name_th, ''),
                   rs.self_score::float8, rs.evidence_count, rs.late, rs.confirmed_at, rs.version,
                   EXISTS (SELECT 1 FROM report_evidence e
                           JOIN report_evidence o ON o.sha256 = e.sha256 AND o.report_id <> e.report_id
                           JOIN report_status o_r ON o_r.report_id = o.report_id AND o_r.indicator_id = rs.indicator_id AND o_r.unit_code <> rs.unit_code
                           WHERE e.report_id = rs.report_id),
                   rs.content_version > coalesce((SELECT max(h.report_version) FROM review_history h
                                                  WHERE h.report_id = rs.report_id AND h.action = 'reviewed'), rs.content_version),
                   v.state, v.score::float8
            FROM report_status rs JOIN view_indicators i ON i.id = rs.indicator_id
            LEFT JOIN view_rounds r ON r.indicator_id = rs.indicator_id AND r.seq = rs.seq
            LEFT JOIN unit_directory u ON u.code = rs.unit_code
            LEFT JOIN reviews v ON v.report_id = rs.report_id
            WHERE i.year_be = \(f.yearBE)
              AND (\(actor.areaCode)::int IS NULL OR i.area_code = \(actor.areaCode))
              AND (\(everyWorkgroup) OR i.workgroup_id IS NULL OR i.workgroup_id = \(actor.workgroupId))
              AND (\(f.indicator)::uuid IS NULL OR rs.indicator_id = \(f.indicator))
              AND (\(f.seq)::int IS NULL OR rs.seq = \(f.seq))
              AND (\(f.unit)::int IS NULL OR rs.unit_code = \(f.unit))
              AND \(unescaped: which)
            LIMIT \(Self.pageSize) OFFSET \(max(0, f.offset))
            """).decode((UUID, UUID, String, String, Int, String, Int, String, Double?, Int, Bool, Date?, Int, Bool, Bool, String?, Double?).self).map {
                QueueItem(reportId: $0.0, indicatorId: $0.1, number: $0.2, nameTh: $0.3, seq: $0.4, roundLabelTh: $0.5, unitCode: $0.6,
                          unitNameTh: $0.7, selfScore: $0.8, evidenceCount: $0.9, late: $0.10, confirmedAt: $0.11, version: $0.12,
                          copied: $0.13, changedAfterReview: $0.14, reviewState: $0.15, score: $0.16)
            }
    }

    // MARK: - Writing

    /// The report's row, locked for a step.
    struct Locked {
        var reportId: UUID, state: String, version: Int, areaCode: Int, yearBE: Int
        var review: (state: String, reportVersion: Int)?
        var scope: IndicatorScope
    }

    /// Runs one step on a report in `tx`: the actor reviews its indicator, the year is open, the
    /// report exists and is at the version the reviewer saw (nil: as it is now).
    func step(_ key: Key, actor: Actor, expected: Int?, tx: Transaction,
              _ body: (Locked) async throws -> (action: String, detail: String, reportVersion: Int)) async throws {
        guard let scope = try await scope(key.indicator, tx: tx), scope.mayRead(actor, unit: key.unit) else { throw Self.notFound }
        guard scope.mayReview(actor) else {
            throw Problem(status: .forbidden, detail: "บัญชีของท่านไม่มีสิทธิ์ตรวจรายงานของตัวชี้วัดนี้")
        }
        guard !scope.yearClosed else { throw Problem(status: .forbidden, detail: "ปีงบประมาณนี้ปิดแล้ว") }
        guard let row = try await tx.query("""
            SELECT report_id, state, version, area_code, year_be FROM report_status
            WHERE indicator_id = \(key.indicator) AND seq = \(key.seq) AND unit_code = \(key.unit) FOR UPDATE
            """).decode((UUID, String, Int, Int, Int).self).first else {
            throw Problem(status: .conflict, detail: "หน่วยงานยังไม่ได้ส่งรายงานนี้")
        }
        if let expected, expected != row.2 {
            throw Problem(status: .conflict, title: "Changed by the school",
                          detail: "โรงเรียนเปลี่ยนแปลงรายงานนี้หลังจากที่ท่านเปิดดู กรุณาเปิดหน้าใหม่เพื่อดูข้อมูลล่าสุดก่อนตรวจ")
        }
        let review = try await tx.query("SELECT state, report_version FROM reviews WHERE report_id = \(row.0) FOR UPDATE")
            .decode((String, Int).self).first.map { (state: $0.0, reportVersion: $0.1) }
        let locked = Locked(reportId: row.0, state: row.1, version: row.2, areaCode: row.3, yearBE: row.4, review: review, scope: scope)
        let (action, detail, reportVersion) = try await body(locked)
        try await tx.execute("""
            INSERT INTO review_history (report_id, action, detail, actor_name, report_version)
            VALUES (\(row.0), \(action), \(detail), \(actor.shownName), \(reportVersion))
            """)
    }

    /// A report waits for a review when it is confirmed and no review covers its version.
    static func ensureWaiting(_ r: Locked) throws {
        if let review = r.review, review.reportVersion >= r.version {
            throw Problem(status: .conflict, detail: review.state == "reviewed" ? "รายงานนี้ตรวจแล้ว" : "รายงานนี้ส่งกลับให้แก้ไขแล้ว")
        }
        guard r.state == "confirmed" else { throw Problem(status: .conflict, detail: "รายงานนี้ยังไม่ได้ยืนยัน จึงยังตรวจไม่ได้") }
    }

    static func cleanComment(_ text: String?, required: Bool) throws -> String {
        let clean = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if required, clean.isEmpty { throw Problem.invalid(["comment": "กรุณาระบุสิ่งที่ต้องแก้ไข"]) }
        guard clean.count <= 1000 else { throw Problem.invalid(["comment": "ความเห็นยาวได้ไม่เกิน 1000 ตัวอักษร"]) }
        return clean
    }

    /// What a reviewer sends: the score ผลการประเมิน and a comment, for the version they saw.
    public struct Score: Codable, Sendable {
        public var score: Double?
        public var comment: String?
        public var version: Int?
        public init(score: Double?, comment: String?, version: Int?) { self.score = score; self.comment = comment; self.version = version }
    }

    func review(_ key: Key, _ s: Score, actor: Actor, tx: Transaction) async throws {
        let comment = try Self.cleanComment(s.comment, required: false)
        try await step(key, actor: actor, expected: s.version, tx: tx) { r in
            guard let score = s.score else { throw Problem.invalid(["score": "กรุณากรอกผลการประเมิน"]) }
            if let scoring = r.scope.scoring, !scoring.accepts(score) { throw Problem.invalid(["score": scoring.ruleTh]) }
            try Self.ensureWaiting(r)
            let at = try await tx.query("""
                INSERT INTO reviews (report_id, state, score, comment, report_version, reviewer_id, reviewer_name)
                VALUES (\(r.reportId), 'reviewed', \(score)::numeric, \(comment), \(r.version), \(actor.userId), \(actor.shownName))
                ON CONFLICT (report_id) DO UPDATE SET state = 'reviewed', score = EXCLUDED.score, comment = EXCLUDED.comment,
                    report_version = EXCLUDED.report_version, reviewer_id = EXCLUDED.reviewer_id, reviewer_name = EXCLUDED.reviewer_name, at = now()
                RETURNING at
                """).first?.decode(Date.self, at: 0) ?? Date()
            try await tx.publish(ReportReviewedV1(reportId: r.reportId, indicatorId: key.indicator, seq: key.seq, unitCode: key.unit,
                                                  areaCode: r.areaCode, yearBE: r.yearBE, version: r.version, score: score, comment: comment,
                                                  reviewedAt: at, by: actor.userId))
            return ("reviewed", "ผลการประเมิน \(ScoringV1.text(score))" + (comment.isEmpty ? "" : " — \(comment)"), r.version)
        }
    }

    /// ตรวจสอบข้อมูล: scores one confirmed report.
    public func review(_ key: Key, _ s: Score, actor: Actor) async throws -> ReviewRecord {
        try await db.transaction { tx in
            try await review(key, s, actor: actor, tx: tx)
            return try await record(key, try await scope(key.indicator, tx: tx)!, actor: actor, tx: tx)
        }
    }

    /// B5: the same score for several reports, all or none: a refusal names the unit.
    public struct Several: Codable, Sendable {
        public var score: Double?
        public var comment: String?
        public var reports: [Item]
        public struct Item: Codable, Sendable { public var indicator: UUID, seq: Int, unit: Int, version: Int? }
    }

    public func reviewSeveral(_ s: Several, actor: Actor) async throws -> Int {
        guard !s.reports.isEmpty else { throw Problem.invalid(["reports": "กรุณาเลือกรายงานอย่างน้อย 1 รายการ"]) }
        guard s.reports.count <= Self.pageSize else { throw Problem.invalid(["reports": "เลือกได้ครั้งละไม่เกิน \(Self.pageSize) รายการ"]) }
        return try await db.transaction { tx in
            for item in s.reports {
                let key = Key(indicator: item.indicator, seq: item.seq, unit: item.unit)
                do {
                    try await review(key, Score(score: s.score, comment: s.comment, version: item.version), actor: actor, tx: tx)
                } catch var problem as Problem where problem.fields == nil {
                    let name = try await tx.query("SELECT name_th FROM unit_directory WHERE code = \(item.unit)").first?.decode(String.self, at: 0)
                    problem.detail = "\(name ?? String(item.unit)): \(problem.detail ?? "")"
                    throw problem
                }
            }
            return s.reports.count
        }
    }

    /// ยกเลิกผลการตรวจ: the report waits for review again.
    public func cancel(_ key: Key, actor: Actor) async throws -> ReviewRecord {
        try await db.transaction { tx in
            try await step(key, actor: actor, expected: nil, tx: tx) { r in
                guard let review = r.review, review.state == "reviewed", review.reportVersion == r.version, r.state == "confirmed" else {
                    throw Problem(status: .conflict, detail: "รายงานนี้ยังไม่ได้ตรวจ")
                }
                try await tx.execute("DELETE FROM reviews WHERE report_id = \(r.reportId)")
                try await tx.publish(ReviewCancelledV1(reportId: r.reportId, indicatorId: key.indicator, seq: key.seq, unitCode: key.unit,
                                                       areaCode: r.areaCode, yearBE: r.yearBE, version: review.reportVersion, by: actor.userId))
                return ("review-cancelled", "", review.reportVersion)
            }
            return try await record(key, try await scope(key.indicator, tx: tx)!, actor: actor, tx: tx)
        }
    }

    /// B2: back to the school for revision, with what to change.
    public func giveBack(_ key: Key, comment: String?, expected: Int?, actor: Actor) async throws -> ReviewRecord {
        let comment = try Self.cleanComment(comment, required: true)
        return try await db.transaction { tx in
            try await step(key, actor: actor, expected: expected, tx: tx) { r in
                try Self.ensureWaiting(r)
                try await tx.execute("""
                    INSERT INTO reviews (report_id, state, score, comment, report_version, reviewer_id, reviewer_name)
                    VALUES (\(r.reportId), 'returned', NULL, \(comment), \(r.version), \(actor.userId), \(actor.shownName))
                    ON CONFLICT (report_id) DO UPDATE SET state = 'returned', score = NULL, comment = EXCLUDED.comment,
                        report_version = EXCLUDED.report_version, reviewer_id = EXCLUDED.reviewer_id, reviewer_name = EXCLUDED.reviewer_name, at = now()
                    """)
                try await tx.publish(ReportReturnedV1(reportId: r.reportId, indicatorId: key.indicator, seq: key.seq, unitCode: key.unit,
                                                      areaCode: r.areaCode, yearBE: r.yearBE, version: r.version, comment: comment, by: actor.userId))
                return ("returned", comment, r.version)
            }
            return try await record(key, try await scope(key.indicator, tx: tx)!, actor: actor, tx: tx)
        }
    }
}
