import Foundation
import KPIRuntime

/// statistics: read models, summaries and public figures, built only from events.
public enum StatisticsService {
    public static let definition = ServiceDefinition(
        name: "statistics",
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil),
        projections: [UnitDirectory.projection, UnitTotals.projection, CatalogueView.projection, ReportFigures.projection],
        routes: { router, runtime in Routes.register(on: router, db: runtime.db) },
        // A schedule set wrongly stops the start here, with its message.
        startup: { runtime in _ = try ReminderSchedule(runtime: runtime) },
        background: { runtime in [try! ReminderSchedule(runtime: runtime)] })
}
