import Foundation
import KPIEvents
import KPIRuntime

/// Which units have reported in which rounds (the gear's "มีการรายงานแล้ว"), from intake's
/// events: a unit counts once it has confirmed a report there, and stays so (its report
/// exists, even when the confirmation is later cancelled), so it is never taken off the round.
enum ReportedUnits {
    static let projection = Projection(name: "reported_units", migrations: nil, tables: ["reported_units"]) { handlers in
        handlers.on(ReportConfirmedV1.self) { events, tx in
            for e in events.map(\.event) {
                try await tx.execute("""
                    INSERT INTO reported_units (indicator_id, seq, unit_code) VALUES (\(e.indicatorId), \(e.seq), \(e.unitCode))
                    ON CONFLICT DO NOTHING
                    """)
            }
        }
    }
}
