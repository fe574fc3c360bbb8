import Foundation
import KPIEvents
import KPIPostgres
import KPIRuntime

/// What review decided about intake's reports, from review's events, in `review_outcomes`. A
/// report's state reads it (`ReportStore.effectiveState`): a review counts only for the version
/// it was given for while the report is confirmed, so when the school's "ยกเลิกผลการยืนยัน"
/// reached intake before the review, the review counts for nothing here, as in review.
enum ReviewOutcomes {
    static let projection = Projection(name: "review_outcomes", migrations: nil, tables: ["review_outcomes"]) { handlers in
        handlers.on(ReportReviewedV1.self) { events, tx in
            for e in events.map(\.event) {
                try await keep(e.reportId, "reviewed", version: e.version, score: e.score, comment: e.comment, tx: tx)
            }
        }
        handlers.on(ReviewCancelledV1.self) { events, tx in
            for e in events.map(\.event) {
                try await tx.execute("""
                    DELETE FROM review_outcomes WHERE report_id = \(e.reportId) AND state = 'reviewed' AND report_version = \(e.version)
                    """)
            }
        }
        handlers.on(ReportReturnedV1.self) { events, tx in
            for e in events.map(\.event) { try await keep(e.reportId, "returned", version: e.version, score: nil, comment: e.comment, tx: tx) }
        }
    }

    /// One report's events come in order, so the last one wins.
    static func keep(_ report: UUID, _ state: String, version: Int, score: Double?, comment: String, tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO review_outcomes (report_id, state, report_version, score, comment)
            VALUES (\(report), \(state), \(version), \(score)::numeric, \(comment))
            ON CONFLICT (report_id) DO UPDATE SET state = EXCLUDED.state, report_version = EXCLUDED.report_version,
                score = EXCLUDED.score, comment = EXCLUDED.comment
            """)
    }
}
