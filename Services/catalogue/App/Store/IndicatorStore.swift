import Foundation
import KPIEvents
import KPIPostgres
import KPIRuntime

/// An indicator type and the scores it accepts.
public struct IndicatorType: Codable, Sendable, Equatable {
    public var code: String
    public var nameTh: String
    public var scoreMin: Double
    public var scoreMax: Double
    public var wholeNumbers: Bool

    /// The rule as events carry it to intake and review.
    public var scoring: ScoringV1 { ScoringV1(scoreMin: scoreMin, scoreMax: scoreMax, wholeNumbers: wholeNumbers) }

    /// True when `score` is a valid score of this type.
    public func accepts(_ score: Double) -> Bool { scoring.accepts(score) }
}

/// Indicators and their rounds in catalogue's schema. Every change commits with its event.
public struct IndicatorStore: Sendable {
    let db: ServiceDatabase

    public init(db: ServiceDatabase) { self.db = db }

    public func types() async throws -> [IndicatorType] {
        try await db.query("""
            SELECT code, name_th, score_min::float8, score_max::float8, whole_numbers FROM indicator_types WHERE active ORDER BY sort_order, code
            """).decode((String, String, Double, Double, Bool).self).map {
                IndicatorType(code: $0.0, nameTh: $0.1, scoreMin: $0.2, scoreMax: $0.3, wholeNumbers: $0.4)
            }
    }

    /// Defines an indicator of `area` for `yearBE` with the rounds of its mode. A 422 problem
    /// names every field that is wrong; nothing is stored then.
    public func define(_ input: IndicatorForm, yearBE: Int, area: Int) async throws -> Indicator {
        let form = try await valid(input, yearBE: yearBE, area: area, except: nil)
        let id = UUID()
        return try await db.transaction { tx in
            try await Self.ensureOpen(yearBE: yearBE, area: area, tx: tx)
            try await tx.execute("""
                INSERT INTO indicators (id, year_be, area_code, number, name_th, details, type_code, weight, d1, d2, d3, d4,
                    workgroup_id, assessment_note, criteria, status, round_mode)
                VALUES (\(id), \(yearBE), \(area), \(form.number), \(form.nameTh), \(form.details), \(form.typeCode), \(form.weight)::numeric,
                    \(form.d1), \(form.d2), \(form.d3), \(form.d4), \(form.workgroupId), \(form.assessmentNote), \(form.criteria),
                    \(form.status.rawValue), \(form.roundMode.rawValue))
                """)
            try await insertRounds(id, form.roundMode, tx: tx)
            let indicator = try await load(id, tx: tx)!
            try await tx.publish(IndicatorDefinedV1(indicator))
            return indicator
        }
    }

    /// Changes an indicator. Its rounds follow a new mode only while none has been opened.
    public func change(_ id: UUID, _ input: IndicatorForm, reach: (Int) -> Bool) async throws -> Indicator {
        guard let current = try await find(id), reach(current.areaCode) else { throw Self.notFound }
        let form = try await valid(input, yearBE: current.yearBE, area: current.areaCode, except: id)
        return try await db.transaction { tx in
            guard let locked = try await load(id, tx: tx, lock: true) else { throw Self.notFound }
            try await Self.ensureOpen(locked, tx: tx)
            if form.roundMode != locked.form.roundMode {
                guard locked.rounds.allSatisfy({ $0.state == "not_opened" }) else {
                    throw Problem.invalid(["roundMode": "เปลี่ยนลักษณะการเปิดใช้งานไม่ได้ เพราะมีรอบที่เปิดแล้ว"])
                }
                try await tx.execute("DELETE FROM rounds WHERE indicator_id = \(id)")
                try await insertRounds(id, form.roundMode, tx: tx)
            }
            try await tx.execute("""
                UPDATE indicators SET number = \(form.number), name_th = \(form.nameTh), details = \(form.details),
                    type_code = \(form.typeCode), weight = \(form.weight)::numeric, d1 = \(form.d1), d2 = \(form.d2), d3 = \(form.d3),
                    d4 = \(form.d4), workgroup_id = \(form.workgroupId), assessment_note = \(form.assessmentNote),
                    criteria = \(form.criteria), status = \(form.status.rawValue), round_mode = \(form.roundMode.rawValue),
                    version = version + 1, updated_at = now()
                WHERE id = \(id)
                """)
            let indicator = try await load(id, tx: tx)!
            try await tx.publish(IndicatorChangedV1(indicator))
            return indicator
        }
    }

