import Foundation
import KPIEvents
import KPIPostgres
import KPIRuntime

/// Which units report in which round (the gear ⚙️ of each round). Units come from catalogue's
/// own directory of identity's units: the indicator's area, active, schools and other units.
public struct AssignmentStore: Sendable {
    let db: ServiceDatabase
    let indicators: IndicatorStore

    public init(db: ServiceDatabase) { self.db = db; self.indicators = IndicatorStore(db: db) }

    /// A unit assigned to a round, and whether it has reported in it.
    public struct Assigned: Codable, Sendable, Equatable {
        public var code: Int
        public var nameTh: String
        public var kind: String
        public var reported: Bool
    }

    /// A unit of the area that could report in the round.
    public struct Candidate: Codable, Sendable, Equatable {
        public var code: Int
        public var nameTh: String
        public var kind: String
        public var assigned: Bool
    }

    /// Which of the area's units: part of a name or a code, and a kind.
    public struct Filter: Codable, Sendable {
        public var text: String?
        public var kind: String?
        public init(text: String? = nil, kind: String? = nil) { self.text = text; self.kind = kind }

        var code: Int? { text.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        var pattern: String? {
            guard let t = text?.trimmingCharacters(in: .whitespaces), !t.isEmpty, code == nil else { return nil }
            return PostgresQuery.containsPattern(t)
        }
        var kindValue: String? { ["school", "other"].contains(kind ?? "") ? kind : nil }
    }

    public func assigned(_ indicator: Indicator, seq: Int, offset: Int, limit: Int) async throws -> (units: [Assigned], total: Int) {
        let rows = try await db.query("""
            SELECT a.unit_code, COALESCE(d.name_th, ''), COALESCE(d.kind, ''),
                   EXISTS (SELECT 1 FROM reported_units r WHERE r.indicator_id = a.indicator_id AND r.seq = a.seq AND r.unit_code = a.unit_code),
                   count(*) OVER ()
            FROM assignments a LEFT JOIN unit_directory d ON d.code = a.unit_code
            WHERE a.indicator_id = \(indicator.id) AND a.seq = \(seq)
            ORDER BY a.unit_code LIMIT \(limit) OFFSET \(offset)
            """).decode((Int, String, String, Bool, Int).self)
        return (rows.map { Assigned(code: $0.0, nameTh: $0.1, kind: $0.2, reported: $0.3) }, rows.first?.4 ?? 0)
    }

    public func candidates(_ indicator: Indicator, seq: Int, filter f: Filter, offset: Int, limit: Int) async throws -> (units: [Candidate], total: Int) {
        let rows = try await db.query("""
            SELECT d.code, d.name_th, d.kind,
                   EXISTS (SELECT 1 FROM assignments a WHERE a.indicator_id = \(indicator.id) AND a.seq = \(seq) AND a.unit_code = d.code),
                   count(*) OVER ()
            FROM unit_directory d
            WHERE d.area_code = \(indicator.areaCode) AND d.active AND d.kind IN ('school', 'other')
              AND (\(f.code)::int IS NULL OR d.code = \(f.code)) AND (\(f.pattern)::text IS NULL OR d.name_th ILIKE \(f.pattern))
              AND (\(f.kindValue)::text IS NULL OR d.kind = \(f.kindValue))
            ORDER BY d.code LIMIT \(limit) OFFSET \(offset)
            """).decode((Int, String, String, Bool, Int).self)
        return (rows.map { Candidate(code: $0.0, nameTh: $0.1, kind: $0.2, assigned: $0.3) }, rows.first?.4 ?? 0)
    }

    /// What a save asks: units to add, units to remove, or every unit matching a filter to
    /// add ("เลือกโรงเรียนทั้งหมด"); for this round or every round of the indicator (B5).
    public struct Change: Codable, Sendable {
        public var add: [Int]
        public var remove: [Int]
        public var addMatching: Filter?
        public var allRounds: Bool
        public init(add: [Int] = [], remove: [Int] = [], addMatching: Filter? = nil, allRounds: Bool = false) {
            self.add = add; self.remove = remove; self.addMatching = addMatching; self.allRounds = allRounds
        }
    }

