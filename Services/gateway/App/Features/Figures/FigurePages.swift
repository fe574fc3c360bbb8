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
            var empty: Bool; var pager: Pager?; var total: Int; var live: String
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
                    lines.append(Line(text: "★ - \(score(own)) - \(c.reporter.flatMap { names[$0.lowercased()] } ?? "-")", kind: "self"))
                }
                if c.state == "reviewed", let given = c.reviewScore {
                    lines.append(Line(text: "✓ - \(score(given)) - \(c.reviewer.flatMap { names[$0.lowercased()] } ?? "-")", kind: "review"))
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
            total: m.total, live: LiveFigures.url(year: m.indicator.yearBE, area: m.indicator.areaCode)))
    }

    /// A line's counts as the summary and the public page show them.
    struct Counts { var assigned, sent, reviewed, late, missing, overdue: Int; var percent: String; var bar: Int; var overdueShown: Int? }

    static func counts(_ t: AnnualSummary.Totals) -> Counts {
        Counts(assigned: t.assigned, sent: t.sent, reviewed: t.reviewed, late: t.late, missing: t.missing, overdue: t.overdue,
               percent: number(t.sentPercent, digits: 0), bar: Int((t.sentPercent ?? 0).rounded()), overdueShown: t.overdue > 0 ? t.overdue : nil)
    }

    /// Shares of a line's assigned reports sent and reviewed, for a chart.
    static func bar(_ label: String, _ t: AnnualSummary.Totals, result: Double?) -> BarChart.Row {
        let all = Double(max(1, t.assigned))
        return BarChart.Row(label: label, sent: Double(min(t.sent, t.assigned)) * 100 / all, reviewed: Double(min(t.reviewed, t.assigned)) * 100 / all,
                            note: (t.sentPercent.map { number($0, digits: 0) + "%" } ?? "-") + (result.map { " · " + number($0) } ?? ""))
    }

    /// The public statistics page (M20): no person named; the nation by area, or one area by
    /// indicator and unit; charts as SVG.
    static func publicStatistics(_ sum: AnnualSummary, years: [Int], session s: SessionInfo?) -> String {
        struct Year { var year: Int; var href: String; var current: Bool }
        struct Line { var code, name, result, band, href: String; var units: Int?; var counts: Counts }
        struct Model {
            var yearBE: Int; var years: [Year]; var scope: String; var national: Bool; var totals: Counts; var result, band: String
            var chart, chartTitle: String; var areas, indicators, units: [Line]; var empty: Bool; var live: String; var unitPager: Pager?
        }
        let levels = AnnualSummary.resultLevels
        let areaParam = sum.areaCode.map { "&area=\($0)" } ?? ""
        let areas = sum.areas.map {
            Line(code: String($0.areaCode), name: $0.nameTh, result: number($0.result), band: $0.result.map(levels.band) ?? "",
                 href: "/statistics?year=\(sum.yearBE)&area=\($0.areaCode)", units: $0.units, counts: counts($0.totals))
        }
        let indicators = sum.indicators.map {
            Line(code: $0.number, name: $0.nameTh, result: number($0.reviewAverage), band: $0.reviewAverage.map(CriteriaLevels($0.levels).band) ?? "",
                 href: "", units: nil, counts: counts($0.totals))
        }
        let units = sum.units.map {
            Line(code: String($0.unitCode), name: $0.nameTh, result: number($0.result), band: $0.result.map(levels.band) ?? "", href: "",
                 units: nil, counts: counts($0.totals))
        }
        let chartTitle = sum.areaCode == nil ? t("ความก้าวหน้าการรายงานรายเขตพื้นที่") : t("ความก้าวหน้าการรายงานรายตัวชี้วัด")
        let chart = sum.areaCode == nil
            ? BarChart.svg(sum.areas.map { bar("\($0.areaCode) \($0.nameTh)", $0.totals, result: $0.result) }, title: chartTitle)
            : BarChart.svg(sum.indicators.map { bar("\($0.number) \($0.nameTh)", $0.totals, result: $0.reviewAverage) }, title: chartTitle)
        return Views.html("statistics", title: "สถิติผลการรายงานตัวชี้วัด", session: s, Model(
            yearBE: sum.yearBE, years: years.map { Year(year: $0, href: "/statistics?year=\($0)" + areaParam, current: $0 == sum.yearBE) },
            scope: sum.areaCode.map { "\($0) \(sum.areaNameTh)" } ?? t("ทั้งประเทศ"), national: sum.areaCode == nil,
            totals: counts(sum.totals), result: number(sum.result), band: sum.result.map(levels.band) ?? "", chart: chart, chartTitle: chartTitle,
            areas: areas, indicators: indicators, units: units, empty: sum.totals.assigned == 0,
            live: LiveFigures.url(year: sum.yearBE, area: sum.areaCode),
            unitPager: unitPager(sum) { "/statistics?year=\(sum.yearBE)" + areaParam + "&upage=\($0)" }))
    }

    /// The pager of a summary's units (`upage`, 1-based) when they fill more than a page.
    static func unitPager(_ sum: AnnualSummary, link: (Int) -> String) -> Pager? {
        guard let total = sum.unitsTotal, total > AnnualSummary.unitsPage else { return nil }
        let pages = (total + AnnualSummary.unitsPage - 1) / AnnualSummary.unitsPage
        let page = (sum.unitsOffset ?? 0) / AnnualSummary.unitsPage + 1
        return Pager(page: page, pages: pages, total: total, previous: page > 1 ? link(page - 1) : nil, next: page < pages ? link(page + 1) : nil)
    }

    /// The page asked for as an offset into the units.
    static func unitOffset(_ request: Request) -> Int {
        (max(1, request.uri.queryParameters.get("upage").flatMap { Int($0) } ?? 1) - 1) * AnnualSummary.unitsPage
    }

    /// A percentage or result as the summary shows it.
    static func number(_ value: Double?, digits: Int = 2) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "-" }

    /// The annual summary (M19, M21): totals and what remains ("ผลรวม ผลคงเหลือ"), a line per
    /// indicator and per unit (the units behind marked, or alone), or per area for the nation;
    /// results coloured by the criteria levels (B6).
    static func summary(_ sum: AnnualSummary, filter: [String: String], behindOnly: Bool, workgroups: [WorkgroupView], areas: [UnitView],
                        session s: SessionInfo) -> Response {
        struct IndicatorRow { var number: Int; var code, name, typeName, weight, selfAverage, reviewAverage, band: String; var counts: Counts; var matrix: String }
        struct UnitRow { var code: Int; var name, result, band: String; var behind: Bool; var counts: Counts }
        struct AreaRow { var code: Int; var name, result, band: String; var units: Int; var counts: Counts; var link: String }
        struct Model {
            var yearBE: Int; var national, areaChosen, filtered: Bool; var scope: String; var totals: Counts; var result, band: String
            var d1, d2, d3, d4: String; var workgroups, areas: [Option]; var behindOnly: Bool; var behindCount: Int
            var indicators: [IndicatorRow]; var units: [UnitRow]; var areaRows: [AreaRow]; var hasIndicators, hasAreas, empty: Bool
            var behindLink, allLink, csvUnits, csvIndicators, xlsx: String; var live: String; var unitPager: Pager?
        }
        let levels = AnnualSummary.resultLevels
        let indicators = sum.indicators.enumerated().map { n, i in
            IndicatorRow(number: n + 1, code: i.number, name: i.nameTh, typeName: i.typeNameTh, weight: RoundFigures.average(i.weight),
                         selfAverage: number(i.selfAverage), reviewAverage: number(i.reviewAverage),
                         band: i.reviewAverage.map(CriteriaLevels(i.levels).band) ?? "", counts: counts(i.totals),
                         matrix: "/indicators/\(i.id.uuidString.lowercased())/matrix")
        }
        // statistics sends the page of units asked for (the units behind only, when asked).
        let units = sum.units.map {
            UnitRow(code: $0.unitCode, name: $0.nameTh, result: number($0.result), band: $0.result.map(levels.band) ?? "", behind: $0.behind,
                    counts: counts($0.totals))
        }
        let areaName = Dictionary(areas.map { ($0.code, $0.nameTh) }, uniquingKeysWith: { a, _ in a })
        let areaRows = sum.areas.map {
            AreaRow(code: $0.areaCode, name: $0.nameTh.isEmpty ? areaName[$0.areaCode] ?? "" : $0.nameTh, result: number($0.result),
                    band: $0.result.map(levels.band) ?? "", units: $0.units, counts: counts($0.totals), link: "/summary?area=\($0.areaCode)")
        }
        func link(behind: Bool, path: String = "/summary", part: String? = nil) -> String {
            var c = URLComponents()
            c.queryItems = (sum.areaCode != nil && s.user.areaCode == nil ? [URLQueryItem(name: "area", value: String(sum.areaCode!))] : [])
                + filter.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
                + (behind ? [URLQueryItem(name: "behind", value: "1")] : []) + (part.map { [URLQueryItem(name: "part", value: $0)] } ?? [])
            return path + (c.queryItems!.isEmpty ? "" : "?" + (c.percentEncodedQuery ?? ""))
        }
        let scope = sum.areaCode.map { code in "\(code) " + (sum.areaNameTh.isEmpty ? areaName[code] ?? "" : sum.areaNameTh) } ?? t("ทั้งประเทศ")
        return Views.page("summary", title: "สรุปรายงานผล (รายปี)", session: s, Model(
            yearBE: sum.yearBE, national: s.user.areaCode == nil, areaChosen: sum.areaCode != nil, filtered: filter.values.contains { !$0.isEmpty },
            scope: scope, totals: counts(sum.totals),
            result: number(sum.result), band: sum.result.map(levels.band) ?? "",
            d1: filter["d1"] ?? "", d2: filter["d2"] ?? "", d3: filter["d3"] ?? "", d4: filter["d4"] ?? "",
            workgroups: workgroups.map { Option(value: String($0.id), label: $0.nameTh, selected: filter["workgroup"] == String($0.id)) },
            areas: areas.map { Option(value: String($0.code), label: "\($0.code) \($0.nameTh)", selected: $0.code == sum.areaCode) },
            behindOnly: behindOnly, behindCount: sum.behindTotal ?? sum.units.filter(\.behind).count, indicators: indicators, units: units, areaRows: areaRows,
            hasIndicators: !indicators.isEmpty, hasAreas: !areaRows.isEmpty,
            empty: sum.totals.assigned == 0 && sum.indicators.isEmpty && sum.areas.isEmpty, behindLink: link(behind: true), allLink: link(behind: false),
            csvUnits: link(behind: false, path: "/summary.csv"), csvIndicators: link(behind: false, path: "/summary.csv", part: "indicators"),
            xlsx: link(behind: false, path: "/summary.xlsx"), live: LiveFigures.url(year: sum.yearBE, area: sum.areaCode),
            unitPager: unitPager(sum) { let l = link(behind: behindOnly); return l + (l.contains("?") ? "&" : "?") + "upage=\($0)" }))
    }
}
