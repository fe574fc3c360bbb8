import Foundation
import KPIEvents
import KPIPostgres
import KPIRuntime

/// Round dates (opening, due, cut-off) and per-unit extensions (B1). After the cut-off a round
/// stops taking reports by itself: `Round.acceptsReports` and the dates in the events say so,
/// with nothing to switch.
public struct RoundDateStore: Sendable {
    let db: ServiceDatabase
    let indicators: IndicatorStore

    public init(db: ServiceDatabase) { self.db = db; self.indicators = IndicatorStore(db: db) }

    public struct Dates: Codable, Sendable {
        public var opensOn: String?
        public var dueOn: String?
        public var cutoffOn: String?
        public init(opensOn: String? = nil, dueOn: String? = nil, cutoffOn: String? = nil) {
            self.opensOn = opensOn; self.dueOn = dueOn; self.cutoffOn = cutoffOn
        }
    }

    /// A day as "YYYY-MM-DD" (C.E.), or nil for an empty one; a problem for anything else.
    static func day(_ text: String?, field: String, _ problems: inout [String: String]) -> String? {
        guard let t = text?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        let f = DateFormatter()
        f.calendar = Calendar(identifier: .gregorian); f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Bangkok"); f.dateFormat = "yyyy-MM-dd"; f.isLenient = false
        guard t.count == 10, let date = f.date(from: t), f.string(from: date) == t else {
            problems[field] = "วันที่ไม่ถูกต้อง"
            return nil
        }
        return t
    }

    /// Sets a round's dates: opening ≤ due ≤ cut-off, each optional.
    public func setDates(_ dates: Dates, indicator id: UUID, seq: Int, reach: (Int) -> Bool) async throws -> Indicator {
        var problems: [String: String] = [:]
        let opens = Self.day(dates.opensOn, field: "opensOn", &problems)
        let due = Self.day(dates.dueOn, field: "dueOn", &problems)
        let cutoff = Self.day(dates.cutoffOn, field: "cutoffOn", &problems)
        if let opens, let due, opens > due { problems["dueOn"] = "วันครบกำหนดต้องไม่ก่อนวันเปิดรอบ" }
        if let due, let cutoff, due > cutoff { problems["cutoffOn"] = "วันปิดรับต้องไม่ก่อนวันครบกำหนด" }
        if let opens, let cutoff, opens > cutoff { problems["cutoffOn"] = "วันปิดรับต้องไม่ก่อนวันเปิดรอบ" }
        guard problems.isEmpty else { throw Problem.invalid(problems) }
        return try await db.transaction { tx in
            guard let indicator = try await indicators.load(id, tx: tx, lock: true), reach(indicator.areaCode) else { throw IndicatorStore.notFound }
            try await IndicatorStore.ensureOpen(indicator, tx: tx)
            guard indicator.rounds.contains(where: { $0.seq == seq }) else { throw Problem(status: .notFound, detail: "ไม่พบรอบที่ \(seq)") }
            try await tx.execute("""
                UPDATE rounds SET opens_on = \(opens)::date, due_on = \(due)::date, cutoff_on = \(cutoff)::date
                WHERE indicator_id = \(id) AND seq = \(seq)
                """)
            try await tx.execute("UPDATE indicators SET version = version + 1, updated_at = now() WHERE id = \(id)")
            try await tx.publish(RoundDatesSetV1(indicatorId: id, areaCode: indicator.areaCode, seq: seq, opensOn: opens, dueOn: due,
                                                 cutoffOn: cutoff, version: indicator.version + 1))
            return try await indicators.load(id, tx: tx)!
        }
    }

    /// Lets one assigned unit report until `until` (on or after the cut-off), for `reason`.
    public func grant(unit: Int, until: String, reason: String, indicator id: UUID, seq: Int, by actor: Actor,
                      reach: (Int) -> Bool) async throws -> [Extension] {
        var problems: [String: String] = [:]
        let untilDay = Self.day(until, field: "untilOn", &problems)
        if untilDay == nil, problems["untilOn"] == nil { problems["untilOn"] = "กรุณาระบุวันที่ขยายเวลาถึง" }
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if why.isEmpty { problems["reason"] = "กรุณาระบุเหตุผล" } else if why.count > 500 { problems["reason"] = "เหตุผลยาวเกิน 500 ตัวอักษร" }
        guard problems.isEmpty, let untilDay else { throw Problem.invalid(problems) }
        try await db.transaction { tx in
            guard let indicator = try await indicators.load(id, tx: tx, lock: true), reach(indicator.areaCode) else { throw IndicatorStore.notFound }
            try await IndicatorStore.ensureOpen(indicator, tx: tx)
            guard let round = indicator.rounds.first(where: { $0.seq == seq }) else { throw Problem(status: .notFound, detail: "ไม่พบรอบที่ \(seq)") }
            if try await tx.query("SELECT 1 FROM assignments WHERE indicator_id = \(id) AND seq = \(seq) AND unit_code = \(unit)").first == nil {
                throw Problem.invalid(["unitCode": "หน่วยงานรหัส \(unit) ไม่ได้รับมอบหมายให้รายงานในรอบนี้"])
            }
            if let cutoff = round.cutoffOn, untilDay < cutoff {
                throw Problem.invalid(["untilOn": "วันที่ขยายเวลาต้องไม่ก่อนวันปิดรับ (\(cutoff))"])
            }
            try await tx.execute("""
                INSERT INTO round_extensions (indicator_id, seq, unit_code, until_on, reason, granted_by, granted_by_name)
                VALUES (\(id), \(seq), \(unit), \(untilDay)::date, \(why), \(actor.userId), \(actor.username))
                ON CONFLICT (indicator_id, seq, unit_code) DO UPDATE SET until_on = EXCLUDED.until_on, reason = EXCLUDED.reason,
                    granted_by = EXCLUDED.granted_by, granted_by_name = EXCLUDED.granted_by_name, granted_at = now()
                """)
            try await tx.execute("UPDATE indicators SET version = version + 1, updated_at = now() WHERE id = \(id)")
            try await tx.publish(RoundExtensionGrantedV1(indicatorId: id, areaCode: indicator.areaCode, seq: seq, unitCode: unit,
                                                         untilOn: untilDay, grantedBy: actor.userId, version: indicator.version + 1))
        }
        return try await extensions(indicator: id, seq: seq)
    }

    public func extensions(indicator id: UUID, seq: Int) async throws -> [Extension] {
        try await db.query("""
            SELECT e.unit_code, COALESCE(d.name_th, ''), e.until_on::text, e.reason, e.granted_by_name, e.granted_at
            FROM round_extensions e LEFT JOIN unit_directory d ON d.code = e.unit_code
            WHERE e.indicator_id = \(id) AND e.seq = \(seq) ORDER BY e.unit_code
            """).decode((Int, String, String, String, String, Date).self).map {
                Extension(unitCode: $0.0, unitNameTh: $0.1, untilOn: $0.2, reason: $0.3, grantedBy: $0.4, grantedAt: $0.5)
            }
    }
}
