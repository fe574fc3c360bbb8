import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime

/// The reviewer's queue (M16): confirmed reports waiting for review, oldest first, or those
/// reviewed; filters by indicator, round and unit; one score for the ticked ones (B5); the ZIP
/// of a round's evidence once one indicator and round are chosen.
enum ReviewPages {
    static func queue(_ items: [QueueItemJSON], filter f: ReviewRoutes.QueueFilter, indicators: [IndicatorView], pageSize: Int,
                      messages: [String], done: Int?, session s: SessionInfo, status: HTTPResponse.Status) -> Response {
        struct Row {
            var box, href, indicator, round, unit, confirmed, selfScore: String
            var late, copied, changed: Bool; var score: String?; var evidenceCount: Int; var code: String
        }
        struct Model {
            var csrf: String; var reviewed: Bool; var waitingHref, reviewedHref: String
            var indicators: [Option]; var rounds: [Option]; var unit: String; var indicator, seq: String
            var rows: [Row]; var empty: Bool; var messages: [String]; var done: String?
            var previous, next: String?; var page: Int; var zip: String?; var canSearch: Bool
        }
        let chosen = indicators.first { $0.id.lowercased() == f.indicator }
        let rows = items.map { i in
            Row(box: "\(i.indicatorId.lowercased()):\(i.seq):\(i.unitCode):\(i.version)",
                href: "/reports/\(i.indicatorId.lowercased())/\(i.seq)?unit=\(i.unitCode)",
                indicator: "\(i.number) \(i.nameTh)", round: i.roundLabelTh, unit: "\(i.unitCode) \(i.unitNameTh)",
                confirmed: i.confirmedAt.map { ThaiDate.dateTime($0) } ?? "", selfScore: i.selfScore.map(ReportPages.scoreText) ?? "-",
                late: i.late, copied: i.copied, changed: i.changedAfterReview, score: i.score.map(ReportPages.scoreText),
                evidenceCount: i.evidenceCount, code: "\(i.unitCode)-\(i.seq)")
        }
        var waiting = f, reviewed = f
        waiting.reviewed = false; reviewed.reviewed = true
        waiting.page = 1; reviewed.page = 1
        let zip = f.indicator.flatMap { ind in f.seq.map { "/reports/\(ind)/\($0)/evidence.zip" } }
        return Views.page("reviews", title: "ตรวจรายงาน", session: s, status: status, Model(
            csrf: s.csrf, reviewed: f.reviewed, waitingHref: waiting.link(), reviewedHref: reviewed.link(),
            indicators: indicators.map { Option(value: $0.id.lowercased(), label: "\($0.form.number) \($0.form.nameTh)", selected: $0.id.lowercased() == f.indicator) },
            rounds: (chosen?.rounds ?? []).map { Option(value: String($0.seq), label: $0.labelTh, selected: $0.seq == f.seq) },
            unit: f.unit.map(String.init) ?? "", indicator: f.indicator ?? "", seq: f.seq.map(String.init) ?? "",
            rows: rows, empty: rows.isEmpty, messages: messages.map(t),
            done: done.map { t("บันทึกผลการตรวจแล้ว") + " (\($0))" },
            previous: f.page > 1 ? f.link(page: f.page - 1) : nil, next: items.count == pageSize ? f.link(page: f.page + 1) : nil,
            page: f.page, zip: zip, canSearch: f.indicator != nil))
    }

    /// Evidence matching a search, each with its report and its file.
    static func search(_ found: [FoundJSON], indicator: String, seq: Int?, text: String, message: String?, session s: SessionInfo,
                       status: HTTPResponse.Status) -> Response {
        struct Row { var report, file, unit, round, fileName, description: String; var excerpt: String?; var id: String }
        struct Model { var indicator, seq, text: String; var rows: [Row]; var empty: Bool; var message: String?; var back: String }
        let rows = found.map { f in
            Row(report: "/reports/\(indicator)/\(f.seq)?unit=\(f.unitCode)", file: "/reports/\(indicator)/\(f.seq)/evidence/\(f.slot)?unit=\(f.unitCode)",
                unit: "\(f.unitCode) \(f.unitNameTh)", round: f.roundLabelTh, fileName: f.fileName, description: f.description, excerpt: f.excerpt,
                id: "\(f.unitCode)-\(f.seq)-\(f.slot)")
        }
        let back = ReviewRoutes.QueueFilter(indicator: indicator, seq: seq, unit: nil, reviewed: false, page: 1).link()
        return Views.page("evidence-search", title: "ค้นหาในหลักฐาน", session: s, status: status, Model(
            indicator: indicator, seq: seq.map(String.init) ?? "", text: text, rows: rows, empty: rows.isEmpty && message == nil,
            message: message.map(t), back: back))
    }
}
