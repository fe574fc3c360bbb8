import Foundation
import KPIEvents
import Testing

@Suite struct EventEnvelopeTests {
    let event = UnitCreatedV1(code: 74, nameTh: "สำนักงานเขต", kind: .district, areaCode: 74, active: true, version: 1)

    @Test func binaryModeHeadersRoundTrip() throws {
        let envelope = try EventEnvelope(event, source: "/kpi/identity", correlationId: "abc123")
        let headers = Dictionary(uniqueKeysWithValues: envelope.headers)
        #expect(headers["ce_specversion"] == "1.0")
        #expect(headers["ce_type"] == "th.kpi.identity.unit.created.v1")
        #expect(headers["ce_subject"] == "unit-74")
        #expect(headers["ce_correlationid"] == "abc123")
        #expect(headers["content-type"] == "application/json")
        let back = try EventEnvelope(headers: headers, key: envelope.aggregateId, value: envelope.data)
        #expect(back.id == envelope.id && back.type == envelope.type && back.aggregateId == "unit-74")
        #expect(abs(back.time.timeIntervalSince(envelope.time)) < 0.001)
        #expect(try back.decode(UnitCreatedV1.self) == event)
    }

    @Test func missingOrWrongAttributesAreDecodingErrors() throws {
        let envelope = try EventEnvelope(event, source: "/kpi/identity", correlationId: nil)
        var headers = Dictionary(uniqueKeysWithValues: envelope.headers)
        headers["ce_id"] = nil
        #expect(throws: EventDecodingError.self) { try EventEnvelope(headers: headers, key: nil, value: envelope.data) }
        headers = Dictionary(uniqueKeysWithValues: envelope.headers)
        headers["ce_specversion"] = "0.3"
        #expect(throws: EventDecodingError.self) { try EventEnvelope(headers: headers, key: nil, value: envelope.data) }
    }

    @Test func dataOfTheWrongShapeOrTypeIsRefused() throws {
        var envelope = try EventEnvelope(event, source: "/kpi/identity", correlationId: nil)
        #expect(throws: EventDecodingError.self) { try envelope.decode(UnitUpdatedV1.self) }
        envelope.data = Array("{\"code\":\"x\"}".utf8)
        #expect(throws: EventDecodingError.self) { try envelope.decode(UnitCreatedV1.self) }
    }

    @Test func topicsAreDeclaredOnceEach() {
        #expect(Set(Topics.all.map(\.name)).count == Topics.all.count)
        #expect(Topics.owned(by: "identity") == Topics.identity)
        #expect(Topics.owned(by: "gateway") == nil)
        #expect(UnitCreatedV1.topic == Topics.identity && UnitUpdatedV1.topic == Topics.identity)
    }
}
