import Foundation
import KPIRuntime

/// review: reviewers' scores on confirmed reports (M10, M16, B2, B5). Keeps its own copies of
/// units (identity's events), indicators (catalogue's) and reports (intake's), and decides from
/// them alone what a reviewer may score; intake learns the scores from review's events.
public enum ReviewService {
    public static let definition = ServiceDefinition(
        name: "review",
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil),
        projections: [UnitDirectory.projection, CatalogueView.projection, ReportStatus.projection],
        routes: { router, runtime in
            Routes.register(on: router, reviews: ReviewStore(db: runtime.db))
        })
}
