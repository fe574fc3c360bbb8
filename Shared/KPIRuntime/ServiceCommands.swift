import Foundation
import KPIEvents
import KPIKafka
import KPIPostgres
import Logging

/// The operator commands of a service executable, besides running it:
///
///     <service> republish             mark every retained published outbox row for sending again
///     <service> requeue-dead          give outbox rows set aside as undeliverable another chance
///     <service> rebuild <projection>  empty one projection and replay its events into it
///     <service> rebuild all           the same for every projection of the service, in turn
///     <service> lag                   records of its topics the service's group has not committed
///
/// Each prints one line and exits: 0 when done, 1 on failure (and `lag` 3 when not caught up).
enum ServiceCommands {
    static func run(_ args: [String], definition: ServiceDefinition, config: ServiceConfig,
                    metrics: ServiceMetrics, logger: Logger) async throws -> Int32 {
        let name = definition.name
        switch (args.first ?? "", args.count) {
        case ("republish", 1):
            let rows = try await withPool(config) { try await OutboxRelay.republishAll(pool: $0) }
            logger.info("outbox rows marked for republishing", metadata: ["rows": "\(rows)"])
            print("\(name): \(rows) events will be published again")
            return 0
        case ("requeue-dead", 1):
            let rows = try await withPool(config) { try await OutboxRelay.requeueDead(pool: $0) }
            print("\(name): \(rows) dead outbox rows will be sent again")
            return 0
        case ("lag", 1):
            let topics = Dictionary(uniqueKeysWithValues: Set(definition.projections.flatMap(\.handlers.topics)).map { topic in
                (topic, Topics.all.first { $0.name == topic }?.partitions ?? 1)
            })
            let lag = topics.isEmpty ? 0 : try await KafkaAdmin.groupLag(bootstrap: config.kafkaBrokers, group: config.consumerGroup, topics: topics)
            print("\(name): lag \(lag)")
            return lag == 0 ? 0 : 3
        case ("rebuild", 2):
            // `all`: every read model of the service, one after another (each replays its topics).
            let chosen = args[1] == "all" ? definition.projections : definition.projections.filter { $0.name == args[1] }
            guard !chosen.isEmpty else {
                print("\(name): no projection \(args[1]); it has: \(definition.projections.map(\.name).joined(separator: ", ")) (or all)")
                return 2
            }
            try await withPool(config) { pool in
                try await ServiceHost.migrate(definition, pool: pool, logger: logger)
                let database = ServiceDatabase(pool: pool, service: name)
                try await Inbox.prepare(definition.projections, database: database)
                for projection in chosen {
                    let start = ContinuousClock.now
                    let applied = try await ProjectionRebuild(projection: projection, database: database, config: config,
                                                              metrics: metrics, logger: logger).run()
                    let took = (ContinuousClock.now - start).components
                    let seconds = Double(took.seconds) + Double(took.attoseconds) / 1e18
                    print("\(name): projection \(projection.name) rebuilt from \(applied) events in "
                          + String(format: "%.1f s (%.0f events/s)", seconds, seconds > 0 ? Double(applied) / seconds : 0))
                }
            }
            return 0
        default:
            print("usage: \(name) [republish | requeue-dead | lag | rebuild <projection> | rebuild all]")
            return 2
        }
    }

    private static func withPool<T: Sendable>(_ config: ServiceConfig, _ body: (PostgresPool) async throws -> T) async throws -> T {
        let pool = PostgresPool(config: config.postgres)
        do {
            let value = try await body(pool)
            await pool.close()
            return value
        } catch {
            await pool.close()
            throw error
        }
    }
}