    /// Opens, closes or hides an indicator.
    public func setStatus(_ id: UUID, _ status: IndicatorStatus, reach: (Int) -> Bool) async throws -> Indicator {
        try await db.transaction { tx in
            guard let current = try await load(id, tx: tx, lock: true), reach(current.areaCode) else { throw Self.notFound }
            try await Self.ensureOpen(current, tx: tx)
            guard current.form.status != status else { return current }
            try await tx.execute("UPDATE indicators SET status = \(status.rawValue), version = version + 1, updated_at = now() WHERE id = \(id)")
            let indicator = try await load(id, tx: tx)!
            try await tx.publish(IndicatorStatusChangedV1(indicatorId: id, areaCode: indicator.areaCode, status: status.rawValue,
                                                         version: indicator.version))
            return indicator
        }
    }

    /// Opens or closes one round. Rounds open in order: a round opens only after every earlier
    /// one has been opened. Closing a round that was opened is allowed (the page asks first).
    public func setRound(_ id: UUID, seq: Int, open: Bool, reach: (Int) -> Bool) async throws -> Indicator {
        try await db.transaction { tx in
            guard let current = try await load(id, tx: tx, lock: true), reach(current.areaCode) else { throw Self.notFound }
            try await Self.ensureOpen(current, tx: tx)
            guard let round = current.rounds.first(where: { $0.seq == seq }) else {
                throw Problem(status: .notFound, detail: "ไม่พบรอบที่ \(seq)")
            }
            let target = open ? "open" : "closed"
            guard round.state != target else { return current }
            if open, let earlier = current.rounds.first(where: { $0.seq < seq && $0.state == "not_opened" }) {
                throw Problem(status: .conflict, detail: "ต้องเปิด\(earlier.labelTh)ก่อน รอบเปิดตามลำดับ")
            }
            if !open, round.state == "not_opened" { throw Problem(status: .conflict, detail: "\(round.labelTh)ยังไม่เคยเปิด") }
            try await tx.execute("UPDATE rounds SET state = \(target) WHERE indicator_id = \(id) AND seq = \(seq)")
            try await tx.execute("UPDATE indicators SET version = version + 1, updated_at = now() WHERE id = \(id)")
            let indicator = try await load(id, tx: tx)!
            try await tx.publish(RoundStateChangedV1(indicatorId: id, areaCode: indicator.areaCode, seq: seq, state: target,
                                                     version: indicator.version))
            return indicator
        }
    }

    public func find(_ id: UUID) async throws -> Indicator? {
        try await db.transaction { tx in try await load(id, tx: tx) }
    }

    /// The indicators of one year and area, grouped by type (in the types' order) and then by
    /// number (1.2 before 1.10). Hidden ones only when asked (controllers).
    public func list(yearBE: Int, area: Int, includeHidden: Bool) async throws -> [Indicator] {
        try await db.transaction { tx in try await list(yearBE: yearBE, area: area, includeHidden: includeHidden, tx: tx) }
    }

