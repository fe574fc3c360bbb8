import Foundation
import KPIFiles

/// Horizontal bar charts drawn on the server as SVG (M20): no script, readable on a phone, the
/// same in every browser, printable. Each row is a label and up to two shares (0–100): sent
/// (dark) over reviewed (light). Labels are XML-escaped (`Spreadsheet.xml`, as in a workbook); the SVG goes into the page as is.
enum BarChart {
    struct Row { var label: String; var sent: Double; var reviewed: Double; var note: String }

    /// A chart 100 % wide (viewBox 360 units): the label above its bar, the note at its end.
    static func svg(_ rows: [Row], title: String) -> String {
        let rowHeight = 40, width = 360, barWidth = 250.0
        let height = max(1, rows.count) * rowHeight + 8
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"\(Spreadsheet.xml(title))\" class=\"chart\">"
        out += "<title>\(Spreadsheet.xml(title))</title>"
        for (n, row) in rows.enumerated() {
            let y = n * rowHeight
            let sent = max(0, min(100, row.sent)), reviewed = max(0, min(100, row.reviewed))
            out += "<text x=\"0\" y=\"\(y + 14)\" font-size=\"13\" fill=\"#1b2430\">\(Spreadsheet.xml(String(row.label.prefix(44))))</text>"
            out += "<rect x=\"0\" y=\"\(y + 20)\" width=\"\(barWidth)\" height=\"14\" fill=\"#e8edf2\"/>"
            out += "<rect x=\"0\" y=\"\(y + 20)\" width=\"\(String(format: "%.1f", barWidth * sent / 100))\" height=\"14\" fill=\"#0b5cab\"/>"
            out += "<rect x=\"0\" y=\"\(y + 27)\" width=\"\(String(format: "%.1f", barWidth * reviewed / 100))\" height=\"7\" fill=\"#7fc08a\"/>"
            out += "<text x=\"\(Int(barWidth) + 6)\" y=\"\(y + 32)\" font-size=\"13\" fill=\"#5b6675\">\(Spreadsheet.xml(row.note))</text>"
        }
        return out + "</svg>"
    }
}
