import Foundation
/// Events that the review service publishes on `kpi.review.v1`, keyed by report like intake's,
/// so one report's reviews stay in order. `version` is the report's version (intake's) that the
/// reviewer saw: a review or a return stands only while the report is confirmed at that
/// version. When intake's events show a newer version (the school cancelled its confirmation
/// before the review reached intake), the review counts for nothing, in every service alike.
/// Reviewers are named by user id only.

/// The reviewer scored a confirmed report (ตรวจสอบข้อมูลแล้ว ผลการประเมิน : N คะแนน).
public struct ReportReviewedV1: ReportEvent, Equatable {
    public static let eventType = "th.kpi.review.report.reviewed.v1"
    public static let topic = Topics.review

    public var reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int
    public var score: Double
    public var comment: String
    public var reviewedAt: Date
    public var by: String

    public init(reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int, score: Double,
                comment: String, reviewedAt: Date, by: String) {
        self.reportId = reportId; self.indicatorId = indicatorId; self.seq = seq; self.unitCode = unitCode; self.areaCode = areaCode
        self.yearBE = yearBE; self.version = version; self.score = score; self.comment = comment; self.reviewedAt = reviewedAt; self.by = by
    }
}

/// The reviewer cancelled their review (ยกเลิกผลการตรวจ): the report waits for review again.
public struct ReviewCancelledV1: ReportEvent, Equatable {
    public static let eventType = "th.kpi.review.review.cancelled.v1"
    public static let topic = Topics.review

    public var reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int
    public var by: String

    public init(reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int, by: String) {
        self.reportId = reportId; self.indicatorId = indicatorId; self.seq = seq; self.unitCode = unitCode; self.areaCode = areaCode
        self.yearBE = yearBE; self.version = version; self.by = by
    }
}

/// The reviewer sent the report back for revision with a comment (B2): a draft again.
public struct ReportReturnedV1: ReportEvent, Equatable {
    public static let eventType = "th.kpi.review.report.returned.v1"
    public static let topic = Topics.review

    public var reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int
    public var comment: String
    public var by: String

    public init(reportId: UUID, indicatorId: UUID, seq: Int, unitCode: Int, areaCode: Int, yearBE: Int, version: Int, comment: String, by: String) {
        self.reportId = reportId; self.indicatorId = indicatorId; self.seq = seq; self.unitCode = unitCode; self.areaCode = areaCode
        self.yearBE = yearBE; self.version = version; self.comment = comment; self.by = by
    }
}
