import Foundation
import KPIContracts
import KPIPostgres
import KPIRuntime

/// Reads the figures `ReportFigures` keeps, for people signed in: the counters of an area's
/// indicator list and the matrix of one indicator. Everyone sees only their own area's figures
/// (the nation's staff any area's); hidden indicators only those who define indicators.
struct FigureStore: Sendable {
    let db: ServiceDatabase

    static let notFound = Problem(status: .notFound, title: "Not found", detail: "ไม่พบตัวชี้วัดนี้")

    /// Units per page of the matrix: a page stays small on a phone whatever the area's size.
    static let matrixPage = 100

    /// The counters of every round of the area's indicators of one year.
    func rounds(yearBE: Int, area: Int, actor: Actor) async throws -> [RoundFigures] {
        guard actor.reaches(area: area) else { throw Problem(status: .forbidden, detail: "ดูได้เฉพาะเขตพื้นที่ของตนเอง") }
        return try await db.query("""
            SELECT c.indicator_id, c.seq, c.assigned, c.sent, c.reviewed, c.on_time, c.late, c.self_average::float8, c.review_average::float8
            FROM fig_round_counts c JOIN view_indicators i ON i.id = c.indicator_id
            WHERE i.year_be = \(yearBE) AND i.area_code = \(area) AND (i.status <> 'hidden' OR \(actor.has(.defineIndicators)))
            ORDER BY c.indicator_id, c.seq
            """).decode((UUID, Int, Int, Int, Int, Int, Int, Double?, Double?).self).map {
                RoundFigures(indicatorId: $0.0, seq: $0.1, assigned: $0.2, sent: $0.3, reviewed: $0.4, onTime: $0.5, late: $0.6,
                             selfAverage: $0.7, reviewAverage: $0.8)
            }
    }

    /// The units × rounds of one indicator (M11): every unit assigned to a round or with a
    /// report in one, by unit code, `matrixPage` units from `offset`.
    func matrix(indicator id: UUID, offset: Int, actor: Actor) async throws -> Matrix {
        guard let i = try await db.query("""
            SELECT id, year_be, area_code, number, name_th, type_name_th, criteria, levels::float8[]::text, status FROM view_indicators WHERE id = \(id)
            """).decode((UUID, Int, Int, String, String, String, String, String, String).self).first,
              actor.reaches(area: i.2), i.8 != "hidden" || actor.has(.defineIndicators) else { throw Self.notFound }
        let rounds = try await db.query("""
            SELECT seq, label_th, due_on::text FROM view_rounds WHERE indicator_id = \(id) ORDER BY seq
            """).decode((Int, String, String?).self).map { Matrix.Round(seq: $0.0, labelTh: $0.1, dueOn: $0.2) }
        let offset = max(0, offset)
        // The indicator's units as its results list them (in order by the key), and each one's
        // slots by the slots' key: a page costs the same for 35,000 units as for 30.
        let total = try await db.query("""
            SELECT count(*)::int FROM fig_unit_results WHERE indicator_id = \(id) AND shown
            """).decode(Int.self).first ?? 0
        let cells = try await db.query("""
            WITH units AS (
                SELECT unit_code FROM fig_unit_results WHERE indicator_id = \(id) AND shown
                ORDER BY unit_code OFFSET \(offset) LIMIT \(Self.matrixPage))
            SELECT u.unit_code, coalesce(d.name_th, ''), s.seq, s.assigned, s.state, s.self_score::float8, s.review_score::float8, s.late,
                   s.reporter, s.reviewer, s.confirmed_at, s.reviewed_at
            FROM units u LEFT JOIN unit_directory d ON d.code = u.unit_code
            CROSS JOIN view_rounds r
            JOIN fig_slots s ON s.indicator_id = r.indicator_id AND s.seq = r.seq AND s.unit_code = u.unit_code
            WHERE r.indicator_id = \(id)
            ORDER BY u.unit_code, s.seq
            """).decode((Int, String, Int, Bool, String?, Double?, Double?, Bool, String?, String?, Date?, Date?).self)
        var rows: [Matrix.Row] = []
        for c in cells {
            // A review's score shows only while it stands; a draft's self score is not yet sent.
            let sent = c.4 == "waiting" || c.4 == "reviewed"
            let cell = Matrix.Cell(seq: c.2, assigned: c.3, state: c.4, selfScore: sent ? c.5 : nil, reviewScore: c.4 == "reviewed" ? c.6 : nil,
                                   late: sent && c.7, reporter: sent ? c.8 : nil, reviewer: c.4 == "reviewed" ? c.9 : nil,
                                   confirmedAt: sent ? c.10 : nil, reviewedAt: c.4 == "reviewed" ? c.11 : nil)
            if rows.last?.unitCode == c.0 { rows[rows.count - 1].cells.append(cell) }
            else { rows.append(Matrix.Row(unitCode: c.0, unitNameTh: c.1, cells: [cell])) }
        }
        return Matrix(indicator: Matrix.Indicator(id: i.0, yearBE: i.1, areaCode: i.2, number: i.3, nameTh: i.4, typeNameTh: i.5,
                                                  criteria: i.6, levels: Self.levels(i.7)),
                      rounds: rounds, rows: rows, total: total, offset: offset, pageSize: Self.matrixPage)
    }
}
