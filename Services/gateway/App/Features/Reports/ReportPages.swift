import Foundation
import Hummingbird
import KPIContracts
import KPIEvents
import KPIRuntime

/// A report as intake's API returns it.
struct ReportJSON: Decodable, Sendable {
    struct Context: Decodable, Sendable {
        struct Scoring: Decodable, Sendable { var scoreMin, scoreMax: Double; var wholeNumbers: Bool }
        var indicatorId: String
        var number, nameTh, typeCode: String
        var seq: Int
        var roundLabelTh: String
        var dueOn: String?
        var cutoffOn: String?
        var unitCode: Int
        var unitNameTh: String
        var scoring: Scoring?
    }
    struct Evidence: Decodable, Sendable {
        var slot: Int
        var description, fileName, addedByName: String
        var size: Int64
        var addedAt: Date
    }
    struct Step: Decodable, Sendable {
        var at: Date
        var action, detail, actorName: String
    }
    var context: Context
    var id: String?
    var state: String
    var selfScore: Double?
    var version: Int
    var late: Bool
    var confirmedAt: Date?
    var evidence: [Evidence]
    var history: [Step]
    var canWrite: Bool
}

/// Per round of the list, for the user's unit (intake's `/reports/rounds`).
struct RoundReportJSON: Decodable, Sendable {
    var indicatorId: String
    var seq: Int
    var canReport: Bool
    var state: String?
}

/// The report page (M8, M9, M10): the round's header, ten evidence slots, the self-assessment
/// and the confirmation; after confirming, the files as links with who sent them; the review as
/// everyone sees it, and for reviewers the score form (M16, B2) and copied-evidence warnings.
enum ReportPages {
    static let stateLabel = ["draft": "ยังไม่ยืนยันผลตัวชี้วัด", "confirmed": "ยืนยันข้อมูลแล้ว รอการตรวจสอบ", "reviewed": "ตรวจสอบข้อมูลแล้ว"]
    static let actionLabel = ["saved": "บันทึก", "evidence-added": "แนบหลักฐาน", "evidence-removed": "ลบหลักฐาน", "confirmed": "ยืนยันผล",
                              "confirmation-cancelled": "ยกเลิกผลการยืนยัน", "reviewed": "ตรวจและให้คะแนน", "review-cancelled": "ยกเลิกผลการตรวจ",
                              "returned": "ส่งกลับให้แก้ไข"]

    static func scoreText(_ score: Double) -> String { ScoringV1.text(score) }

