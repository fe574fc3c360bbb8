import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime

enum NoticePages {
    /// One line of a notice as the page shows it, with where to act on it.
    static func line(_ item: NoticeList.Item, reporters: Bool) -> (text: String, href: String?) {
        let what = "\(item.number) \(item.nameTh) · \(item.roundLabelTh)"
        let report = item.indicatorId.flatMap { id in item.seq.map { "/reports/\(id.uuidString.lowercased())/\($0)" } }
        switch item.kind {
        case "due_soon": return ("\(what): " + t("ครบกำหนดส่ง") + " " + (item.dueOn.map { ThaiDate.day($0) } ?? ""), reporters ? report : nil)
        case "overdue": return ("\(what): " + t("เลยกำหนดส่ง") + " " + (item.dueOn.map { ThaiDate.day($0) } ?? ""), reporters ? report : nil)
        case "returned": return ("\(what): " + t("ถูกส่งกลับให้แก้ไข"), reporters ? report : nil)
        case "waiting": return (t("รายงานที่รอตรวจ") + ": \(item.count ?? 0)", "/reviews")
        default: return (what, nil)
        }
    }

    static func list(_ s: SessionInfo, _ list: NoticeList, marked: Bool = false) -> Response {
        struct Line { var text: String; var href: String? }
        struct Row { var id, at: String; var unread: Bool; var year: Int; var lines: [Line] }
        struct Model { var csrf: String; var unread: Int; var hasUnread, marked, empty: Bool; var notices: [Row] }
        return Views.page("notices", title: "การแจ้งเตือน", session: s, Model(
            csrf: s.csrf, unread: list.unread, hasUnread: list.unread > 0, marked: marked, empty: list.notices.isEmpty,
            notices: list.notices.map { n in
                Row(id: n.id.uuidString.lowercased(), at: ThaiDate.dateTime(n.createdAt), unread: !n.read, year: n.yearBE,
                    lines: n.items.map { let l = line($0, reporters: n.audience == "reporters"); return Line(text: l.text, href: l.href) })
            }))
    }
}
