import Foundation
import KPIContracts
import KPIPostgres
import KPIRuntime

/// B3: what each person should act on, from the same slots as every other figure.
extension FigureStore {
    func reminders(yearBE: Int, actor: Actor) async throws -> Reminders {
        var toSend: [Reminders.Due] = []
        if actor.has(.report) {
            // Open rounds of open indicators the unit is assigned to and has not sent: due within
            // `aheadDays` or overdue; and whatever a reviewer returned for revision.
            toSend = try await db.query("""
                SELECT i.id, s.seq, i.number, i.name_th, r.label_th, r.due_on::text,
                       coalesce(r.due_on < (now() AT TIME ZONE 'Asia/Bangkok')::date, false), coalesce(s.state = 'returned', false)
                FROM fig_slots s JOIN view_indicators i ON i.id = s.indicator_id
                JOIN view_rounds r ON r.indicator_id = s.indicator_id AND r.seq = s.seq
                WHERE s.unit_code = \(actor.unitCode) AND s.assigned AND i.year_be = \(yearBE) AND i.status = 'open' AND r.state = 'open'
                  AND (s.state IS NULL OR s.state IN ('draft', 'returned'))
                  AND (s.state = 'returned' OR r.due_on <= (now() AT TIME ZONE 'Asia/Bangkok')::date + \(Reminders.aheadDays)::int)
                ORDER BY s.state = 'returned' DESC, r.due_on, i.number, s.seq
                LIMIT 50
                """).decode((UUID, Int, String, String, String, String?, Bool, Bool).self).map {
                    Reminders.Due(indicatorId: $0.0, seq: $0.1, number: $0.2, nameTh: $0.3, roundLabelTh: $0.4, dueOn: $0.5, overdue: $0.6, returned: $0.7)
                }
        }
        var waiting: Int?
        if actor.has(.review) {
            // The reports review would put in this reviewer's queue: their area, their workgroup's
            // indicators (or those without one; an administrator: all).
            waiting = try await db.query("""
                SELECT count(*)::int FROM fig_slots s JOIN view_indicators i ON i.id = s.indicator_id
                WHERE s.state = 'waiting' AND i.year_be = \(yearBE) AND (\(actor.areaCode)::int IS NULL OR i.area_code = \(actor.areaCode))
                  AND (i.workgroup_id IS NULL OR i.workgroup_id = \(actor.workgroupId) OR \(actor.has(.administer)))
                """).decode(Int.self).first ?? 0
        }
        return Reminders(toSend: toSend, waitingForReview: waiting)
    }
}
