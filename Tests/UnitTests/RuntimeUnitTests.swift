import KPIContracts
import Foundation
import KPIKafka
import KPIRuntime
import Testing

@Suite struct RuntimeUnitTests {
    @Test func configurationHasDocumentedDefaults() throws {
        let config = try ServiceConfig(service: "catalogue", environment: EnvironmentVariables([:]))
        #expect(config.httpPort == 8082 && config.postgres.user == "catalogue" && config.postgres.searchPath == "catalogue")
        #expect(config.outboxRetentionDays == 30 && config.kafkaBrokers == "127.0.0.1:9092")
        #expect(config.consumerGroup == "kpi.catalogue")
    }

    @Test func badConfigurationIsRefusedWithTheVariableNamed() {
        #expect(throws: ConfigError.self) { try ServiceConfig(service: "identity", environment: EnvironmentVariables(["KPI_HTTP_PORT": "eighty"])) }
        #expect(throws: ConfigError.self) { try ServiceConfig(service: "identity", environment: EnvironmentVariables(["KPI_LOG_LEVEL": "loud"])) }
    }

    @Test func correlationIdsArePlainAndShort() {
        #expect(Correlation.sanitize("abc-123") == "abc-123")
        #expect(Correlation.sanitize("a\nb") == nil)
        #expect(Correlation.sanitize(String(repeating: "a", count: 65)) == nil)
        #expect(Correlation.traceId(fromTraceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(Correlation.traceId(fromTraceparent: "garbage") == nil)
        #expect(Correlation.newId().count == 32)
    }

    @Test func offsetResetWarningsAreRecognised() {
        let reset = KafkaLogLine(level: 4, facility: "OFFSET",
                                 message: "kpi.identity.v1 [3]: offset reset (at offset 120, broker 1) to BEGINNING: fetch failed due to requested offset not available on the broker: Broker: Offset out of range")
        #expect(reset.isOffsetResetAfterError && reset.topic == "kpi.identity.v1")
        #expect(!KafkaLogLine(level: 7, facility: "OFFSET", message: "x [0]: offset reset (at offset INVALID) to BEGINNING").isOffsetResetAfterError)
    }

    @Test func metricsRenderInPrometheusText() {
        let metrics = ServiceMetrics()
        metrics.eventsPublished(topic: "kpi.identity.v1").increment()
        metrics.eventsConsumed(topic: "kpi.identity.v1", result: "applied").increment()
        metrics.outboxBacklog.set(Int64(3))
        let text = metrics.render()
        #expect(text.contains("kpi_events_published_total{topic=\"kpi.identity.v1\"} 1"))
        #expect(text.contains("kpi_events_consumed_total{topic=\"kpi.identity.v1\",result=\"applied\"} 1"))
        #expect(text.contains("kpi_outbox_backlog 3"))
    }
}

@Suite struct ActorSignerTests {
    let signer = ActorSigner(secret: String(repeating: "k", count: 40))!
    let actor = Actor(userId: "u1", username: "somsri", unitCode: 3, rights: [.view, .report], yearBE: 2567,
                      expires: Int(Date().timeIntervalSince1970) + 60)

    @Test func aSignedActorVerifies() throws {
        #expect(signer.verify(try signer.sign(actor)) == actor)
    }

    @Test func tamperedExpiredOrForeignAssertionsAreRefused() throws {
        let token = try signer.sign(actor)
        var widened = actor
        widened.rights.append(.administer)
        let forgedPayload = try signer.sign(widened).split(separator: ".")[0] + "." + token.split(separator: ".")[1]
        #expect(signer.verify(String(forgedPayload)) == nil)
        #expect(signer.verify(token, now: Date().addingTimeInterval(120)) == nil)
        #expect(ActorSigner(secret: String(repeating: "x", count: 40))!.verify(token) == nil)
        #expect(signer.verify("garbage") == nil)
        #expect(ActorSigner(secret: "too-short") == nil)
    }
}
