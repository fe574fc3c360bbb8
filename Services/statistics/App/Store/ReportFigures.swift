import Foundation
import KPIEvents
import KPIPostgres
import KPIRuntime

/// The figures of reporting, kept from catalogue's, intake's and review's events (never from
/// their schemas): one row per report slot (`fig_slots`) and each round's counters
/// (`fig_round_counts`). Indicators and rounds are the shared `CatalogueView`'s, which the
/// reading side joins; these handlers read only their own tables.
///
/// Each run of events is applied with one set-based statement, so a rebuild goes at the speed
/// of PostgreSQL rather than of round trips. The rounds a run touched are marked, and `settle`
/// counts them again from their slots a moment later (after the batch, or once at the end of a
/// replay): a count is never adjusted, so it cannot drift, whatever order the topics' events
/// meet in. One report's events come in order (one key); a report event not newer than the
/// version kept (a replay) changes nothing.
enum ReportFigures {
    static let projection = Projection(
        name: "report_figures", migrations: nil, tables: ["fig_slots", "fig_round_counts", "fig_unit_results", "fig_indicator_results", "fig_dirty_rounds"],
        settle: { tx in try await settle(tx) }
    ) { handlers in
        handlers.on(RoundUnitsChangedV1.self) { events, tx in
            struct Change: Encodable { var indicator_id: UUID, seq: Int, unit_code: Int, assigned: Bool, ord: Int }
            var changes: [Change] = []
            for (n, e) in events.map(\.event).enumerated() {
                changes += e.assigned.map { Change(indicator_id: e.indicatorId, seq: e.seq, unit_code: $0, assigned: true, ord: n) }
                changes += e.removed.map { Change(indicator_id: e.indicatorId, seq: e.seq, unit_code: $0, assigned: false, ord: n) }
            }
            try await tx.execute("""
                INSERT INTO fig_slots (indicator_id, seq, unit_code, assigned)
                SELECT DISTINCT ON (indicator_id, seq, unit_code) indicator_id, seq, unit_code, assigned
                FROM jsonb_to_recordset(\(try json(changes))::jsonb) AS r(indicator_id uuid, seq int, unit_code int, assigned boolean, ord int)
                ORDER BY indicator_id, seq, unit_code, ord DESC
                ON CONFLICT (indicator_id, seq, unit_code) DO UPDATE SET assigned = EXCLUDED.assigned
                """)
            try await markDirty(events.map { Round($0.event.indicatorId, $0.event.seq) }, tx: tx)
        }

        // Intake's side. Saving or changing evidence makes a draft; the self score changes only
        // where the event carries it.
        handlers.on(ReportSavedV1.self) { events, tx in
            try await report(events.map { Step($0.event, state: "draft", selfScore: $0.event.selfScore) }, setsScore: true, tx: tx)
        }
        handlers.on(EvidenceAddedV1.self) { events, tx in
            try await report(events.map { Step($0.event, state: "draft") }, setsScore: false, tx: tx)
        }
        handlers.on(EvidenceRemovedV1.self) { events, tx in
            try await report(events.map { Step($0.event, state: "draft") }, setsScore: false, tx: tx)
        }
        handlers.on(ReportConfirmedV1.self) { events, tx in
            try await report(events.map { e in
                var step = Step(e.event, state: "confirmed", selfScore: e.event.selfScore)
                step.late = e.event.late; step.confirmed_at = e.event.confirmedAt; step.reporter = e.event.by
                return step
            }, setsScore: true, tx: tx)
        }
        handlers.on(ReportConfirmationCancelledV1.self) { events, tx in
            try await report(events.map { Step($0.event, state: "draft") }, setsScore: false, tx: tx)
        }

        // A round's due date decides what is overdue in its units' results.
        handlers.on(RoundDatesSetV1.self) { events, tx in
            try await markDirty(events.map { Round($0.event.indicatorId, $0.event.seq) }, tx: tx)
        }

        // Review's side: the last decision about a report wins (its events come in order).
        handlers.on(ReportReviewedV1.self) { events, tx in
            try await review(events.map { e in
                var d = Decision(e.event, state: "reviewed", by: e.event.by)
                d.score = e.event.score; d.at = e.event.reviewedAt
                return d
            }, tx: tx)
        }
        handlers.on(ReportReturnedV1.self) { events, tx in
            try await review(events.map { Decision($0.event, state: "returned", by: $0.event.by) }, tx: tx)
        }
        handlers.on(ReviewCancelledV1.self) { events, tx in
            for e in events.map(\.event) {
                try await tx.execute("""
                    UPDATE fig_slots SET review_state = NULL, review_version = NULL, review_score = NULL, reviewer = NULL, reviewed_at = NULL
                    WHERE indicator_id = \(e.indicatorId) AND seq = \(e.seq) AND unit_code = \(e.unitCode)
                      AND review_state = 'reviewed' AND review_version = \(e.version)
                    """)
            }
            try await markDirty(events.map { Round($0.event.indicatorId, $0.event.seq) }, tx: tx)
        }
    }

