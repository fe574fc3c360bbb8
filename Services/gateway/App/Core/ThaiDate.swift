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

    /// A calendar day as services send it ("2023-10-01") shown the same way ("1 ต.ค. 2566");
    /// anything else is shown as it came.
    static func day(_ isoDay: String, in language: Language = Language.current) -> String {
        let parts = isoDay.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return isoDay }
        return language == .th ? "\(parts[2]) \(thaiMonths[parts[1] - 1]) \(parts[0] + 543)"
            : "\(parts[2]) \(englishMonths[parts[1] - 1]) \(parts[0])"
    }

    /// "27 พ.ย. 2569 17:42".
    static func dateTime(_ date: Date, in language: Language = Language.current) -> String {
        let t = calendar.dateComponents([.hour, .minute], from: date)
        return self.date(date, in: language) + String(format: " %02d:%02d", t.hour ?? 0, t.minute ?? 0)
    }

    /// The fiscal year (ปีงบประมาณ, พ.ศ.) a day falls in: it starts on 1 October, so
    /// 1 Oct 2023 is in 2567.
    static func fiscalYearBE(_ date: Date) -> Int {
        let d = calendar.dateComponents([.year, .month], from: date)
        return (d.year ?? 0) + 543 + ((d.month ?? 1) >= 10 ? 1 : 0)
    }
}
