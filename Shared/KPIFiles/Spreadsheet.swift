import Foundation

/// Tables for download (B6): CSV that Excel opens with Thai intact (UTF-8 with a byte-order
/// mark, CRLF lines, RFC 4180 quoting) and XLSX workbooks (Office Open XML, the least a
/// spreadsheet program needs: inline strings, one style per colour band, a bold header row).
public enum Spreadsheet {
    /// A cell: text, a number, or either coloured by a band ("band-0" … "band-4").
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        case banded(Double, band: String)
        case empty

        var csv: String {
            switch self {
            case .text(let t): t
            case .number(let n), .banded(let n, _): n.rounded() == n && abs(n) < 1e15 ? String(Int(n)) : String(format: "%.2f", n)
            case .empty: ""
            }
        }
    }

    public struct Sheet: Sendable {
        public var name: String
        public var header: [String]
        public var rows: [[Cell]]
        public init(name: String, header: [String], rows: [[Cell]]) { self.name = name; self.header = header; self.rows = rows }
    }

    /// The sheet as CSV bytes.
    public static func csv(_ sheet: Sheet) -> [UInt8] {
        func field(_ text: String) -> String {
            // A leading =, +, - or @ would be read as a formula by a spreadsheet: quoted with a
            // leading apostrophe (OWASP's CSV injection advice).
            var t = text
            if let first = t.first, "=+-@\t\r".contains(first), Double(t) == nil { t = "'" + t }
            return t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || t != text
                ? "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : t
        }
        var out = "\u{FEFF}" + sheet.header.map(field).joined(separator: ",") + "\r\n"
        for row in sheet.rows { out += row.map { field($0.csv) }.joined(separator: ",") + "\r\n" }
        return Array(out.utf8)
    }

    /// The sheets as one XLSX workbook.
    public static func xlsx(_ sheets: [Sheet]) -> [UInt8] {
        var entries: [(name: String, bytes: [UInt8])] = []
        let overrides = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        entries.append(("[Content_Types].xml", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\(overrides)</Types>
            """.utf8)))
        entries.append(("_rels/.rels", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """.utf8)))
        let sheetList = sheets.enumerated().map { n, sheet in
            "<sheet name=\"\(xml(String(sheetName(sheet.name))))\" sheetId=\"\(n + 1)\" r:id=\"rId\(n + 1)\"/>"
        }.joined()
        entries.append(("xl/workbook.xml", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(sheetList)</sheets></workbook>
            """.utf8)))
        let rels = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined() + "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        entries.append(("xl/_rels/workbook.xml.rels", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels)</Relationships>
            """.utf8)))
        entries.append(("xl/styles.xml", Array(styles.utf8)))
        for (n, sheet) in sheets.enumerated() { entries.append(("xl/worksheets/sheet\(n + 1).xml", Array(worksheet(sheet).utf8))) }
        return ZipStream.archive(entries)
    }

    /// The bands' fills, the same colours as the pages (style 1 is the bold header; 2–6 the bands).
    static let bandColours = ["FFFDE2E1", "FFFFF1D6", "FFFDF9C4", "FFE3F4D7", "FFC9EBD0"]
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Tahoma"/></font><font><b/><sz val="11"/><name val="Tahoma"/></font></fonts><fills count="\(2 + bandColours.count)"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\(bandColours.map { "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"\($0)\"/></patternFill></fill>" }.joined())</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="\(2 + bandColours.count)"><xf/><xf fontId="1" applyFont="1"/>\(bandColours.indices.map { "<xf fillId=\"\($0 + 2)\" applyFill=\"1\"/>" }.joined())</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """

    static func worksheet(_ sheet: Sheet) -> String {
        var rows = "<row r=\"1\">" + sheet.header.enumerated().map { "<c r=\"\(column($0.offset))1\" t=\"inlineStr\" s=\"1\"><is><t>\(xml($0.element))</t></is></c>" }.joined() + "</row>"
        for (n, row) in sheet.rows.enumerated() {
            let r = n + 2
            rows += "<row r=\"\(r)\">"
            for (c, cell) in row.enumerated() {
                let ref = "\(column(c))\(r)"
                switch cell {
                case .text(let t): rows += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(xml(t))</t></is></c>"
                case .number(let v): rows += "<c r=\"\(ref)\"><v>\(v)</v></c>"
                case .banded(let v, let band):
                    let style = Int(band.dropFirst(5)).map { min(max($0, 0), bandColours.count - 1) + 2 }
                    rows += "<c r=\"\(ref)\"" + (style.map { " s=\"\($0)\"" } ?? "") + "><v>\(v)</v></c>"
                case .empty: break
                }
            }
            rows += "</row>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>\(rows)</sheetData></worksheet>
            """
    }

    /// A, B, … Z, AA, AB, … (0-based).
    static func column(_ n: Int) -> String {
        var n = n + 1, out = ""
        while n > 0 { let r = (n - 1) % 26; out = String(UnicodeScalar(UInt8(65 + r))) + out; n = (n - 1) / 26 }
        return out
    }

    /// Text fit for XML (a sheet, an SVG chart): the five escapes, and characters XML 1.0
    /// forbids dropped.
    public static func xml(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default: if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Excel's rules for a sheet's name: at most 31 UTF-16 units (Thai vowels and tone marks
    /// count one each), none of : \\ / ? * [ ].
    static func sheetName(_ name: String) -> String {
        var out = ""
        for ch in name where !":\\/?*[]".contains(ch) {
            if out.utf16.count + String(ch).utf16.count > 31 { break }
            out.append(ch)
        }
        return out
    }
}
