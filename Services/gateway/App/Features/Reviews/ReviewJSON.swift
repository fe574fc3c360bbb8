import Foundation

/// A report as review's API returns it (`/reviews/{indicator}/{seq}/{unit}`): the last review
/// and whether it stands, review's history, copied evidence (reviewers only), what the user may do.
struct ReviewJSON: Decodable, Sendable {
    struct Last: Decodable, Sendable {
        var state: String
        var stands: Bool
        var score: Double?
        var comment: String
        var reviewerName: String
        var at: Date
    }
    struct Copied: Decodable, Sendable {
        var slot: Int
        var units: [String]
    }
    var reportState: String
    var version: Int
    var review: Last?
    /// review's steps, shaped as intake's (the page merges both).
    var history: [ReportJSON.Step]
    var copied: [Copied]
    var changedAfterReview: Bool
    var canReview: Bool
}

/// A line of the reviewer's queue (`/reviews/queue`).
struct QueueItemJSON: Decodable, Sendable {
    var indicatorId: String
    var number, nameTh: String
    var seq: Int
    var roundLabelTh: String
    var unitCode: Int
    var unitNameTh: String
    var selfScore: Double?
    var evidenceCount: Int
    var late: Bool
    var confirmedAt: Date?
    var version: Int
    var copied: Bool
    var changedAfterReview: Bool
    var reviewState: String?
    var score: Double?
}

/// A piece of evidence matching a search (intake's `/reports/{indicator}/search`).
struct FoundJSON: Decodable, Sendable {
    var unitCode: Int
    var unitNameTh: String
    var seq: Int
    var roundLabelTh: String
    var slot: Int
    var fileName, description: String
    var excerpt: String?
}
