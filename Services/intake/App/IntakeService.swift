import KPIRuntime

/// intake: reports and evidence files. So far it has its schema with outbox and inbox and its
/// own directory of units; reports come with the reporting issue.
public enum IntakeService {
    public static let definition = ServiceDefinition(
        name: "intake", migrations: nil, projections: [UnitDirectory.projection], routes: { _, _ in })
}
