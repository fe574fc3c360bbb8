import Foundation
import KPIEvents
import KPIKafka

/// Applies events straight to a service's projections, through the same decoding, inbox and
/// handlers as a rebuild, but without a broker: for a generator that feeds a projection
/// millions of events (`kpi-bench national`), where the local broker would keep only the last
/// few MB of them. While it loads, the projections are marked as being rebuilt (the live
/// consumer and settler leave them alone, as during `rebuild`); `finish` settles them once.
public struct DirectReplay: Sendable {
    let applier: ProjectionApplier
    let database: ServiceDatabase

    public init(projections: [Projection], database: ServiceDatabase) {
        applier = ProjectionApplier(projections: projections, database: database); self.database = database
    }

    public func begin() async throws {
        try await mark(rebuilding: true)
    }

    /// Applies one batch in one transaction; returns how many events some projection applied.
    public func apply(_ events: [(topic: String, envelope: EventEnvelope)]) async throws -> Int {
        let batch = try events.enumerated().map { n, e in
            try applier.prepare(KafkaMessage(topic: e.topic, partition: 0, offset: Int64(n), key: e.envelope.aggregateId,
                                             value: e.envelope.data,
                                             headers: e.envelope.headers.map { KafkaHeader(key: $0.0, string: $0.1) }))
        }
        return try await applier.apply(batch, skipRebuilding: false).filter { $0 == .applied }.count
    }

    /// Hands the projections back and settles their deferred work; returns the items settled.
    public func finish() async throws -> Int {
        try await mark(rebuilding: false)
        var settled = 0
        for p in applier.projections { settled += try await ProjectionSettler.settle(p, database: database, unlessRebuilding: false) }
        return settled
    }

    private func mark(rebuilding: Bool) async throws {
        let names = applier.projections.map(\.name)
        try await database.transaction { tx in
            for name in names {
                try await tx.execute("""
                    UPDATE projections SET rebuilding_since = CASE WHEN \(rebuilding) THEN clock_timestamp() END WHERE name = \(name)
                    """)
            }
        }
    }
}
