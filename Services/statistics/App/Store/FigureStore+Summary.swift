import Foundation
import KPIContracts
import KPIPostgres
import KPIRuntime

/// The annual summary (M19, M21): an area office's indicators and units, or the nation's areas.
extension FigureStore {
    /// The indicators taken into account: the year's, of `area` (nil: every area), not hidden,
    /// matching the filter. `i` is view_indicators.
    static func chosen(_ yearBE: Int, area: Int?, _ f: SummaryFilter) -> PostgresQuery {
        func like(_ text: String) -> String? { text.isEmpty ? nil : PostgresQuery.containsPattern(String(text.prefix(100))) }
        let (d1, d2, d3, d4) = (like(f.d1), like(f.d2), like(f.d3), like(f.d4))
        return """
            i.year_be = \(yearBE) AND (\(area)::int IS NULL OR i.area_code = \(area)) AND i.status <> 'hidden'
            AND (\(d1)::text IS NULL OR i.d1 ILIKE \(d1)) AND (\(d2)::text IS NULL OR i.d2 ILIKE \(d2))
            AND (\(d3)::text IS NULL OR i.d3 ILIKE \(d3)) AND (\(d4)::text IS NULL OR i.d4 ILIKE \(d4))
            AND (\(f.workgroup)::int IS NULL OR i.workgroup_id = \(f.workgroup))
            """
    }

    /// Which units an area's summary lists: a page from `offset` (nil: all, for exports), the
    /// units behind only or all.
    struct UnitChoice: Sendable {
        var offset: Int? = 0
        var behindOnly = false
        /// From a request's `units` (an offset, or "all") and `behind` (1).
        init(units: String?, behind: String?) {
            offset = units == "all" ? nil : max(0, units.flatMap { Int($0) } ?? 0)
            behindOnly = behind == "1"
        }
        init() {}
    }

    func summary(yearBE: Int, area: Int?, filter: SummaryFilter, units: UnitChoice = UnitChoice(), actor: Actor) async throws -> AnnualSummary {
        guard actor.reaches(area: area) else { throw Problem(status: .forbidden, detail: "ดูได้เฉพาะเขตพื้นที่ของตนเอง") }
        if let area { return try await areaSummary(yearBE: yearBE, area: area, filter: filter, units: units) }
        return try await nationalSummary(yearBE: yearBE, filter: filter)
    }

