import Foundation
import KPIFiles
import KPIRuntime

/// intake: reports and their evidence files. Keeps its own copy of units (identity's events)
/// and of what catalogue decides about reporting (catalogue's events), and decides from them
/// alone whether a unit may report; learns reviews from review's events.
public enum IntakeService {
    public static let definition = ServiceDefinition(
        name: "intake",
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil),
        projections: [UnitDirectory.projection, CatalogueView.projection, ReviewOutcomes.projection],
        routes: { router, runtime in
            // startup has read the same settings, so this cannot fail here.
            let files = try! files(runtime)
            Routes.register(on: router, reports: ReportStore(db: runtime.db, files: files))
        },
        startup: { runtime in
            let store = try files(runtime)
            try await store.prepare()
            // PDFs whose text was not read before the last stop, in the background.
            let reports = ReportStore(db: runtime.db, files: store)
            Task { await reports.indexMissing() }
        })

    /// Evidence files: `KPI_FILES_DIR`/intake, at most `KPI_FILE_MAX_BYTES` each.
    static func files(_ runtime: ServiceRuntime) throws -> FileStore {
        try FileStore(service: "intake", environment: runtime.config.environment)
    }
}
