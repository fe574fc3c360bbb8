import Foundation
import KPIPostgres
import Logging

/// The configuration every service reads at start. Defaults suit `deploy/kpi up` on one machine.
public struct ServiceConfig: Sendable {
    /// The service's name: also its schema, its database role and its consumer group suffix.
    public var name: String
    /// `KPI_HTTP_HOST` (default 127.0.0.1) and `KPI_HTTP_PORT` (default: the service's own port).
    public var httpHost: String
    public var httpPort: Int
    /// `KPI_METRICS_HOST` (default 127.0.0.1) and `KPI_METRICS_PORT` (default: the HTTP port +
    /// 1000): the internal listener that serves `/metrics`, apart from the public port.
    public var metricsHost: String
    public var metricsPort: Int
    /// `KPI_HTTP_IDLE_TIMEOUT_S` (15): a connection silent this long is closed, even mid-request.
    public var httpIdleTimeoutSeconds: Int
    /// `KPI_DB_HOST`, `KPI_DB_PORT`, `KPI_DB_NAME`, `KPI_DB_USER` (default: the service name),
    /// `KPI_DB_PASSWORD`, `KPI_DB_POOL_SIZE` (default 8), `KPI_DB_LEASE_TIMEOUT_MS` (5000),
    /// `KPI_DB_STATEMENT_TIMEOUT_MS` (30000).
    public var postgres: PostgresConfig
    /// `KPI_KAFKA_BROKERS`: bootstrap servers, default 127.0.0.1:9092.
    public var kafkaBrokers: String
    /// `KPI_OUTBOX_RETENTION_DAYS`: published outbox rows are kept this long for republishing (30).
    public var outboxRetentionDays: Int
    /// `KPI_OUTBOX_POLL_MS`: how often the relay looks for rows other instances wrote (200).
    public var outboxPollMs: Int
    /// `KPI_LOG_LEVEL`: trace, debug, info (default), notice, warning, error, critical.
    public var logLevel: Logger.Level
    /// `KPI_INSTANCE_ID`: names this process in logs and as Kafka client.id (default host-pid).
    public var instanceId: String
    /// Everything the process was started with, for service-specific settings.
    public var environment: EnvironmentVariables

    /// Default HTTP ports, one per service, so several run side by side on one machine.
    public static let defaultPorts = ["gateway": 8080, "identity": 8081, "catalogue": 8082,
                                      "intake": 8083, "review": 8084, "statistics": 8085]

    public init(service name: String, environment env: EnvironmentVariables = EnvironmentVariables()) throws {
        self.name = name
        self.environment = env
        httpHost = env.string("KPI_HTTP_HOST", default: "127.0.0.1")
        httpPort = try env.int("KPI_HTTP_PORT", default: Self.defaultPorts[name] ?? 8080)
        metricsHost = env.string("KPI_METRICS_HOST", default: "127.0.0.1")
        metricsPort = try env.int("KPI_METRICS_PORT", default: httpPort + 1000)
        httpIdleTimeoutSeconds = try env.int("KPI_HTTP_IDLE_TIMEOUT_S", default: 15)
        postgres = PostgresConfig(
            host: env.string("KPI_DB_HOST", default: "127.0.0.1"),
            port: try env.int("KPI_DB_PORT", default: 5432),
            user: env.string("KPI_DB_USER", default: name),
            password: env.string("KPI_DB_PASSWORD", default: ""),
            database: env.string("KPI_DB_NAME", default: "kpi"),
            applicationName: name,
            poolSize: try env.int("KPI_DB_POOL_SIZE", default: 8),
            searchPath: name,
            leaseTimeout: .milliseconds(try env.int("KPI_DB_LEASE_TIMEOUT_MS", default: 5000)),
            statementTimeoutMs: try env.int("KPI_DB_STATEMENT_TIMEOUT_MS", default: 30_000))
        kafkaBrokers = env.string("KPI_KAFKA_BROKERS", default: "127.0.0.1:9092")
        outboxRetentionDays = try env.int("KPI_OUTBOX_RETENTION_DAYS", default: 30)
        outboxPollMs = try env.int("KPI_OUTBOX_POLL_MS", default: 200)
        let level = env.string("KPI_LOG_LEVEL", default: "info")
        guard let parsed = Logger.Level(rawValue: level) else {
            throw ConfigError(key: "KPI_LOG_LEVEL", reason: "is not a log level: \(level)")
        }
        logLevel = parsed
        instanceId = env.string("KPI_INSTANCE_ID", default: "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)")
    }

    /// Settings shared by this service's Kafka clients.
    var kafkaSettings: [String: String] {
        var settings = ["bootstrap.servers": kafkaBrokers, "client.id": "\(name)-\(instanceId)"]
        // `KPI_KAFKA_DEBUG`: librdkafka's debug contexts (say "cgrp,fetch"), logged at debug level.
        let debug = environment.string("KPI_KAFKA_DEBUG", default: "")
        if !debug.isEmpty { settings["debug"] = debug }
        return settings
    }

    /// The consumer group of this service: every instance shares it, so partitions are split.
    public var consumerGroup: String { "kpi.\(name)" }
}
