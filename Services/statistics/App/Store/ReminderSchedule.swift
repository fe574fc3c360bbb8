import Foundation
import KPIEvents
import KPIPostgres
import KPIRuntime
import Logging
import ServiceLifecycle

/// B3: at a configurable schedule, statistics finds what people should be told, from the same
/// slots as every figure, and publishes it as `RemindersIssuedV1` (no person in it; identity
/// knows who the reporters and reviewers are and tells them in the app and by e-mail):
///
/// - a unit's assigned round not sent, `KPI_REMINDER_DAYS_BEFORE` days before its due date
///   (default 7 and 1) and `KPI_REMINDER_DAYS_AFTER` days after it (default 1 and 7);
/// - a report returned for revision, once per return;
/// - the reviewers of an area and workgroup, of reports waiting for review: at most once a day,
///   and only when reports were sent since the last digest (from the round counters).
///
/// Every step of every slot is written in `reminder_log` in the transaction that publishes it,
/// so it is told once, whatever the number of statistics instances. Only the latest step due
/// is told (a round first seen a day before its due date gets the one-day reminder only).
/// The schedule runs every `KPI_REMINDER_INTERVAL_S` (default 3600: steps are whole days, and a
/// run over the nation's 14 million slots takes minutes) from `KPI_REMINDER_FROM_HOUR` (default
/// 7) Bangkok time, so nobody is woken at night.
struct ReminderSchedule: Service {
    let db: ServiceDatabase
    let before: [Int], after: [Int]
    let interval: Duration
    let fromHour: Int
    let logger: Logger

    init(runtime: ServiceRuntime) throws {
        let env = runtime.config.environment
        func days(_ key: String, _ fallback: String) throws -> [Int] {
            let text = env.string(key, default: fallback)
            let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard values.allSatisfy({ ($0 ?? -1) >= 0 }) else { throw Problem(status: .internalServerError, detail: "\(key) must list whole days, like 7,1") }
            return values.compactMap { $0 }
        }
        db = runtime.db; logger = runtime.logger
        before = try days("KPI_REMINDER_DAYS_BEFORE", "7,1"); after = try days("KPI_REMINDER_DAYS_AFTER", "1,7").filter { $0 > 0 }
        interval = .seconds(try env.int("KPI_REMINDER_INTERVAL_S", default: 3600))
        fromHour = try env.int("KPI_REMINDER_FROM_HOUR", default: 7)
    }

