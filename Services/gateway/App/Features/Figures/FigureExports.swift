import Foundation
import HTTPTypes
import Hummingbird
import KPIContracts
import KPIFiles
import KPIRuntime

/// The matrix and the annual summary as CSV and XLSX (B6): Thai text intact, dates in พ.ศ.,
/// results coloured by the criteria levels in XLSX. Built from the same answers as the pages.
enum FigureExports {
    enum Format: String { case csv, xlsx }

    static let stateTh = ["reviewed": "ตรวจแล้ว", "waiting": "รอตรวจ", "returned": "ส่งกลับแก้ไขแล้ว", "draft": "รอส่ง"]

    /// One row per unit and round: who sent what and when, the review and the level it reached.
    static func matrixSheet(_ m: Matrix, names: [String: String]) -> Spreadsheet.Sheet {
        let levels = CriteriaLevels(m.indicator.levels)
        let rounds = Dictionary(m.rounds.map { ($0.seq, $0.labelTh) }, uniquingKeysWith: { a, _ in a })
        var rows: [[Spreadsheet.Cell]] = []
        for row in m.rows {
            for c in row.cells where c.assigned || c.state != nil {
                func cell(_ v: Double?) -> Spreadsheet.Cell { v.map { .number($0) } ?? .empty }
                func who(_ id: String?) -> Spreadsheet.Cell { id.map { .text(names[$0.lowercased()] ?? "") } ?? .empty }
                func when(_ d: Date?) -> Spreadsheet.Cell { d.map { .text(ThaiDate.dateTime($0, in: .th)) } ?? .empty }
                rows.append([.number(Double(row.unitCode)), .text(row.unitNameTh), .text(rounds[c.seq] ?? String(c.seq)),
                             .text(c.state.flatMap { stateTh[$0] } ?? "รอส่ง"), cell(c.selfScore), who(c.reporter), when(c.confirmedAt),
                             .text(c.late ? "ล่าช้า" : ""),
                             c.reviewScore.map { .banded($0, band: levels.band($0)) } ?? .empty, who(c.reviewer), when(c.reviewedAt),
                             c.reviewScore.flatMap(levels.reached).map { .number(levels.levels[$0]) } ?? .empty])
            }
        }
        return Spreadsheet.Sheet(name: "\(m.indicator.number) ทุกรอบรายงาน",
                                 header: ["รหัสหน่วยงาน", "หน่วยงาน", "รอบรายงาน", "สถานะ", "ประเมินตนเอง", "ผู้ส่ง", "วันที่ส่ง (พ.ศ.)", "ส่งล่าช้า",
                                          "ผลการประเมิน", "ผู้ตรวจ", "วันที่ตรวจ (พ.ศ.)", "ระดับตามเกณฑ์"],
                                 rows: rows)
    }

    /// The summary's lines: indicators and units of an area, or the nation's areas.
    static func summarySheets(_ sum: AnnualSummary) -> [Spreadsheet.Sheet] {
        let totalsHeader = ["ต้องส่ง", "ส่งแล้ว", "ตรวจแล้ว", "ส่งล่าช้า", "คงเหลือ", "เลยกำหนด"]
        func totals(_ t: AnnualSummary.Totals) -> [Spreadsheet.Cell] {
            [t.assigned, t.sent, t.reviewed, t.late, t.missing, t.overdue].map { .number(Double($0)) }
        }
        func result(_ v: Double?, _ levels: CriteriaLevels) -> Spreadsheet.Cell { v.map { .banded(($0 * 100).rounded() / 100, band: levels.band($0)) } ?? .empty }
        if sum.areaCode == nil {
            return [Spreadsheet.Sheet(name: "เขตพื้นที่ \(sum.yearBE)", header: ["รหัสเขต", "เขตพื้นที่", "หน่วยงาน"] + totalsHeader + ["ผลถ่วงน้ำหนัก (1–5)"],
                                      rows: sum.areas.map { [.number(Double($0.areaCode)), .text($0.nameTh), .number(Double($0.units))] + totals($0.totals)
                                          + [result($0.result, AnnualSummary.resultLevels)] })]
        }
        return [
            Spreadsheet.Sheet(name: "หน่วยงาน \(sum.yearBE)", header: ["รหัสหน่วยงาน", "หน่วยงาน"] + totalsHeader + ["ผลถ่วงน้ำหนัก (1–5)", "ค้างส่งเลยกำหนด"],
                              rows: sum.units.map { [.number(Double($0.unitCode)), .text($0.nameTh)] + totals($0.totals)
                                  + [result($0.result, AnnualSummary.resultLevels), .text($0.behind ? "ค้างส่ง" : "")] }),
            Spreadsheet.Sheet(name: "ตัวชี้วัด \(sum.yearBE)", header: ["เลขตัวชี้วัด", "ตัวชี้วัด", "ประเภท", "น้ำหนัก", "เกณฑ์"] + totalsHeader
                                  + ["ค่าเฉลี่ยประเมินตนเอง", "ค่าเฉลี่ยผลการประเมิน"],
                              rows: sum.indicators.map { i in
                                  [.text(i.number), .text(i.nameTh), .text(i.typeNameTh), .number(i.weight), .text(i.criteria)] + totals(i.totals)
                                      + [i.selfAverage.map { .number(($0 * 100).rounded() / 100) } ?? .empty, result(i.reviewAverage, CriteriaLevels(i.levels))]
                              }),
        ]
    }

    /// The download: CSV of the first sheet (or the one named by `part`), or the whole workbook.
    static func response(_ sheets: [Spreadsheet.Sheet], format: Format, fileName: String, part: Int = 0) -> Response {
        let bytes = format == .csv ? Spreadsheet.csv(sheets[min(max(part, 0), sheets.count - 1)]) : Spreadsheet.xlsx(sheets)
        let headers: HTTPFields = [
            .contentType: format == .csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            .contentDisposition: Download.disposition(fileName + "." + format.rawValue),
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            .cacheControl: "private, no-store",
        ]
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