    func list(yearBE: Int, area: Int, includeHidden: Bool, tx: Transaction) async throws -> [Indicator] {
        let rows = try await tx.query("""
            SELECT \(unescaped: Self.columns) FROM indicators i JOIN indicator_types t ON t.code = i.type_code
            WHERE i.year_be = \(yearBE) AND i.area_code = \(area) AND (i.status <> 'hidden' OR \(includeHidden))
            ORDER BY t.sort_order, i.type_code
            """)
        let rounds = try await tx.query("""
            SELECT r.indicator_id, \(unescaped: Self.roundColumns) FROM rounds r JOIN indicators i ON i.id = r.indicator_id
            WHERE i.year_be = \(yearBE) AND i.area_code = \(area) ORDER BY r.indicator_id, r.seq
            """)
        var byIndicator: [UUID: [Round]] = [:]
        for row in rounds {
            byIndicator[try row.decode(UUID.self, at: 0), default: []].append(try Self.round(row, from: 1))
        }
        var indicators = try rows.map { row -> Indicator in
            var indicator = try Self.indicator(row)
            indicator.rounds = byIndicator[indicator.id] ?? []
            return indicator
        }
        let attachments = try await AttachmentStore.attachments(of: indicators.map(\.id), tx: tx)
        for i in indicators.indices { indicators[i].attachments = attachments[indicators[i].id] ?? [] }
        // Stable: the query's type order stays, numbers sort naturally within a type.
        return indicators.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.form.typeCode != y.form.typeCode { return a.offset < b.offset }
            return Self.numberOrder(x.form.number, y.form.number)
        }.map(\.element)
    }

    /// "1.2" before "1.10": numeric parts compare as numbers.
    static func numberOrder(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: "."), y = b.split(separator: ".")
        for (p, q) in zip(x, y) where p != q {
            if let m = Int(p), let n = Int(q) { return m < n }
            return p < q
        }
        return x.count < y.count
    }

    static let notFound = Problem(status: .notFound, detail: "ไม่พบตัวชี้วัด")

    /// Nothing of an indicator changes while its area has closed its year.
    static func ensureOpen(_ indicator: Indicator, tx: Transaction) async throws {
        try await ensureOpen(yearBE: indicator.yearBE, area: indicator.areaCode, tx: tx)
    }

    static func ensureOpen(yearBE: Int, area: Int, tx: Transaction) async throws {
        if try await tx.query("SELECT 1 FROM area_years WHERE year_be = \(yearBE) AND area_code = \(area) AND closed_at IS NOT NULL").first != nil {
            throw Problem(status: .conflict, detail: "ปีงบประมาณ \(yearBE) ของเขตพื้นที่นี้ปิดแล้ว เปิดปีก่อนจึงแก้ไขได้")
        }
    }

    // MARK: - Rows

    static let columns = """
        i.id, i.year_be, i.area_code, i.number, i.name_th, i.details, i.type_code, i.weight::float8, i.d1, i.d2, i.d3, i.d4,
        i.workgroup_id, i.assessment_note, i.criteria, i.status, i.round_mode, t.name_th, i.version,
        t.score_min::float8, t.score_max::float8, t.whole_numbers
        """
    static let roundColumns = """
        r.seq, r.label_th, r.state, r.opens_on::text, r.due_on::text, r.cutoff_on::text, r.assigned_count,
        r.state = 'open' AND (r.cutoff_on IS NULL OR r.cutoff_on >= (now() AT TIME ZONE 'Asia/Bangkok')::date)
        """

    static func indicator(_ row: PostgresRow) throws -> Indicator {
        let status = try row.decode(String.self, at: 15), mode = try row.decode(String.self, at: 16)
        let form = IndicatorForm(
            number: try row.decode(String.self, at: 3), nameTh: try row.decode(String.self, at: 4), details: try row.decode(String.self, at: 5),
            typeCode: try row.decode(String.self, at: 6), weight: try row.decode(Double.self, at: 7),
            d1: try row.decode(String.self, at: 8), d2: try row.decode(String.self, at: 9), d3: try row.decode(String.self, at: 10),
            d4: try row.decode(String.self, at: 11), workgroupId: try row.decode(Int?.self, at: 12),
            assessmentNote: try row.decode(String.self, at: 13), criteria: try row.decode(String.self, at: 14),
            status: IndicatorStatus(rawValue: status) ?? .hidden, roundMode: RoundMode(rawValue: mode) ?? .once)
        return Indicator(id: try row.decode(UUID.self, at: 0), yearBE: try row.decode(Int.self, at: 1), areaCode: try row.decode(Int.self, at: 2),
                         form: form, typeNameTh: try row.decode(String.self, at: 17), version: try row.decode(Int.self, at: 18), rounds: [],
                         scoring: ScoringV1(scoreMin: try row.decode(Double.self, at: 19), scoreMax: try row.decode(Double.self, at: 20),
                                            wholeNumbers: try row.decode(Bool.self, at: 21)))
    }

    static func round(_ row: PostgresRow, from i: Int) throws -> Round {
        Round(seq: try row.decode(Int.self, at: i), labelTh: try row.decode(String.self, at: i + 1), state: try row.decode(String.self, at: i + 2),
              opensOn: try row.decode(String?.self, at: i + 3), dueOn: try row.decode(String?.self, at: i + 4),
              cutoffOn: try row.decode(String?.self, at: i + 5), assigned: try row.decode(Int.self, at: i + 6),
              acceptsReports: try row.decode(Bool.self, at: i + 7))
    }

    func load(_ id: UUID, tx: Transaction, lock: Bool = false) async throws -> Indicator? {
        guard let row = try await tx.query("""
            SELECT \(unescaped: Self.columns) FROM indicators i JOIN indicator_types t ON t.code = i.type_code WHERE i.id = \(id)
            \(unescaped: lock ? "FOR UPDATE OF i" : "")
            """).first else { return nil }
        var indicator = try Self.indicator(row)
        indicator.rounds = try await tx.query("SELECT \(unescaped: Self.roundColumns) FROM rounds r WHERE r.indicator_id = \(id) ORDER BY r.seq")
            .map { try Self.round($0, from: 0) }
        indicator.attachments = try await AttachmentStore.attachments(of: [id], tx: tx)[id] ?? []
        return indicator
    }

    func insertRounds(_ id: UUID, _ mode: RoundMode, tx: Transaction) async throws {
        for (index, label) in mode.labels.enumerated() {
            try await tx.execute("INSERT INTO rounds (indicator_id, seq, label_th) VALUES (\(id), \(index + 1), \(label))")
        }
    }

    /// The form checked, with the rules that need the database: the year exists, the type is
    /// known, and the number is free in the year and area.
    func valid(_ input: IndicatorForm, yearBE: Int, area: Int, except id: UUID?) async throws -> IndicatorForm {
        var (form, problems) = input.checked()
        if try await db.query("SELECT 1 FROM fiscal_years WHERE year_be = \(yearBE)").first == nil {
            problems["yearBE"] = "ไม่มีปีงบประมาณ \(yearBE)"
        }
        if try await db.query("SELECT 1 FROM indicator_types WHERE code = \(form.typeCode) AND active").first == nil {
            problems["typeCode"] = "กรุณาเลือกประเภทตัวชี้วัด"
        }
        if problems["number"] == nil, try await db.query("""
            SELECT 1 FROM indicators WHERE year_be = \(yearBE) AND area_code = \(area) AND number = \(form.number) AND id IS DISTINCT FROM \(id)
            """).first != nil {
            problems["number"] = "เลขตัวชี้วัด \(form.number) มีแล้วในปีงบประมาณนี้"
        }
        guard problems.isEmpty else { throw Problem.invalid(problems) }
        return form
    }
}

extension IndicatorStateEvent {
    /// The event of an indicator's whole definition, as stored.
    init(_ i: Indicator) {
        self.init(indicatorId: i.id, yearBE: i.yearBE, areaCode: i.areaCode, number: i.form.number, nameTh: i.form.nameTh,
                  typeCode: i.form.typeCode, weight: i.form.weight, workgroupId: i.form.workgroupId, status: i.form.status.rawValue,
                  roundMode: i.form.roundMode.rawValue, rounds: i.rounds.map { IndicatorRoundV1(seq: $0.seq, labelTh: $0.labelTh) },
                  version: i.version, scoring: i.scoring)
        labels = IndicatorLabelsV1(typeNameTh: i.typeNameTh, d1: i.form.d1, d2: i.form.d2, d3: i.form.d3, d4: i.form.d4, criteria: i.form.criteria)
    }
}