    func run() async throws {
        // Stopping cancels the wait (and a run in progress): the service stops at once.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    var bangkok = Calendar(identifier: .gregorian)
                    bangkok.timeZone = TimeZone(identifier: "Asia/Bangkok")!
                    if bangkok.component(.hour, from: Date()) >= fromHour {
                        let issued = try await issue()
                        if issued > 0 { logger.info("reminders issued", metadata: ["reminders": "\(issued)"]) }
                    }
                } catch where Task.isCancelled {
                    break
                } catch {
                    logger.warning("reminder schedule failed; trying again at its next run", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    static func array(_ values: [Int]) -> String { "{" + values.map(String.init).joined(separator: ",") + "}" }

    /// One run: every reminder due now and not yet told, an area office at a time (a day when
    /// every school of the nation passes a due date is millions of slots, too many for one
    /// statement), then the reviewers' digests. Returns how many events it published.
    func issue() async throws -> Int {
        let areas = try await db.query("""
            SELECT DISTINCT i.area_code FROM view_indicators i JOIN view_rounds r ON r.indicator_id = i.id
            WHERE i.status = 'open' AND r.state = 'open' ORDER BY 1
            """).decode(Int.self)
        var issued = 0
        for area in areas {
            try Task.checkCancellation()
            issued += try await units(area: area)
        }
        return issued + (try await digests())
    }

    /// The reminders of one area's units.
    func units(area: Int) async throws -> Int {
        try await db.transaction { tx in
            let now = Date()
            // Units: each slot's latest step due, logged; what was not logged before is told.
            let rows = try await tx.query("""
                WITH candidates AS (
                    SELECT s.indicator_id, s.seq, s.unit_code, i.year_be, i.area_code, i.number, i.name_th, r.label_th, r.due_on,
                           r.due_on - (now() AT TIME ZONE 'Asia/Bangkok')::date AS days, s.state, s.review_version
                    FROM fig_slots s JOIN view_indicators i ON i.id = s.indicator_id
                    JOIN view_rounds r ON r.indicator_id = s.indicator_id AND r.seq = s.seq
                    WHERE i.area_code = \(area) AND s.assigned AND i.status = 'open' AND r.state = 'open'
                      AND (s.state IS NULL OR s.state IN ('draft', 'returned'))),
                stepped AS (
                    SELECT c.*, CASE
                        WHEN c.state = 'returned' THEN 'returned-' || c.review_version
                        WHEN c.due_on IS NULL THEN NULL
                        WHEN c.days >= 0 THEN 'before-' || (SELECT min(d) FROM unnest(\(Self.array(before))::int[]) d WHERE d >= c.days)
                        ELSE 'after-' || (SELECT max(a) FROM unnest(\(Self.array(after))::int[]) a WHERE a <= -c.days) END AS step
                    FROM candidates c),
                logged AS (
                    INSERT INTO reminder_log (indicator_id, seq, unit_code, step)
                    SELECT indicator_id, seq, unit_code, step FROM stepped WHERE step IS NOT NULL
                    ON CONFLICT DO NOTHING
                    RETURNING indicator_id, seq, unit_code, step)
                SELECT s.year_be, s.area_code, s.unit_code, s.indicator_id, s.seq, s.number, s.name_th, s.label_th, s.due_on::text,
                       split_part(l.step, '-', 1)
                FROM logged l JOIN stepped s ON s.indicator_id = l.indicator_id AND s.seq = l.seq AND s.unit_code = l.unit_code AND s.step = l.step
                ORDER BY s.area_code, s.unit_code, s.year_be, s.due_on, s.number, s.seq
                """).decode((Int, Int, Int, UUID, Int, String, String, String, String?, String).self)
            let kind = ["before": "due_soon", "after": "overdue", "returned": "returned"]
            var events: [RemindersIssuedV1] = []
            for r in rows {
                let item = ReminderItemV1(kind: kind[r.9] ?? r.9, indicatorId: r.3, seq: r.4, number: r.5, nameTh: r.6, roundLabelTh: r.7,
                                          dueOn: r.8, count: nil)
                if let last = events.last, last.yearBE == r.0, last.areaCode == r.1, last.unitCode == r.2 {
                    events[events.count - 1].items.append(item)
                } else {
                    events.append(RemindersIssuedV1(reminderId: UUID(), yearBE: r.0, areaCode: r.1, audience: "reporters", unitCode: r.2,
                                                    workgroupId: nil, items: [item], issuedAt: now))
                }
            }
            try await tx.publishAll(events)
            return events.count
        }
    }

    /// Reviewers: a digest per area, year and workgroup with reports that came since the last.
    func digests() async throws -> Int {
        try await db.transaction { tx in
            let now = Date()
            var events: [RemindersIssuedV1] = []
            let digests = try await tx.query("""
                WITH waiting AS (
                    SELECT i.year_be, i.area_code, coalesce(i.workgroup_id, 0) AS workgroup, sum(c.sent - c.reviewed)::int AS n,
                           sum(c.sent)::bigint AS sent_total
                    FROM fig_round_counts c JOIN view_indicators i ON i.id = c.indicator_id
                    WHERE i.status <> 'hidden'
                    GROUP BY 1, 2, 3 HAVING sum(c.sent - c.reviewed) > 0),
                told AS (
                    INSERT INTO reminder_digests (area_code, year_be, workgroup, sent_total, issued_on)
                    SELECT area_code, year_be, workgroup, sent_total, (now() AT TIME ZONE 'Asia/Bangkok')::date FROM waiting
                    ON CONFLICT (area_code, year_be, workgroup) DO UPDATE SET sent_total = EXCLUDED.sent_total, issued_on = EXCLUDED.issued_on
                    WHERE reminder_digests.sent_total < EXCLUDED.sent_total AND reminder_digests.issued_on < EXCLUDED.issued_on
                    RETURNING area_code, year_be, workgroup)
                SELECT w.year_be, w.area_code, w.workgroup, w.n
                FROM told t JOIN waiting w ON w.area_code = t.area_code AND w.year_be = t.year_be AND w.workgroup = t.workgroup
                ORDER BY 2, 1, 3
                """).decode((Int, Int, Int, Int).self)
            for d in digests {
                events.append(RemindersIssuedV1(
                    reminderId: UUID(), yearBE: d.0, areaCode: d.1, audience: "reviewers", unitCode: nil, workgroupId: d.2 == 0 ? nil : d.2,
                    items: [ReminderItemV1(kind: "waiting", indicatorId: nil, seq: nil, number: "", nameTh: "", roundLabelTh: "", dueOn: nil, count: d.3)],
                    issuedAt: now))
            }
            try await tx.publishAll(events)
            return events.count
        }
    }
}
