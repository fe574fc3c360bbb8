import Foundation
import KPIRuntime

/// catalogue: fiscal years, indicators, rounds and unit assignments. Keeps its own directory
/// of units from identity's events.
public enum CatalogueService {
    public static let definition = ServiceDefinition(
        name: "catalogue",
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil),
        keepsUnitDirectory: true,
        routes: { router, runtime in Routes.register(on: router, years: YearStore(db: runtime.db)) })
}
