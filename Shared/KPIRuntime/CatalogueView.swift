import Foundation
import KPIContracts
import KPIEvents
import KPIPostgres

/// A service's copy of catalogue's decisions about reporting (indicators, rounds, assignments,
/// extensions, closed years), kept from catalogue's events; intake, review and statistics keep
/// one each (statistics reads the weights, labels and criteria levels, and the due dates).
/// One indicator's events arrive in order (one key, one partition); a definition older than the
/// one kept (a replay) changes nothing.
public enum CatalogueView {
    public static let projection = Projection(
        name: "catalogue_view", migrations: Migrator.runtimeFolder("CatalogueView"),
        tables: ["view_indicators", "view_rounds", "view_assignments", "view_extensions", "view_closed_years"]
    ) { handlers in
        handlers.on(IndicatorDefinedV1.self) { events, tx in for e in events { try await define(e.event, tx: tx) } }
        handlers.on(IndicatorChangedV1.self) { events, tx in for e in events { try await define(e.event, tx: tx) } }
        handlers.on(IndicatorStatusChangedV1.self) { events, tx in
            for e in events.map(\.event) {
                try await tx.execute("""
                    UPDATE view_indicators SET status = \(e.status), version = \(e.version) WHERE id = \(e.indicatorId) AND version < \(e.version)
                    """)
            }
        }
        handlers.on(RoundStateChangedV1.self) { events, tx in
            for e in events.map(\.event) {
                try await tx.execute("UPDATE view_rounds SET state = \(e.state) WHERE indicator_id = \(e.indicatorId) AND seq = \(e.seq)")
            }
        }
        handlers.on(RoundUnitsChangedV1.self) { events, tx in
            for e in events.map(\.event) {
                let added = e.assigned.map(String.init).joined(separator: ","), removed = e.removed.map(String.init).joined(separator: ",")
                try await tx.execute("""
                    INSERT INTO view_assignments (indicator_id, seq, unit_code)
                    SELECT \(e.indicatorId), \(e.seq), u FROM unnest(string_to_array(nullif(\(added), ''), ',')::int[]) AS u
                    ON CONFLICT DO NOTHING
                    """)
                try await tx.execute("""
                    DELETE FROM view_assignments WHERE indicator_id = \(e.indicatorId) AND seq = \(e.seq)
                      AND unit_code = ANY(string_to_array(nullif(\(removed), ''), ',')::int[])
                    """)
            }
        }
        handlers.on(RoundDatesSetV1.self) { events, tx in
            for e in events.map(\.event) {
                try await tx.execute("""
                    UPDATE view_rounds SET opens_on = \(e.opensOn)::date, due_on = \(e.dueOn)::date, cutoff_on = \(e.cutoffOn)::date
                    WHERE indicator_id = \(e.indicatorId) AND seq = \(e.seq)
                    """)
            }
        }
        handlers.on(RoundExtensionGrantedV1.self) { events, tx in
            for e in events.map(\.event) {
                try await tx.execute("""
                    INSERT INTO view_extensions (indicator_id, seq, unit_code, until_on) VALUES (\(e.indicatorId), \(e.seq), \(e.unitCode), \(e.untilOn)::date)
                    ON CONFLICT (indicator_id, seq, unit_code) DO UPDATE SET until_on = EXCLUDED.until_on
                    """)
            }
        }
        handlers.on(AreaYearStateChangedV1.self) { events, tx in
            for e in events.map(\.event) {
                if e.state == "closed" {
                    try await tx.execute("INSERT INTO view_closed_years (year_be, area_code) VALUES (\(e.yearBE), \(e.areaCode)) ON CONFLICT DO NOTHING")
                } else {
                    try await tx.execute("DELETE FROM view_closed_years WHERE year_be = \(e.yearBE) AND area_code = \(e.areaCode)")
                }
            }
        }
    }

    /// A whole definition: the indicator and its rounds (a new round mode replaces the rounds).
    static func define(_ e: some IndicatorStateEvent, tx: Transaction) async throws {
        let l = e.labels
        let levels = CriteriaLevels(parsing: l?.criteria ?? "").levels.map { "\($0)" }.joined(separator: ",")
        let applied = try await tx.execute("""
            INSERT INTO view_indicators (id, year_be, area_code, number, name_th, type_code, workgroup_id, status, score_min, score_max,
                whole_numbers, version, weight, type_name_th, d1, d2, d3, d4, criteria, levels)
            VALUES (\(e.indicatorId), \(e.yearBE), \(e.areaCode), \(e.number), \(e.nameTh), \(e.typeCode), \(e.workgroupId), \(e.status),
                \(e.scoring?.scoreMin)::numeric, \(e.scoring?.scoreMax)::numeric, \(e.scoring?.wholeNumbers), \(e.version),
                \(e.weight)::numeric, \(l?.typeNameTh ?? ""), \(l?.d1 ?? ""), \(l?.d2 ?? ""), \(l?.d3 ?? ""), \(l?.d4 ?? ""), \(l?.criteria ?? ""),
                coalesce(string_to_array(nullif(\(levels), ''), ',')::numeric[], '{}'))
            ON CONFLICT (id) DO UPDATE SET number = EXCLUDED.number, name_th = EXCLUDED.name_th, type_code = EXCLUDED.type_code,
                workgroup_id = EXCLUDED.workgroup_id, status = EXCLUDED.status, score_min = EXCLUDED.score_min,
                score_max = EXCLUDED.score_max, whole_numbers = EXCLUDED.whole_numbers, version = EXCLUDED.version,
                weight = EXCLUDED.weight, type_name_th = EXCLUDED.type_name_th, d1 = EXCLUDED.d1, d2 = EXCLUDED.d2, d3 = EXCLUDED.d3,
                d4 = EXCLUDED.d4, criteria = EXCLUDED.criteria, levels = EXCLUDED.levels
            WHERE view_indicators.version < EXCLUDED.version
            """)
        guard applied > 0 else { return }
        let seqs = e.rounds.map { String($0.seq) }.joined(separator: ",")
        try await tx.execute("""
            DELETE FROM view_rounds WHERE indicator_id = \(e.indicatorId) AND NOT seq = ANY(string_to_array(nullif(\(seqs), ''), ',')::int[])
            """)
        for round in e.rounds {
            try await tx.execute("""
                INSERT INTO view_rounds (indicator_id, seq, label_th) VALUES (\(e.indicatorId), \(round.seq), \(round.labelTh))
                ON CONFLICT (indicator_id, seq) DO UPDATE SET label_th = EXCLUDED.label_th
                """)
        }
    }
}
