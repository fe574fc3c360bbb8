import Foundation
import KPIContracts
import KPIEvents
import KPIPostgres
import KPIRuntime

/// B3: statistics' reminders become notices of the people they concern: a unit's active
/// reporters, or an area's active reviewers (of the workgroup, or all of them for indicators
/// of no workgroup). Who those are is identity's knowledge, so the events name nobody.
enum Notices {
    static let projection = Projection(name: "notices", migrations: nil, tables: []) { handlers in
        handlers.on(RemindersIssuedV1.self) { events, tx in
            for e in events.map(\.event) {
                let items = String(decoding: try JSONEncoder.kpi.encode(e.items), as: UTF8.self)
                try await tx.execute("""
                    INSERT INTO notices (user_id, reminder_id, year_be, audience, items, created_at)
                    SELECT u.id, \(e.reminderId), \(e.yearBE), \(e.audience), \(items)::jsonb, \(e.issuedAt)
                    FROM users u JOIN units n ON n.code = u.unit_code
                    WHERE u.status = 'active'
                      AND CASE \(e.audience)
                          WHEN 'reporters' THEN u.unit_code = \(e.unitCode) AND 'report' = ANY(u.rights)
                          WHEN 'reviewers' THEN (n.area_code = \(e.areaCode) OR u.unit_code = \(e.areaCode)) AND 'review' = ANY(u.rights)
                                                AND (\(e.workgroupId)::int IS NULL OR u.workgroup_id = \(e.workgroupId))
                          ELSE false END
                    ON CONFLICT (user_id, reminder_id) DO NOTHING
                    """)
            }
        }
    }
}

/// A person's notices: the latest, and marking them read.
struct NoticeStore: Sendable {
    let db: ServiceDatabase
    static let page = 50

    func list(user: UUID) async throws -> NoticeList {
        let rows = try await db.query("""
            SELECT id, year_be, audience, items::text, created_at, read_at IS NOT NULL FROM notices
            WHERE user_id = \(user) ORDER BY created_at DESC, id LIMIT \(Self.page)
            """).decode((UUID, Int, String, String, Date, Bool).self)
        let unread = try await db.query("SELECT count(*)::int FROM notices WHERE user_id = \(user) AND read_at IS NULL").decode(Int.self).first ?? 0
        return NoticeList(unread: unread, notices: try rows.map {
            NoticeList.Notice(id: $0.0, yearBE: $0.1, audience: $0.2, items: try JSONDecoder.kpi.decode([NoticeList.Item].self, from: Data($0.3.utf8)),
                              createdAt: $0.4, read: $0.5)
        })
    }

    /// Marks the given notices (all when none given) of `user` read; returns how many.
    func markRead(user: UUID, ids: [UUID]) async throws -> Int {
        let list = ids.map { $0.uuidString.lowercased() }.joined(separator: ",")
        return try await db.query("""
            WITH done AS (
                UPDATE notices SET read_at = now() WHERE user_id = \(user) AND read_at IS NULL
                  AND (\(list) = '' OR id = ANY(string_to_array(nullif(\(list), ''), ',')::uuid[]))
                RETURNING 1)
            SELECT count(*)::int FROM done
            """).decode(Int.self).first ?? 0
    }
}