    struct Round: Hashable, Encodable {
        var indicator_id: UUID, seq: Int
        init(_ indicator: UUID, _ seq: Int) { indicator_id = indicator; self.seq = seq }
    }

    /// One step of a report as `report` stores it.
    struct Step: Encodable {
        var report_id: UUID, indicator_id: UUID, seq: Int, unit_code: Int, version: Int, state: String
        var self_score: Double?, late = false, confirmed_at: Date?, reporter: String?
        init(_ e: some ReportEvent, state: String, selfScore: Double? = nil) {
            report_id = e.reportId; indicator_id = e.indicatorId; seq = e.seq; unit_code = e.unitCode; version = e.version
            self.state = state; self_score = selfScore
        }
    }

    /// A run of report steps of one kind: per report the newest version, if newer than kept.
    static func report(_ steps: [Step], setsScore: Bool, tx: Transaction) async throws {
        let score = setsScore ? "EXCLUDED.self_score" : "fig_slots.self_score"
        try await tx.execute("""
            INSERT INTO fig_slots (indicator_id, seq, unit_code, report_id, report_version, report_state, self_score, late, confirmed_at, reporter)
            SELECT DISTINCT ON (report_id) indicator_id, seq, unit_code, report_id, version, state, self_score, late, confirmed_at, reporter
            FROM jsonb_to_recordset(\(try json(steps))::jsonb) AS r(report_id uuid, indicator_id uuid, seq int, unit_code int, version int,
                state text, self_score numeric, late boolean, confirmed_at timestamptz, reporter text)
            ORDER BY report_id, version DESC
            ON CONFLICT (indicator_id, seq, unit_code) DO UPDATE SET report_id = EXCLUDED.report_id,
                report_version = EXCLUDED.report_version, report_state = EXCLUDED.report_state, self_score = \(unescaped: score),
                late = EXCLUDED.late, confirmed_at = EXCLUDED.confirmed_at, reporter = EXCLUDED.reporter
            WHERE fig_slots.report_version < EXCLUDED.report_version
            """)
        try await markDirty(steps.map { Round($0.indicator_id, $0.seq) }, tx: tx)
    }

    /// A reviewer's decision as `review` stores it.
    struct Decision: Encodable {
        var indicator_id: UUID, seq: Int, unit_code: Int, version: Int, state: String, score: Double?, by: String, at: Date?, ord = 0
        init(_ e: some ReportEvent, state: String, by: String) {
            indicator_id = e.indicatorId; seq = e.seq; unit_code = e.unitCode; version = e.version; self.state = state; self.by = by
        }
    }

