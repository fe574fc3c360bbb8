import Foundation
import KPIRuntime

/// catalogue: fiscal years, indicators, rounds and unit assignments. Keeps its own directory
/// of units from identity's events.
public enum CatalogueService {
    public static let definition = ServiceDefinition(
        name: "catalogue",
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil),
        projections: [UnitDirectory.projection],
        routes: { router, runtime in
            Routes.register(on: router, years: YearStore(db: runtime.db), indicators: IndicatorStore(db: runtime.db),
                            assignments: AssignmentStore(db: runtime.db), dates: RoundDateStore(db: runtime.db))
        },
        startup: { runtime in
            let seeded = try await YearStore(db: runtime.db).seedIfEmpty(YearStore.seedYears)
            if seeded > 0 { runtime.logger.info("seed fiscal years added", metadata: ["years": "\(seeded)"]) }
        })
}
