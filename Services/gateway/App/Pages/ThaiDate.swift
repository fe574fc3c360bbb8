import Foundation

/// Dates as people here read them: in the Thai UI the Buddhist era (พ.ศ. = C.E. + 543) and Thai
/// month abbreviations, in the English UI C.E.; clock times in Thailand's time (UTC+7).
enum ThaiDate {
    static let thaiMonths = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
    static let englishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Asia/Bangkok")!
        return c
    }

    /// "27 พ.ย. 2569" (Thai) or "27 Nov 2026" (English).
    static func date(_ date: Date, in language: Language = Language.current) -> String {
        let d = calendar.dateComponents([.year, .month, .day], from: date)
        let (year, month, day) = (d.year ?? 0, (d.month ?? 1) - 1, d.day ?? 0)
        return language == .th ? "\(day) \(thaiMonths[month]) \(year + 543)" : "\(day) \(englishMonths[month]) \(year)"
    }

    /// "27 พ.ย. 2569 17:42".
    static func dateTime(_ date: Date, in language: Language = Language.current) -> String {
        let t = calendar.dateComponents([.hour, .minute], from: date)
        return self.date(date, in: language) + String(format: " %02d:%02d", t.hour ?? 0, t.minute ?? 0)
    }
}