    /// A run of decisions of one kind: per report the last one.
    static func review(_ decisions: [Decision], tx: Transaction) async throws {
        let ordered = decisions.enumerated().map { var d = $0.element; d.ord = $0.offset; return d }
        try await tx.execute("""
            INSERT INTO fig_slots (indicator_id, seq, unit_code, review_state, review_version, review_score, reviewer, reviewed_at)
            SELECT DISTINCT ON (indicator_id, seq, unit_code) indicator_id, seq, unit_code, state, version, score, by, at
            FROM jsonb_to_recordset(\(try json(ordered))::jsonb) AS r(indicator_id uuid, seq int, unit_code int, version int, state text,
                score numeric, by text, at timestamptz, ord int)
            ORDER BY indicator_id, seq, unit_code, ord DESC
            ON CONFLICT (indicator_id, seq, unit_code) DO UPDATE SET review_state = EXCLUDED.review_state,
                review_version = EXCLUDED.review_version, review_score = EXCLUDED.review_score, reviewer = EXCLUDED.reviewer,
                reviewed_at = EXCLUDED.reviewed_at
            """)
        try await markDirty(decisions.map { Round($0.indicator_id, $0.seq) }, tx: tx)
    }

    /// Notes the rounds a batch changed; `settle` counts them again. An upsert (not DO NOTHING)
    /// so that the row is locked until this batch commits (see fig_dirty_rounds).
    static func markDirty(_ rounds: [Round], tx: Transaction) async throws {
        let unique = Array(Set(rounds))
        if unique.isEmpty { return }
        try await tx.execute("""
            INSERT INTO fig_dirty_rounds (indicator_id, seq)
            SELECT indicator_id, seq FROM jsonb_to_recordset(\(try json(unique))::jsonb) AS k(indicator_id uuid, seq int)
            ORDER BY 1, 2
            ON CONFLICT (indicator_id, seq) DO UPDATE SET marks = fig_dirty_rounds.marks + 1
            """)
    }

    /// Rounds counted again per piece of settling.
    static let settlePiece = 2000

    /// Takes up to `settlePiece` marked rounds (rows another instance holds are skipped) and
    /// counts them again; then notes which areas' figures changed (B9). Returns how many.
    static func settle(_ tx: Transaction) async throws -> Int {
        let taken = try await tx.query("""
            DELETE FROM fig_dirty_rounds WHERE (indicator_id, seq) IN (
                SELECT indicator_id, seq FROM fig_dirty_rounds ORDER BY 1, 2 LIMIT \(settlePiece) FOR UPDATE SKIP LOCKED)
            RETURNING indicator_id, seq
            """).decode((UUID, Int).self).map { Round($0.0, $0.1) }
        if taken.isEmpty { return 0 }
        try await recount(taken, tx: tx)
        try await tx.execute("""
            INSERT INTO fig_area_changes (area_code, year_be, changed_at)
            SELECT a.area_code, a.year_be, clock_timestamp() FROM (
                SELECT DISTINCT i.area_code, i.year_be FROM view_indicators i
                WHERE i.id IN (SELECT value::uuid FROM jsonb_array_elements_text(\(try json(Array(Set(taken.map(\.indicator_id)))))::jsonb))) a
            ON CONFLICT (area_code, year_be) DO UPDATE SET changed_at = EXCLUDED.changed_at
            """)
        return taken.count
    }

