import Foundation
import KPIEvents
import KPIPostgres
import KPIRuntime

/// review's copy of intake's reports, kept from intake's events: state, version, self score and
/// evidence (descriptions and hashes). One report's events come in order (one key); an event
/// not newer than the version kept (a replay) changes nothing.
///
/// A review stands only while the report is confirmed at the version it was given for. So the
/// race between a school's "ยกเลิกผลการยืนยัน" and a reviewer's score ends the same in both
/// services: if the cancellation reached intake first, intake ignores the review (it is for an
/// older version) and here the cancellation's newer version leaves the review standing on
/// nothing; if the review reached intake first, intake refuses the cancellation.
enum ReportStatus {
    static let projection = Projection(
        name: "report_status", migrations: nil, tables: ["report_status", "report_evidence"]
    ) { handlers in
        handlers.on(ReportSavedV1.self) { events, tx in
            for e in events.map(\.event) where try await touch(e, tx: tx) {
                try await tx.execute("""
                    UPDATE report_status SET state = 'draft', self_score = \(e.selfScore)::numeric, content_version = \(e.version)
                    WHERE report_id = \(e.reportId)
                    """)
            }
        }
        handlers.on(EvidenceAddedV1.self) { events, tx in
            for e in events.map(\.event) where try await touch(e, tx: tx) {
                try await tx.execute("""
                    INSERT INTO report_evidence (report_id, slot, description, file_name, sha256)
                    VALUES (\(e.reportId), \(e.slot), \(e.description), \(e.fileName), \(e.sha256))
                    ON CONFLICT (report_id, slot) DO UPDATE SET description = EXCLUDED.description, file_name = EXCLUDED.file_name,
                        sha256 = EXCLUDED.sha256
                    """)
                try await tx.execute("UPDATE report_status SET state = 'draft', content_version = \(e.version) WHERE report_id = \(e.reportId)")
            }
        }
        handlers.on(EvidenceRemovedV1.self) { events, tx in
            for e in events.map(\.event) where try await touch(e, tx: tx) {
                try await tx.execute("DELETE FROM report_evidence WHERE report_id = \(e.reportId) AND slot = \(e.slot)")
                try await tx.execute("UPDATE report_status SET state = 'draft', content_version = \(e.version) WHERE report_id = \(e.reportId)")
            }
        }
        handlers.on(ReportConfirmedV1.self) { events, tx in
            for e in events.map(\.event) where try await touch(e, tx: tx) {
                try await tx.execute("""
                    UPDATE report_status SET state = 'confirmed', self_score = \(e.selfScore)::numeric, evidence_count = \(e.evidenceCount),
                        late = \(e.late), confirmed_at = \(e.confirmedAt)
                    WHERE report_id = \(e.reportId)
                    """)
            }
        }
        handlers.on(ReportConfirmationCancelledV1.self) { events, tx in
            for e in events.map(\.event) where try await touch(e, tx: tx) {
                try await tx.execute("UPDATE report_status SET state = 'draft', confirmed_at = NULL, late = false WHERE report_id = \(e.reportId)")
            }
        }
    }

    /// Creates the report's row at its first event and moves its version on; false when the
    /// event is not newer than what is kept.
    static func touch(_ e: some ReportEvent, tx: Transaction) async throws -> Bool {
        try await tx.execute("""
            INSERT INTO report_status (report_id, indicator_id, seq, unit_code, area_code, year_be, state, version)
            VALUES (\(e.reportId), \(e.indicatorId), \(e.seq), \(e.unitCode), \(e.areaCode), \(e.yearBE), 'draft', \(e.version))
            ON CONFLICT (report_id) DO UPDATE SET version = EXCLUDED.version WHERE report_status.version < EXCLUDED.version
            """) > 0
    }
}
