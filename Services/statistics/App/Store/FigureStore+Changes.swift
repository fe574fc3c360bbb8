import Foundation
import KPIContracts
import KPIPostgres
import KPIRuntime

/// B9: when each area's figures last changed (`fig_area_changes`, written as the counts settle).
extension FigureStore {
    /// Changes after `since` (microseconds since 1970), and the time to ask from next. A change
    /// is stamped before its transaction commits, so a later commit can carry an earlier stamp:
    /// the window reaches back `FigureChanges.overlapMicros`, and the reader drops what it saw.
    func changes(since: Int64?) async throws -> FigureChanges {
        let rows = try await db.query("""
            SELECT area_code, year_be, (extract(epoch FROM changed_at) * 1000000)::int8, (extract(epoch FROM clock_timestamp()) * 1000000)::int8
            FROM fig_area_changes
            WHERE \(since)::int8 IS NOT NULL AND changed_at > to_timestamp((\(since)::int8 - \(FigureChanges.overlapMicros)::int8) / 1000000.0)
            ORDER BY changed_at LIMIT 1000
            """).decode((Int, Int, Int64, Int64).self)
        var now = rows.first?.3 ?? 0
        if rows.isEmpty {
            now = try await db.query("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::int8").decode(Int64.self).first ?? 0
        }
        return FigureChanges(now: now, changes: rows.map { .init(areaCode: $0.0, yearBE: $0.1, at: $0.2) })
    }
}