    static func page(_ r: ReportJSON, indicator: IndicatorView?, review: ReviewJSON? = nil, messages: [String] = [], errors: [String: String] = [:],
                     typedScore: String? = nil, reviewValues: [String: String] = [:], done: String? = nil, maxBytes: Int64,
                     session s: SessionInfo, status: HTTPResponse.Status = .ok) -> Response {
        struct Slot {
            var slot: Int; var href: String?; var fileName, description, sender, size: String; var has: Bool; var error: String?
            var copiedFrom: String?
        }
        /// M10/M16 and B2: the standing review as everyone sees it; the reviewer's form.
        struct Review {
            var result: String?; var comment: String?; var reviewer: String?; var returned: String?; var changed: Bool
            var form: Bool; var canCancel: Bool; var score, reviewComment: String; var scoreError, commentError: String?
        }
        struct Step { var at, action, detail, actor: String }
        struct Model {
            var csrf, action, base, unitParam: String; var version: Int
            var number, name, round, unit, stateText: String; var details, typeName, criteria, due, cutoff, scoreRule: String?
            var editable, confirmed, reviewed, late, canCancel: Bool; var selfScore: String?; var score: String
            var slots: [Slot]; var history: [Step]; var messages: [String]; var done: String?; var scoreError, evidenceError: String?
            var maxMB: Int64; var review: Review; var unitCode: Int
        }
        let c = r.context
        let base = "/reports/\(c.indicatorId.lowercased())/\(c.seq)"
        let own = c.unitCode == s.user.unitCode
        let unitParam = own ? "" : "?unit=\(c.unitCode)"
        let byslot = Dictionary(r.evidence.map { ($0.slot, $0) }, uniquingKeysWith: { a, _ in a })
        let copied = Dictionary((review?.copied ?? []).map { ($0.slot, $0.units) }, uniquingKeysWith: { a, _ in a })
        let editable = r.canWrite && r.state == "draft"
        let slots = (1...10).compactMap { n -> Slot? in
            let e = byslot[n]
            // Once confirmed, only the slots with a file are shown.
            if !editable && e == nil { return nil }
            return Slot(slot: n, href: e.map { _ in "\(base)/evidence/\(n)\(unitParam)" }, fileName: e?.fileName ?? "",
                        description: e?.description ?? "", sender: e?.addedByName ?? "", size: e.map { CataloguePages.sizeText($0.size) } ?? "",
                        has: e != nil, error: errors["description\(n)"] ?? errors["file\(n)"],
                        copiedFrom: copied[n].map { $0.joined(separator: ", ") })
        }
        let last = review?.review
        let standing = last.flatMap { $0.stands && $0.state == "reviewed" ? $0 : nil }
        // review is the authority on its review; intake hears of a score or its cancellation a
        // moment later. The page shows review's word at once, so the next button is the right one.
        let shown: String = {
            guard review != nil else { return r.state }
            if standing != nil, r.state == "confirmed" { return "reviewed" }
            if standing == nil, r.state == "reviewed" { return "confirmed" }
            return r.state
        }()
        let reviewPart = Review(
            result: standing?.score.map { t("ตรวจสอบข้อมูลแล้ว ผลการประเมิน :") + " \(scoreText($0)) " + t("คะแนน") },
            comment: standing.flatMap { $0.comment.isEmpty ? nil : $0.comment }, reviewer: standing?.reviewerName,
            returned: last.flatMap { $0.state == "returned" && r.state == "draft" ? $0.comment : nil },
            changed: review?.changedAfterReview ?? false,
            form: (review?.canReview ?? false) && shown == "confirmed",
            canCancel: (review?.canReview ?? false) && standing != nil,
            score: reviewValues["score"] ?? "", reviewComment: reviewValues["comment"] ?? "",
            scoreError: errors["score"], commentError: errors["comment"])
        // intake's steps and review's, in the order they happened.
        let steps = (r.history.map { ($0.at, $0.action, $0.detail, $0.actorName) } + (review?.history ?? []).map { ($0.at, $0.action, $0.detail, $0.actorName) })
            .sorted { $0.0 < $1.0 }
        let rule = c.scoring.map { "\(scoreText($0.scoreMin)) – \(scoreText($0.scoreMax))" + ($0.wholeNumbers ? " (" + t("จำนวนเต็ม") + ")" : "") }
        return Views.page("report", title: "รายงานผลตัวชี้วัด", session: s, status: status, Model(
            csrf: s.csrf, action: base, base: base, unitParam: unitParam, version: r.version,
            number: c.number, name: c.nameTh, round: c.roundLabelTh, unit: "\(c.unitCode) \(c.unitNameTh)",
            stateText: t(stateLabel[shown] ?? shown),
            details: indicator.flatMap { CataloguePages.nonEmpty($0.form.details) }, typeName: indicator?.typeNameTh,
            criteria: indicator.flatMap { CataloguePages.nonEmpty($0.form.criteria) },
            due: c.dueOn.map { ThaiDate.day($0) }, cutoff: c.cutoffOn.map { ThaiDate.day($0) }, scoreRule: rule,
            editable: editable, confirmed: shown == "confirmed", reviewed: shown == "reviewed",
            late: r.late, canCancel: r.canWrite && shown == "confirmed",
            selfScore: r.selfScore.map(scoreText), score: typedScore ?? r.selfScore.map(scoreText) ?? "",
            slots: slots,
            history: steps.map { Step(at: ThaiDate.dateTime($0.0), action: t(actionLabel[$0.1] ?? $0.1), detail: $0.2, actor: $0.3) },
            messages: messages.map(t), done: done.map(t), scoreError: errors["selfScore"], evidenceError: errors["evidence"],
            maxMB: maxBytes / 1024 / 1024, review: reviewPart, unitCode: c.unitCode))
    }
}
