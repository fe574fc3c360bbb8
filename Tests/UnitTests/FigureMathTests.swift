import Foundation
import KPIContracts
@testable import KPIFiles
import KPIPostgres
@testable import StatisticsService
import Testing

/// The figures' arithmetic on small cases checked by hand: the manual's round line, criteria
/// levels and their colours, what remains, and the weighted result.
@Suite struct FigureMathTests {
    let a = UUID(), b = UUID()

    @Test("the round line reads as the manual's: [2/2/32] --- [3.5, 3]")
    func roundLine() {
        let f = RoundFigures(indicatorId: a, seq: 1, assigned: 32, sent: 2, reviewed: 2, onTime: 2, late: 0, selfAverage: 3.5, reviewAverage: 3)
        #expect(f.counters == "[2/2/32] --- [3.5, 3]")
        #expect(RoundFigures(indicatorId: a, seq: 1, assigned: 5, sent: 3, reviewed: 0, onTime: 3, late: 0, selfAverage: 11.0 / 3, reviewAverage: nil)
            .counters == "[3/0/5] --- [3.67, -]")
    }

    @Test("criteria levels come from the criteria text; a score reaches the highest level not above it")
    func levels() {
        let l = CriteriaLevels(parsing: "[2] --> [3] --> [4] --> [5]")
        #expect(l.levels == [2, 3, 4, 5])
        #expect(l.reached(1.9) == nil && l.reached(2) == 0 && l.reached(3.99) == 1 && l.reached(5) == 3)
        #expect([1.0, 2, 3, 4, 5].map(l.band) == ["band-0", "band-1", "band-2", "band-3", "band-4"])
        #expect(CriteriaLevels(parsing: "ร้อยละ 60 --> 70 --> 80.5").levels == [60, 70, 80.5])
        #expect(CriteriaLevels(parsing: "").levels.isEmpty && CriteriaLevels(parsing: "").band(3) == "band-none")
        // Numbers that do not rise are not levels (a date or a note in the text).
        #expect(CriteriaLevels(parsing: "[3] --> [2]").levels == [3])
    }

    @Test("scores are put on the 1–5 scale by their type's range")
    func scale() {
        #expect(AnnualSummary.onFivePointScale(75, min: 0, max: 100) == 4)
        #expect(AnnualSummary.onFivePointScale(1, min: 0, max: 1) == 5)
        #expect(AnnualSummary.onFivePointScale(3, min: 1, max: 5) == 3)
        #expect(AnnualSummary.onFivePointScale(3, min: nil, max: nil) == 3)
    }

    @Test("what remains adds up; one overdue makes a unit behind (the weighted results: SummaryMathTests, in PostgreSQL)")
    func totalsAddUp() {
        let cells = [AnnualSummary.Totals(assigned: 2, sent: 2, reviewed: 2, late: 0, missing: 0, overdue: 0),
                     AnnualSummary.Totals(assigned: 2, sent: 1, reviewed: 1, late: 0, missing: 1, overdue: 1)]
        let t = SummaryMath.add(cells)
        #expect(t.assigned == 4 && t.sent == 3 && t.reviewed == 3 && t.missing == 1 && t.overdue == 1 && t.sentPercent == 75)
        #expect(AnnualSummary.UnitLine(unitCode: 1, nameTh: "", totals: t, result: 4).behind)
        #expect(!AnnualSummary.UnitLine(unitCode: 1, nameTh: "", totals: cells[0], result: 4).behind)
    }

    @Test("a query embedded in another keeps its values as renumbered parameters")
    func fragments() {
        let inner: PostgresQuery = "i.year_be = \(2567) AND i.d1 ILIKE \("%x%")"
        let outer: PostgresQuery = "SELECT \(1) WHERE \(fragment: inner) AND u = \(7)"
        #expect(outer.sql == "SELECT $1 WHERE i.year_be = $2 AND i.d1 ILIKE $3 AND u = $4")
        #expect(outer.binds == ["1", "2567", "%x%", "7"])
    }
}

/// Downloads (B6): CSV that keeps Thai and refuses formula injection; an XLSX that is a ZIP
/// our own upload check takes for a spreadsheet.
@Suite struct SpreadsheetTests {
    let sheet = Spreadsheet.Sheet(name: "ตัวชี้วัด 1.1 [ทุกรอบ]: ยาวเกินสามสิบเอ็ดตัวอักษรแน่นอน", header: ["หน่วยงาน", "ผล"], rows: [
        [.text("กำแพงเพชรพิทยาคม, \"ใหม่\""), .banded(4.5, band: "band-3")],
        [.text("=HYPERLINK(\"x\")"), .number(3)],
        [.text("-5"), .empty],
    ])

    @Test("CSV: a byte-order mark, Thai intact, quotes doubled, formulas defused, numbers as numbers")
    func csv() {
        let text = String(decoding: Spreadsheet.csv(sheet), as: UTF8.self)
        #expect(text.hasPrefix("\u{FEFF}หน่วยงาน,ผล\r\n"))
        #expect(text.contains("\"กำแพงเพชรพิทยาคม, \"\"ใหม่\"\"\",4.50\r\n"))
        #expect(text.contains("\"'=HYPERLINK(\"\"x\"\")\",3\r\n"))
        #expect(text.hasSuffix("-5,\r\n"), "a negative number is a number, not a formula")
    }

    @Test("XLSX: a well-formed ZIP with the workbook's parts, read back and taken as xlsx by the upload check")
    func xlsx() throws {
        let bytes = Spreadsheet.xlsx([sheet, Spreadsheet.Sheet(name: "หน่วยงาน", header: ["a"], rows: [])])
        let entries = try #require(try ZipEntries.read(size: Int64(bytes.count)) { offset, length in Array(bytes[Int(offset)..<Int(offset) + length]) })
        #expect(entries.names == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                                  "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"])
        #expect(ContentKind.sniff(head: Array(bytes.prefix(64)), zipEntries: { entries }) == .xlsx)
        let text = String(decoding: bytes, as: UTF8.self)
        let name = Spreadsheet.sheetName(sheet.name)
        #expect(name.hasPrefix("ตัวชี้วัด 1.1 ทุกรอบ ยาว") && name.utf16.count <= 31 && name.utf16.count >= 29, "Excel counts UTF-16 units")
        #expect(text.contains("<sheet name=\"\(name)\"") && text.contains("&quot;ใหม่&quot;"))
        #expect(text.contains("<c r=\"B2\" s=\"5\"><v>4.5</v></c>"), "4.5 in band 3 gets the band's fill")
        #expect(Spreadsheet.column(0) == "A" && Spreadsheet.column(25) == "Z" && Spreadsheet.column(26) == "AA" && Spreadsheet.column(701) == "ZZ")
    }
}
