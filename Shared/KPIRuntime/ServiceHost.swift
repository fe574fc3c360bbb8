import Foundation
import Hummingbird
import KPIEvents
import KPIKafka
import KPIPostgres
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// What makes one service different from another; everything else is the shared runtime.
public struct ServiceDefinition: Sendable {
    public var name: String
    /// The service's own numbered SQL files; nil for a service without a database (gateway).
    public var migrations: URL?
    public var usesDatabase: Bool
    /// The state this service keeps from other services' events, each with its own inbox.
    public var projections: [Projection]
    public var routes: @Sendable (Router<ServiceRequestContext>, ServiceRuntime) -> Void
    /// Runs once after migrations, before the HTTP server starts (seed data and the like).
    public var startup: @Sendable (ServiceRuntime) async throws -> Void
    /// Extra readiness checks (the gateway checks the services it forwards to).
    public var readiness: @Sendable (ServiceRuntime) -> [String: HealthRoutes.Check]
    /// Work the service does on its own besides answering and consuming (a schedule), run and
    /// stopped with it.
    public var background: @Sendable (ServiceRuntime) -> [any Service]

    public init(name: String, migrations: URL?, usesDatabase: Bool = true, projections: [Projection] = [],
                routes: @escaping @Sendable (Router<ServiceRequestContext>, ServiceRuntime) -> Void,
                startup: @escaping @Sendable (ServiceRuntime) async throws -> Void = { _ in },
                readiness: @escaping @Sendable (ServiceRuntime) -> [String: HealthRoutes.Check] = { _ in [:] },
                background: @escaping @Sendable (ServiceRuntime) -> [any Service] = { _ in [] }) {
        self.name = name; self.migrations = migrations; self.usesDatabase = usesDatabase
        precondition(Set(projections.map(\.name)).count == projections.count, "two projections share a name")
        self.projections = projections; self.routes = routes
        self.startup = startup; self.readiness = readiness; self.background = background
    }
}

/// What routes, handlers and startup code of a service are given.
public struct ServiceRuntime: Sendable {
    public let config: ServiceConfig
    public let logger: Logger
    public let metrics: ServiceMetrics
    /// The service's own schema; nil for the gateway.
    public let database: ServiceDatabase?
    public let producer: KafkaProducer?

    /// Verifies the gateway's assertions made for this service; nil without `KPI_FORWARD_VERIFY_KEY`.
    public var forwardVerifier: ForwardVerifier? {
        ForwardVerifier(publicKey: config.environment.string("KPI_FORWARD_VERIFY_KEY", default: ""), audience: config.name)
    }

    /// The database, for services that have one (a programming error otherwise).
    public var db: ServiceDatabase { database! }
}

/// The router every service starts from, with the edge middlewares in their order (outermost
/// first): security headers, correlation id, metrics, problem details, 405. Call
/// `allowed.load(from: router)` once the routes are registered.
public enum ServiceRouter {
    public static func make(tls: Bool) -> (Router<ServiceRequestContext>, AllowedMethods) {
        let router = Router(context: ServiceRequestContext.self)
        let allowed = AllowedMethods()
        router.add(middleware: SecurityHeadersMiddleware(tls: tls))
        router.add(middleware: CorrelationMiddleware())
        // Outside the problem middleware, so it counts the status actually sent.
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: MethodNotAllowedMiddleware(allowed: allowed))
        return (router, allowed)
    }
}

