import Foundation
import KPIFiles
import KPIRuntime

/// catalogue: fiscal years, indicators, rounds and unit assignments. Keeps its own directory
/// of units from identity's events.
public enum CatalogueService {
    public static let definition = ServiceDefinition(
        name: "catalogue",
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil),
        projections: [UnitDirectory.projection, ReportedUnits.projection],
        routes: { router, runtime in
            // startup has read the same settings, so this cannot fail here.
            let files = try! files(runtime)
            Routes.register(on: router, years: YearStore(db: runtime.db), indicators: IndicatorStore(db: runtime.db),
                            assignments: AssignmentStore(db: runtime.db), dates: RoundDateStore(db: runtime.db),
                            attachments: AttachmentStore(db: runtime.db, files: files))
        },
        startup: { runtime in
            try await files(runtime).prepare()
            let seeded = try await YearStore(db: runtime.db).seedIfEmpty(YearStore.seedYears)
            if seeded > 0 { runtime.logger.info("seed fiscal years added", metadata: ["years": "\(seeded)"]) }
        })

    /// The indicators' documents: `KPI_FILES_DIR`/catalogue, at most `KPI_FILE_MAX_BYTES` each.
    static func files(_ runtime: ServiceRuntime) throws -> FileStore {
        try FileStore(service: "catalogue", environment: runtime.config.environment)
    }
}