    /// Applies a change in one transaction with one event per round it changed. A unit that
    /// has reported in a round is never removed from it: the whole change is refused, saying
    /// which unit and why. Returns the indicator with its new counts.
    public func apply(_ change: Change, indicator id: UUID, seq: Int, reach: (Int) -> Bool) async throws -> Indicator {
        guard change.add.count + change.remove.count <= 50_000 else { throw Problem(status: .contentTooLarge, detail: "เปลี่ยนได้ครั้งละไม่เกิน 50,000 หน่วยงาน") }
        return try await db.transaction { tx in
            guard let indicator = try await indicators.load(id, tx: tx, lock: true), reach(indicator.areaCode) else { throw IndicatorStore.notFound }
            try await IndicatorStore.ensureOpen(indicator, tx: tx)
            guard indicator.rounds.contains(where: { $0.seq == seq }) else { throw Problem(status: .notFound, detail: "ไม่พบรอบที่ \(seq)") }
            let seqs = change.allRounds ? indicator.rounds.map(\.seq) : [seq]
            let seqJSON = Self.json(seqs), addJSON = Self.json(change.add), removeJSON = Self.json(change.remove)

            // Units asked for by code must be the area's active schools or other units.
            if !change.add.isEmpty {
                let valid = Set(try await tx.query("""
                    SELECT d.code FROM unit_directory d
                    WHERE d.code IN (SELECT value::int FROM jsonb_array_elements_text(\(addJSON)::jsonb))
                      AND d.area_code = \(indicator.areaCode) AND d.active AND d.kind IN ('school', 'other')
                    """).map { try $0.decode(Int.self, at: 0) })
                if let wrong = change.add.first(where: { !valid.contains($0) }) {
                    throw Problem.invalid(["units": "หน่วยงานรหัส \(wrong) ไม่ใช่หน่วยงานที่ใช้งานอยู่ในเขตพื้นที่นี้"])
                }
            }
            if !change.remove.isEmpty, let row = try await tx.query("""
                SELECT r.unit_code, o.label_th FROM reported_units r JOIN rounds o ON o.indicator_id = r.indicator_id AND o.seq = r.seq
                WHERE r.indicator_id = \(id) AND r.seq IN (SELECT value::int FROM jsonb_array_elements_text(\(seqJSON)::jsonb))
                  AND r.unit_code IN (SELECT value::int FROM jsonb_array_elements_text(\(removeJSON)::jsonb))
                ORDER BY r.seq, r.unit_code LIMIT 1
                """).first {
                let (code, label) = try row.decode((Int, String).self)
                throw Problem(status: .conflict, detail: "หน่วยงานรหัส \(code) มีการรายงานแล้วใน\(label) จึงลบออกจากรอบนี้ไม่ได้ (รายงานที่ส่งแล้วต้องไม่หายไป)")
            }

            let f = change.addMatching
            let added = try await tx.query("""
                INSERT INTO assignments (indicator_id, seq, unit_code)
                SELECT \(id), s.value::int, d.code
                FROM unit_directory d CROSS JOIN jsonb_array_elements_text(\(seqJSON)::jsonb) s
                WHERE d.area_code = \(indicator.areaCode) AND d.active AND d.kind IN ('school', 'other')
                  AND (d.code IN (SELECT value::int FROM jsonb_array_elements_text(\(addJSON)::jsonb))
                       OR (\(f != nil)
                           AND (\(f?.code)::int IS NULL OR d.code = \(f?.code)) AND (\(f?.pattern)::text IS NULL OR d.name_th ILIKE \(f?.pattern))
                           AND (\(f?.kindValue)::text IS NULL OR d.kind = \(f?.kindValue))))
                ON CONFLICT DO NOTHING
                RETURNING seq, unit_code
                """).decode((Int, Int).self)
            let removed = try await tx.query("""
                DELETE FROM assignments
                WHERE indicator_id = \(id) AND seq IN (SELECT value::int FROM jsonb_array_elements_text(\(seqJSON)::jsonb))
                  AND unit_code IN (SELECT value::int FROM jsonb_array_elements_text(\(removeJSON)::jsonb))
                RETURNING seq, unit_code
                """).decode((Int, Int).self)
            guard !added.isEmpty || !removed.isEmpty else { return indicator }

            try await tx.execute("""
                UPDATE rounds r SET assigned_count = (SELECT count(*) FROM assignments a WHERE a.indicator_id = r.indicator_id AND a.seq = r.seq)
                WHERE r.indicator_id = \(id) AND r.seq IN (SELECT value::int FROM jsonb_array_elements_text(\(seqJSON)::jsonb))
                """)
            try await tx.execute("UPDATE indicators SET version = version + 1, updated_at = now() WHERE id = \(id)")
            let version = indicator.version + 1
            let addedBySeq = Dictionary(grouping: added, by: \.0), removedBySeq = Dictionary(grouping: removed, by: \.0)
            try await tx.publishAll(seqs.compactMap { s -> RoundUnitsChangedV1? in
                let a = (addedBySeq[s] ?? []).map(\.1).sorted(), r = (removedBySeq[s] ?? []).map(\.1).sorted()
                guard !a.isEmpty || !r.isEmpty else { return nil }
                return RoundUnitsChangedV1(indicatorId: id, areaCode: indicator.areaCode, seq: s, assigned: a, removed: r, version: version)
            })
            return try await indicators.load(id, tx: tx)!
        }
    }

    static func json(_ values: [Int]) -> String { "[" + values.map(String.init).joined(separator: ",") + "]" }
}
