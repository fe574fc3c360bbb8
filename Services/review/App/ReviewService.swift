import KPIRuntime

/// review: reviewers' scores on confirmed reports. So far it has its schema with outbox and
/// inbox and its own directory of units; scoring comes with the review issue.
public enum ReviewService {
    public static let definition = ServiceDefinition(
        name: "review", migrations: nil, projections: [UnitDirectory.projection], routes: { _, _ in })
}
