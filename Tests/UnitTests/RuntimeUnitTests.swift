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

@Suite struct ForwardAssertionTests {
    let signer = ForwardSigner()
    var verifier: ForwardVerifier { ForwardVerifier(publicKey: signer.publicKey, audience: "catalogue")! }
    let actor = Actor(userId: "u1", username: "somsri", unitCode: 3, areaCode: 74, rights: [.view, .report], yearBE: 2567)

    @Test func aSignedActorVerifiesForItsServiceMethodAndPath() throws {
        let token = try signer.sign(actor, for: "catalogue", method: .post, path: "/years?x=1")
        #expect(verifier.actor(token, method: .post, path: "/years") == actor)
        #expect(ForwardSigner(privateKey: signer.privateKey)?.publicKey == signer.publicKey)
    }

    @Test func tamperedExpiredForeignOrMisdirectedAssertionsAreRefused() throws {
        let token = try signer.sign(actor, for: "catalogue", method: .post, path: "/years")
        var widened = actor
        widened.rights.append(.administer)
        let forgedPayload = try signer.sign(widened, for: "catalogue", method: .post, path: "/years").split(separator: ".")[0]
            + "." + token.split(separator: ".")[1]
        #expect(verifier.actor(String(forgedPayload), method: .post, path: "/years") == nil)
        #expect(verifier.actor(token, method: .post, path: "/years", now: Date().addingTimeInterval(120)) == nil)
        #expect(verifier.actor(token, method: .put, path: "/years") == nil)
        #expect(verifier.actor(token, method: .post, path: "/years/2568") == nil)
        #expect(ForwardVerifier(publicKey: signer.publicKey, audience: "intake")!.actor(token, method: .post, path: "/years") == nil)
        #expect(ForwardVerifier(publicKey: ForwardSigner().publicKey, audience: "catalogue")!.actor(token, method: .post, path: "/years") == nil)
        #expect(verifier.actor("garbage", method: .post, path: "/years") == nil)
        // A client assertion is not an actor, and the other way round.
        let client = try signer.signClient(address: "10.0.0.7", for: "catalogue", method: .post, path: "/years")
        #expect(verifier.actor(client, method: .post, path: "/years") == nil)
        #expect(verifier.client(client, method: .post, path: "/years") == "10.0.0.7")
        #expect(verifier.client(token, method: .post, path: "/years") == nil)
        #expect(ForwardSigner(privateKey: "too-short") == nil)
        #expect(ForwardVerifier(publicKey: "", audience: "catalogue") == nil)
    }
}