public enum ServiceHost {
    /// The whole `main` of a service executable: `<service>` runs it, `<service> republish`
    /// marks its retained outbox rows for publishing again and exits.
    public static func main(_ definition: ServiceDefinition) async {
        let config: ServiceConfig
        do { config = try ServiceConfig(service: definition.name) } catch {
            FileHandle.standardError.write(Data("\(definition.name): \(error)\n".utf8))
            exit(2)
        }
        let name = definition.name, level = config.logLevel
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, service: name, level: level) }
        let metrics = ServiceMetrics()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        let logger = Logger(label: "kpi.\(name)")
        do {
            let args = Array(CommandLine.arguments.dropFirst())
            switch args.first {
            case nil: try await run(definition, config: config, metrics: metrics, logger: logger)
            default: exit(try await ServiceCommands.run(args, definition: definition, config: config, metrics: metrics, logger: logger))
            }
        } catch {
            logger.critical("service stopped on error", metadata: ["error": "\(error)"])
            exit(1)
        }
    }

    /// Runs the service until SIGTERM or SIGINT, then stops in reverse order of start: HTTP
    /// server, consumer (storing offsets), relay; then flushes the producer and closes the pool.
    public static func run(_ definition: ServiceDefinition, config: ServiceConfig, metrics: ServiceMetrics, logger: Logger) async throws {
        var services: [any Service] = []
        var checks: [String: HealthRoutes.Check] = [:]
        var pool: PostgresPool?
        var producer: KafkaProducer?
        var database: ServiceDatabase?

        if definition.usesDatabase {
            let p = PostgresPool(config: config.postgres)
            pool = p
            try await waitForDatabase(p, logger: logger)
            try await migrate(definition, pool: p, logger: logger)

            let prod = try KafkaProducer(settings: config.kafkaSettings, log: kafkaLogHandler(logger: logger, metrics: metrics))
            producer = prod
            let relay = OutboxRelay(schema: definition.name, pool: p, producer: prod, metrics: metrics,
                                    pollMs: config.outboxPollMs, retentionDays: config.outboxRetentionDays, logger: logger)
            database = ServiceDatabase(pool: p, service: definition.name, relayWake: { relay.nudge() })
            services.append(relay)
            checks["database"] = { (try? await p.query("SELECT 1").count) == 1 }
            checks["broker"] = { await prod.isBrokerReachable() }
        }

        let runtime = ServiceRuntime(config: config, logger: logger, metrics: metrics, database: database, producer: producer)
        if !definition.projections.isEmpty, let database, let producer {
            for name in try await Inbox.prepare(definition.projections, database: database) {
                logger.warning("new projection: it missed the history the consumer group already read; replay it with `\(definition.name) rebuild \(name)`",
                               metadata: ["projection": "\(name)"])
            }
            let settler = ProjectionSettler(projections: definition.projections, database: database, logger: logger)
            let consumer = EventConsumer(config: config, projections: definition.projections, database: database, producer: producer,
                                         metrics: metrics, logger: logger, applied: { settler.nudge() })
            services.append(consumer)
            if !settler.isEmpty { services.append(settler) }
            checks["consumer"] = { await consumer.isBrokerReachable() }
        }
        checks.merge(definition.readiness(runtime)) { _, new in new }
        try await definition.startup(runtime)
        services += definition.background(runtime)

        let (router, allowed) = ServiceRouter.make(tls: config.environment.string("KPI_PUBLIC_URL", default: "").hasPrefix("https://"))
        HealthRoutes(checks: checks).register(on: router)
        if definition.usesDatabase {
            router.add(middleware: ActorMiddleware(verifier: runtime.forwardVerifier))
        }
        definition.routes(router, runtime)
        allowed.load(from: router)
        // A connection that sends nothing for the idle timeout is closed, mid-headers or
        // mid-body alike: a request that announces 1 GB and then stalls holds nothing for long.
        let app = Application(router: router,
                              server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinue(), LargeReads()],
                                                                  idleTimeout: .seconds(Int64(config.httpIdleTimeoutSeconds)))),
                              configuration: .init(address: .hostname(config.httpHost, port: config.httpPort),
                                                   serverName: "kpi-\(definition.name)"),
                              logger: logger)
        services.append(app)
        // Metrics on a listener of their own, never on the public port.
        let metricsRouter = Router(context: ServiceRequestContext.self)
        HealthRoutes.registerMetrics(on: metricsRouter, metrics: metrics)
        services.append(Application(router: metricsRouter,
                                    configuration: .init(address: .hostname(config.metricsHost, port: config.metricsPort),
                                                         serverName: "kpi-\(definition.name)-metrics"),
                                    logger: logger))

        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("starting", metadata: ["http.port": "\(config.httpPort)", "kafka.brokers": "\(config.kafkaBrokers)"])
        do {
            try await group.run()
        } catch {
            await producer?.close()
            await pool?.close()
            throw error
        }
        await producer?.close()
        await pool?.close()
        logger.info("stopped")
    }

    /// The runtime's tables, then each projection's, then the service's own.
    static func migrate(_ definition: ServiceDefinition, pool: PostgresPool, logger: Logger) async throws {
        let folders = [Migrator.runtimeFolder("Messaging")] + definition.projections.compactMap(\.migrations)
            + (definition.migrations.map { [$0] } ?? [])
        try await Migrator(schema: definition.name, folders: folders).run(on: pool, logger: logger)
    }

    /// The database may start after the service (containers): wait up to a minute for it.
    static func waitForDatabase(_ pool: PostgresPool, logger: Logger) async throws {
        var attempt = 0
        while true {
            do {
                _ = try await pool.query("SELECT 1")
                return
            } catch {
                attempt += 1
                if attempt >= 60 { throw error }
                if attempt == 1 || attempt % 10 == 0 {
                    logger.warning("database not reachable yet", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