    /// One area: a line per indicator and per unit, from each (indicator, unit)'s results
    /// (`fig_unit_results`; what is overdue from the due dates of the rounds still missing).
    func areaSummary(yearBE: Int, area: Int, filter: SummaryFilter, units choice: UnitChoice = UnitChoice()) async throws -> AnnualSummary {
        let indicators = try await db.query("""
            SELECT i.id, i.number, i.name_th, i.type_name_th, i.weight::float8, i.criteria, i.levels::float8[]::text,
                   i.score_min::float8, i.score_max::float8
            FROM view_indicators i WHERE \(fragment: Self.chosen(yearBE, area: area, filter)) ORDER BY i.type_name_th, i.number
            """).decode((UUID, String, String, String, Double, String, String, Double?, Double?).self)
        // Added up in PostgreSQL, per unit, per indicator and in all (GROUPING SETS): an area of
        // hundreds of units and 100 indicators is tens of thousands of (indicator, unit) rows.
        // A weighted result: Σ weight × (average review on 1–5) ÷ Σ weight, over the reviewed.
        let rows = try await db.query("""
            WITH cells AS (
                SELECT x.unit_code, x.indicator_id, x.assigned, x.sent, x.reviewed, x.late, x.missing,
                       width_bucket((now() AT TIME ZONE 'Asia/Bangkok')::date - 1, x.missing_due) AS overdue,
                       x.self_sum, x.review_sum, i.weight,
                       CASE WHEN x.reviewed > 0 THEN
                           CASE WHEN i.score_max > i.score_min THEN 1 + 4 * (x.review_sum / x.reviewed - i.score_min) / (i.score_max - i.score_min)
                                ELSE x.review_sum / x.reviewed END END AS scaled
                FROM view_indicators i JOIN fig_unit_results x ON x.indicator_id = i.id
                WHERE \(fragment: Self.chosen(yearBE, area: area, filter)))
            SELECT grouping(unit_code, indicator_id)::int, unit_code, indicator_id,
                   coalesce(sum(assigned), 0)::int, coalesce(sum(sent), 0)::int, coalesce(sum(reviewed), 0)::int, coalesce(sum(late), 0)::int,
                   coalesce(sum(missing), 0)::int, coalesce(sum(overdue), 0)::int,
                   sum(self_sum)::float8, sum(review_sum)::float8,
                   (sum(weight * scaled) FILTER (WHERE scaled IS NOT NULL) / nullif(sum(weight) FILTER (WHERE scaled IS NOT NULL), 0))::float8
            FROM cells GROUP BY GROUPING SETS ((unit_code), (indicator_id), ())
            """).decode((Int, Int?, UUID?, Int, Int, Int, Int, Int, Int, Double?, Double?, Double?).self)
        func totals(_ r: (Int, Int?, UUID?, Int, Int, Int, Int, Int, Int, Double?, Double?, Double?)) -> AnnualSummary.Totals {
            .init(assigned: r.3, sent: r.4, reviewed: r.5, late: r.6, missing: r.7, overdue: r.8)
        }
        let unitRows = rows.filter { $0.0 == 1 }.sorted { ($0.1 ?? 0) < ($1.1 ?? 0) }
        let all = rows.first { $0.0 == 3 }
        let byIndicator = Dictionary(rows.filter { $0.0 == 2 }.compactMap { r in r.2.map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        let lines = indicators.map { i in
            let r = byIndicator[i.0]
            let t = r.map(totals) ?? SummaryMath.add([])
            return AnnualSummary.IndicatorLine(
                id: i.0, number: i.1, nameTh: i.2, typeNameTh: i.3, weight: i.4, criteria: i.5, levels: Self.levels(i.6), totals: t,
                selfAverage: t.sent > 0 ? (r?.9 ?? 0) / Double(t.sent) : nil, reviewAverage: t.reviewed > 0 ? (r?.10 ?? 0) / Double(t.reviewed) : nil)
        }
        let behind = unitRows.filter { $0.8 > 0 }
        let chosen = choice.behindOnly ? behind : unitRows
        let shown = choice.offset.map { Array(chosen.dropFirst($0).prefix(AnnualSummary.unitsPage)) } ?? chosen
        // Names only of the units shown (and of the area).
        let names = Dictionary(try await db.query("""
            SELECT code, name_th FROM unit_directory
            WHERE code = ANY(string_to_array(\((shown.compactMap { $0.1 } + [area]).map(String.init).joined(separator: ",")), ',')::int[])
            """).decode((Int, String).self), uniquingKeysWith: { a, _ in a })
        let units = shown.map { r in
            AnnualSummary.UnitLine(unitCode: r.1 ?? 0, nameTh: names[r.1 ?? 0] ?? "", totals: totals(r), result: r.11)
        }
        return AnnualSummary(yearBE: yearBE, areaCode: area, areaNameTh: names[area] ?? "", totals: all.map(totals) ?? SummaryMath.add([]),
                             result: all?.11, indicators: lines, units: units, areas: [],
                             unitsTotal: chosen.count, unitsOffset: choice.offset ?? 0, behindTotal: behind.count)
    }

    /// The nation: a line per area, added up from the rounds' counts and the indicators' results
    /// (a year of the whole country is about 100,000 and 25,000 rows; its slots are 14 million).
    /// An area's units are the most units any of its indicators reaches.
    func nationalSummary(yearBE: Int, filter: SummaryFilter) async throws -> AnnualSummary {
        let chosen = Self.chosen(yearBE, area: nil, filter)
        let rows = try await db.query("""
            WITH rounds AS (
                SELECT i.area_code, sum(c.assigned) AS assigned, sum(c.sent) AS sent, sum(c.reviewed) AS reviewed, sum(c.late) AS late,
                       sum(c.missing) AS missing,
                       sum(c.missing) FILTER (WHERE r.due_on < (now() AT TIME ZONE 'Asia/Bangkok')::date) AS overdue
                FROM view_indicators i JOIN fig_round_counts c ON c.indicator_id = i.id
                JOIN view_rounds r ON r.indicator_id = c.indicator_id AND r.seq = c.seq
                WHERE \(fragment: chosen) GROUP BY i.area_code),
            results AS (
                -- Σ weight × (each unit's average on 1–5) ÷ Σ weight × units: the 1–5 scale is linear,
                -- so the sum of the averages is scaled at once.
                SELECT i.area_code, max(x.units) AS units,
                       sum(i.weight * CASE WHEN i.score_max > i.score_min
                                           THEN x.reviewed_units + 4 * (x.average_sum - x.reviewed_units * i.score_min) / (i.score_max - i.score_min)
                                           ELSE x.average_sum END) FILTER (WHERE x.reviewed_units > 0)
                       / nullif(sum(i.weight * x.reviewed_units) FILTER (WHERE x.reviewed_units > 0), 0) AS result
                FROM view_indicators i JOIN fig_indicator_results x ON x.indicator_id = i.id
                WHERE \(fragment: chosen) GROUP BY i.area_code)
            SELECT r.area_code, coalesce(d.name_th, ''), coalesce(x.units, 0)::int, r.assigned::int, r.sent::int, r.reviewed::int,
                   r.late::int, r.missing::int, coalesce(r.overdue, 0)::int, x.result::float8
            FROM rounds r LEFT JOIN results x ON x.area_code = r.area_code LEFT JOIN unit_directory d ON d.code = r.area_code
            ORDER BY r.area_code
            """).decode((Int, String, Int, Int, Int, Int, Int, Int, Int, Double?).self)
        let areas = rows.map {
            AnnualSummary.AreaLine(areaCode: $0.0, nameTh: $0.1, units: $0.2,
                                   totals: .init(assigned: $0.3, sent: $0.4, reviewed: $0.5, late: $0.6, missing: $0.7, overdue: $0.8), result: $0.9)
        }
        return AnnualSummary(yearBE: yearBE, areaCode: nil, totals: SummaryMath.add(areas.map(\.totals)), result: nil,
                             indicators: [], units: [], areas: areas)
    }

    /// Criteria levels as PostgreSQL prints a numeric array ("{2,3,4,5}").
    static func levels(_ array: String) -> [Double] {
        array.trimmingCharacters(in: CharacterSet(charactersIn: "{}")).split(separator: ",").compactMap { Double($0) }
    }
}

/// Totals added up in Swift (the nation's areas). The weighted results are computed in
/// PostgreSQL, where the rows are; `SummaryMathTests` checks them on a small hand-made case.
enum SummaryMath {
    static func add(_ all: [AnnualSummary.Totals]) -> AnnualSummary.Totals {
        all.reduce(AnnualSummary.Totals(assigned: 0, sent: 0, reviewed: 0, late: 0, missing: 0, overdue: 0)) {
            .init(assigned: $0.assigned + $1.assigned, sent: $0.sent + $1.sent, reviewed: $0.reviewed + $1.reviewed, late: $0.late + $1.late,
                  missing: $0.missing + $1.missing, overdue: $0.overdue + $1.overdue)
        }
    }
}
