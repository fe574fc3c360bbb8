import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime

/// The figures pages' models: what each cell and line says, in the manual's words.
enum FigurePages {
    /// A score as the matrix shows it: "4.00".
    static func score(_ value: Double) -> String { String(format: "%.2f", value) }

    /// The matrix (M11): a row per unit, a column per round; a cell "★ - 4.00 - <reporter>"
    /// (sent, self score), "✓ - 3.00 - <reviewer>" (reviewed), "รอตรวจ", "รอส่ง", and "เปิด".
    static func matrix(_ m: Matrix, names: [String: String], page: Int, session s: SessionInfo) -> Response {
        struct Line { var text: String; var kind: String }
        struct Cell { var lines: [Line]; var band: String; var late: Bool; var open: String?; var empty: Bool }
        struct Row { var code: Int; var name: String; var cells: [Cell] }
        struct Round { var label: String; var due: String? }
        struct Model {
            var id, number, name, typeName, criteria: String; var yearBE: Int; var rounds: [Round]; var rows: [Row]
            var empty: Bool; var pager: Pager?; var total: Int
        }
        let levels = CriteriaLevels(m.indicator.levels)
        let mayOpenAny = s.has(.review) || s.has(.seeAllUnits)
        let rows = m.rows.map { row in
            Row(code: row.unitCode, name: row.unitNameTh, cells: m.rounds.map { round in
                guard let c = row.cells.first(where: { $0.seq == round.seq }), c.assigned || c.state != nil else {
                    return Cell(lines: [], band: "", late: false, open: nil, empty: true)
                }
                var lines: [Line] = []
                let sent = c.state == "waiting" || c.state == "reviewed"
                if sent, let own = c.selfScore {
                    lines.append(Line(text: "★ - \(score(own)) - \(c.reporter.flatMap { names[$0] } ?? "-")", kind: "self"))
                }
                if c.state == "reviewed", let given = c.reviewScore {
                    lines.append(Line(text: "✓ - \(score(given)) - \(c.reviewer.flatMap { names[$0] } ?? "-")", kind: "review"))
                }
                if c.state == "waiting" { lines.append(Line(text: t("รอตรวจ"), kind: "waiting")) }
                if c.state == "returned" { lines.append(Line(text: t("ส่งกลับแก้ไขแล้ว"), kind: "returned")) }
                if !sent { lines.append(Line(text: t("รอส่ง"), kind: "missing")) }
                let mayOpen = c.state != nil && (mayOpenAny || row.unitCode == s.user.unitCode)
                return Cell(lines: lines, band: c.state == "reviewed" ? c.reviewScore.map(levels.band) ?? "" : "", late: c.late,
                            open: mayOpen ? "/reports/\(m.indicator.id.uuidString.lowercased())/\(round.seq)?unit=\(row.unitCode)" : nil, empty: false)
            })
        }
        let pages = max(1, (m.total + m.pageSize - 1) / m.pageSize)
        let link = { (p: Int) in "/indicators/\(m.indicator.id.uuidString.lowercased())/matrix?page=\(p)" }
        return Views.page("matrix", title: "แสดงข้อมูลทุกรอบรายงาน", session: s, Model(
            id: m.indicator.id.uuidString.lowercased(), number: m.indicator.number, name: m.indicator.nameTh, typeName: m.indicator.typeNameTh,
            criteria: m.indicator.criteria, yearBE: m.indicator.yearBE,
            rounds: m.rounds.map { Round(label: $0.labelTh, due: $0.dueOn.map { ThaiDate.day($0) }) }, rows: rows, empty: rows.isEmpty,
            pager: pages > 1 ? Pager(page: page, pages: pages, total: m.total, previous: page > 1 ? link(page - 1) : nil,
                                     next: page < pages ? link(page + 1) : nil) : nil,
            total: m.total))
    }
}
