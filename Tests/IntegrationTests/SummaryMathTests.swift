import Foundation
import KPIContracts
import KPIPostgres
import KPIRuntime
@testable import StatisticsService
import Testing

/// The annual summary's arithmetic, which PostgreSQL does where the rows are, on a small case
/// checked by hand: statistics' own tables in a scratch schema, filled directly, read by the
/// same `FigureStore` the service answers with.
extension IntegrationSuite {
@Suite struct SummaryMathTests {
    @Test("weighted results: Σ weight × average review on 1–5 ÷ Σ weight over what was reviewed; what remains and is overdue")
    func weightedResultsByHand() async throws {
        let folders = [Migrator.runtimeFolder("UnitDirectory"), Migrator.runtimeFolder("CatalogueView")]
            + [StatisticsService.definition.migrations].compactMap { $0 }
        let scratch = try await ScratchSchema(folders: folders)
        let a = UUID(), b = UUID()
        // Indicator a: scores 1–5, weight 2. Indicator b: a percentage (0–100), weight 1. Area 9.
        for (id, number, weight, min, max) in [(a, "1.1", 2.0, 1.0, 5.0), (b, "1.2", 1.0, 0.0, 100.0)] {
            try await scratch.pool.execute("""
                INSERT INTO view_indicators (id, year_be, area_code, number, name_th, type_code, status, score_min, score_max, whole_numbers,
                                             version, weight, type_name_th)
                VALUES (\(id), 2567, 9, \(number), 'ทดสอบ', 't', 'open', \(min)::numeric, \(max)::numeric, false, 1, \(weight)::numeric, 'ประเภท')
                """)
        }
        // Unit 1: a reviewed twice, 4 and 5 (average 4.5); b reviewed once, 50 (3 on 1–5), and one
        // round of b missing, due 2024-01-01 (overdue). Unit 2: a sent once, not reviewed.
        for (id, unit, assigned, sent, reviewed, missing, due, selfSum, reviewSum) in [
            (a, 1, 2, 2, 2, 0, "{}", 8.0, 9.0), (b, 1, 2, 1, 1, 1, "{2024-01-01}", 60.0, 50.0), (a, 2, 2, 1, 0, 1, "{2099-01-01}", 3.0, 0.0)] {
            try await scratch.pool.execute("""
                INSERT INTO fig_unit_results (indicator_id, unit_code, shown, assigned, sent, reviewed, late, missing, missing_due, self_sum, review_sum)
                VALUES (\(id), \(unit), true, \(assigned), \(sent), \(reviewed), 0, \(missing), \(due)::date[], \(selfSum)::numeric,
                        CASE WHEN \(reviewed) > 0 THEN \(reviewSum)::numeric END)
                """)
        }
        let summary = try await FigureStore(db: scratch.database).areaSummary(yearBE: 2567, area: 9, filter: SummaryFilter())
        // Unit 1: (2 × 4.5 + 1 × 3) ÷ (2 + 1) = 4. Unit 2: nothing reviewed, no result (not 0).
        #expect(summary.units.map(\.unitCode) == [1, 2] && summary.units.map(\.result) == [4, nil])
        #expect(summary.units[0].totals == .init(assigned: 4, sent: 3, reviewed: 3, late: 0, missing: 1, overdue: 1) && summary.units[0].behind)
        #expect(summary.units[1].totals.overdue == 0 && !summary.units[1].behind, "due in 2099 is not overdue")
        // The area: the same four reviewed cells → (2 × 4.5 + 1 × 3) ÷ 3 = 4; indicator a's averages: self 11/3, review 9/2.
        #expect(summary.result == 4 && summary.totals == .init(assigned: 6, sent: 4, reviewed: 3, late: 0, missing: 2, overdue: 1))
        let lineA = try #require(summary.indicators.first { $0.id == a })
        #expect(lineA.reviewAverage == 4.5 && lineA.selfAverage == 11.0 / 3 && lineA.totals.sent == 3)
        #expect(summary.unitsTotal == 2 && summary.behindTotal == 1)
        let behind = try await FigureStore(db: scratch.database).areaSummary(yearBE: 2567, area: 9, filter: SummaryFilter(),
                                                                             units: .init(units: nil, behind: "1"))
        #expect(behind.units.map(\.unitCode) == [1] && behind.unitsTotal == 1)

        // The nation from the per-indicator results: a has 1 reviewed unit averaging 4.5, b 1 at 50.
        try await scratch.pool.execute("""
            INSERT INTO fig_indicator_results (indicator_id, units, reviewed_units, average_sum)
            VALUES (\(a), 2, 1, 4.5), (\(b), 1, 1, 50)
            """)
        let nation = try await FigureStore(db: scratch.database).nationalSummary(yearBE: 2567, filter: SummaryFilter())
        #expect(nation.areas.isEmpty, "no round counted yet: no line")
        try await scratch.pool.execute("""
            INSERT INTO view_rounds (indicator_id, seq, label_th, due_on) VALUES (\(a), 1, 'รอบ 1', '2099-01-01'), (\(b), 1, 'รอบ 1', '2024-01-01')
            """)
        try await scratch.pool.execute("""
            INSERT INTO fig_round_counts (indicator_id, seq, assigned, sent, reviewed, on_time, late, missing)
            VALUES (\(a), 1, 4, 3, 2, 3, 0, 1), (\(b), 1, 2, 1, 1, 1, 0, 1)
            """)
        let nation2 = try await FigureStore(db: scratch.database).nationalSummary(yearBE: 2567, filter: SummaryFilter())
        #expect(nation2.areas.map(\.areaCode) == [9] && nation2.areas.first?.result == 4 && nation2.areas.first?.units == 2)
        #expect(nation2.areas.first?.totals == .init(assigned: 6, sent: 4, reviewed: 3, late: 0, missing: 2, overdue: 1))
        try await scratch.drop()
    }
}
}