    /// Counts the given rounds again from their slots, and the results of their indicators.
    static func recount(_ unique: [Round], tx: Transaction) async throws {
        try await tx.execute("""
            INSERT INTO fig_round_counts (indicator_id, seq, assigned, sent, reviewed, on_time, late, missing, self_average, review_average)
            SELECT k.indicator_id, k.seq,
                   count(*) FILTER (WHERE s.assigned),
                   count(*) FILTER (WHERE s.state IN ('waiting', 'reviewed')),
                   count(*) FILTER (WHERE s.state = 'reviewed'),
                   count(*) FILTER (WHERE s.state IN ('waiting', 'reviewed') AND NOT s.late),
                   count(*) FILTER (WHERE s.state IN ('waiting', 'reviewed') AND s.late),
                   count(*) FILTER (WHERE s.assigned AND s.state IS DISTINCT FROM 'waiting' AND s.state IS DISTINCT FROM 'reviewed'),
                   avg(s.self_score) FILTER (WHERE s.state IN ('waiting', 'reviewed')),
                   avg(s.review_score) FILTER (WHERE s.state = 'reviewed')
            FROM jsonb_to_recordset(\(try json(unique))::jsonb) AS k(indicator_id uuid, seq int)
            LEFT JOIN fig_slots s ON s.indicator_id = k.indicator_id AND s.seq = k.seq
            GROUP BY k.indicator_id, k.seq
            ON CONFLICT (indicator_id, seq) DO UPDATE SET assigned = EXCLUDED.assigned, sent = EXCLUDED.sent,
                reviewed = EXCLUDED.reviewed, on_time = EXCLUDED.on_time, late = EXCLUDED.late, missing = EXCLUDED.missing,
                self_average = EXCLUDED.self_average, review_average = EXCLUDED.review_average
            """)
        // Each touched indicator's units (what the area's summary and the matrix read), then the
        // indicator's results from them (the nation's summary).
        let indicators = try json(Array(Set(unique.map(\.indicator_id))))
        try await tx.execute("""
            INSERT INTO fig_unit_results (indicator_id, unit_code, shown, assigned, sent, reviewed, late, missing, missing_due, self_sum, review_sum)
            SELECT s.indicator_id, s.unit_code, bool_or(s.assigned OR s.report_state IS NOT NULL),
                   count(*) FILTER (WHERE s.assigned), count(*) FILTER (WHERE s.state IN ('waiting', 'reviewed')),
                   count(*) FILTER (WHERE s.state = 'reviewed'), count(*) FILTER (WHERE s.state IN ('waiting', 'reviewed') AND s.late),
                   count(*) FILTER (WHERE s.assigned AND s.state IS DISTINCT FROM 'waiting' AND s.state IS DISTINCT FROM 'reviewed'),
                   coalesce(array_agg(r.due_on ORDER BY r.due_on) FILTER (WHERE s.assigned AND s.state IS DISTINCT FROM 'waiting' AND s.state IS DISTINCT FROM 'reviewed' AND r.due_on IS NOT NULL), '{}'),
                   sum(s.self_score) FILTER (WHERE s.state IN ('waiting', 'reviewed')), sum(s.review_score) FILTER (WHERE s.state = 'reviewed')
            FROM fig_slots s LEFT JOIN view_rounds r ON r.indicator_id = s.indicator_id AND r.seq = s.seq
            WHERE s.indicator_id IN (SELECT value::uuid FROM jsonb_array_elements_text(\(indicators)::jsonb))
            GROUP BY s.indicator_id, s.unit_code
            ON CONFLICT (indicator_id, unit_code) DO UPDATE SET shown = EXCLUDED.shown, assigned = EXCLUDED.assigned, sent = EXCLUDED.sent,
                reviewed = EXCLUDED.reviewed, late = EXCLUDED.late, missing = EXCLUDED.missing, missing_due = EXCLUDED.missing_due,
                self_sum = EXCLUDED.self_sum, review_sum = EXCLUDED.review_sum
            """)
        try await tx.execute("""
            INSERT INTO fig_indicator_results (indicator_id, units, reviewed_units, average_sum)
            SELECT u.indicator_id, count(*) FILTER (WHERE u.shown), count(*) FILTER (WHERE u.reviewed > 0),
                   sum(u.review_sum / u.reviewed) FILTER (WHERE u.reviewed > 0)
            FROM fig_unit_results u WHERE u.indicator_id IN (SELECT value::uuid FROM jsonb_array_elements_text(\(indicators)::jsonb))
            GROUP BY u.indicator_id
            ON CONFLICT (indicator_id) DO UPDATE SET units = EXCLUDED.units, reviewed_units = EXCLUDED.reviewed_units,
                average_sum = EXCLUDED.average_sum
            """)
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
