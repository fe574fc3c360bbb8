import Prometheus

/// This process's metrics in Prometheus text format. HTTP request counts come from
/// Hummingbird's `MetricsMiddleware` through the same registry (`hb_requests`).
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    public func eventsPublished(topic: String) -> Counter {
        registry.makeCounter(name: "kpi_events_published_total", labels: [("topic", topic)])
    }

    /// `result`: applied, duplicate, ignored (no handler for the type) or deadlettered.
    public func eventsConsumed(topic: String, result: String) -> Counter {
        registry.makeCounter(name: "kpi_events_consumed_total", labels: [("topic", topic), ("result", result)])
    }

    public var outboxBacklog: Gauge { registry.makeGauge(name: "kpi_outbox_backlog") }

    /// Outbox rows set aside because they can never be delivered (`kpi status` lists them).
    public var outboxDead: Gauge { registry.makeGauge(name: "kpi_outbox_dead") }

    /// Failed sends of outbox rows; `kind` is transient (retried after a backoff) or permanent.
    public func outboxFailures(topic: String, kind: String) -> Counter {
        registry.makeCounter(name: "kpi_outbox_send_failures_total", labels: [("topic", topic), ("kind", kind)])
    }

    public func consumerLag(topic: String, partition: Int32) -> Gauge {
        registry.makeGauge(name: "kpi_consumer_lag", labels: [("topic", topic), ("partition", String(partition))])
    }

    /// A consumer found its position gone from the broker (fell behind retention or broker restarted).
    public func offsetResets(topic: String) -> Counter {
        registry.makeCounter(name: "kpi_consumer_offset_resets_total", labels: [("topic", topic)])
    }

    public func render() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
