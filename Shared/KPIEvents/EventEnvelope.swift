import Foundation

/// A CloudEvents 1.0 event. On Kafka it travels in binary mode: the attributes as `ce_*`
/// headers, `data` as the JSON record value, and the aggregate id as the record key.
public struct EventEnvelope: Sendable, Equatable {
    public static let specVersion = "1.0"

    public var id: UUID
    /// URI of the producing service, e.g. `/kpi/identity`.
    public var source: String
    /// Reverse-DNS type with version, e.g. `th.kpi.identity.unit.created.v1`.
    public var type: String
    public var time: Date
    public var subject: String?
    /// The aggregate this event belongs to (Kafka key).
    public var aggregateId: String
    /// Extension attribute `correlationid`: the request that caused this event.
    public var correlationId: String?
    public var data: [UInt8]

    public init(id: UUID = UUID(), source: String, type: String, time: Date = Date(), subject: String?,
                aggregateId: String, correlationId: String?, data: [UInt8]) {
        self.id = id; self.source = source; self.type = type; self.time = time; self.subject = subject
        self.aggregateId = aggregateId; self.correlationId = correlationId; self.data = data
    }

    /// Wraps a domain event.
    public init<E: DomainEvent>(_ event: E, source: String, correlationId: String?, id: UUID = UUID(), time: Date = Date()) throws {
        self.init(id: id, source: source, type: E.eventType, time: time, subject: event.subject,
                  aggregateId: event.aggregateId, correlationId: correlationId, data: try EventCoding.encode(event))
    }

    /// Decodes `data` as the domain event `E`; throws `EventDecodingError` when type or data do not fit.
    public func decode<E: DomainEvent>(_ type: E.Type) throws -> E {
        guard self.type == E.eventType else {
            throw EventDecodingError(reason: "type \(self.type) is not \(E.eventType)")
        }
        do {
            return try EventCoding.decoder.decode(E.self, from: Data(data))
        } catch {
            throw EventDecodingError(reason: "data of \(self.type) does not decode: \(error)")
        }
    }

    /// Binary-mode headers (`ce_` prefix, as the CloudEvents Kafka binding specifies).
    public var headers: [(String, String)] {
        var h: [(String, String)] = [
            ("ce_specversion", Self.specVersion),
            ("ce_id", id.uuidString.lowercased()),
            ("ce_source", source),
            ("ce_type", type),
            ("ce_time", EventCoding.formatTime(time)),
            ("content-type", "application/json"),
        ]
        if let subject { h.append(("ce_subject", subject)) }
        if let correlationId { h.append(("ce_correlationid", correlationId)) }
        return h
    }

    /// Reads a binary-mode record back. Throws `EventDecodingError` when a required attribute is missing.
    public init(headers: [String: String], key: String?, value: [UInt8]) throws {
        func required(_ name: String) throws -> String {
            guard let v = headers[name], !v.isEmpty else { throw EventDecodingError(reason: "missing header \(name)") }
            return v
        }
        guard try required("ce_specversion") == Self.specVersion else {
            throw EventDecodingError(reason: "unsupported specversion \(headers["ce_specversion"] ?? "")")
        }
        guard let id = UUID(uuidString: try required("ce_id")) else { throw EventDecodingError(reason: "ce_id is not a UUID") }
        guard let time = EventCoding.parseTime(try required("ce_time")) else { throw EventDecodingError(reason: "ce_time is not RFC 3339") }
        self.init(id: id, source: try required("ce_source"), type: try required("ce_type"), time: time,
                  subject: headers["ce_subject"], aggregateId: key ?? "", correlationId: headers["ce_correlationid"], data: value)
    }
}

public struct EventDecodingError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// One Swift type per event type and version. A new version is a new type.
public protocol DomainEvent: Codable, Sendable {
    /// CloudEvents `type`, ending in the version (`….v1`).
    static var eventType: String { get }
    /// The topic this event is published to.
    static var topic: Topic { get }
    /// Kafka key: the aggregate this event changes.
    var aggregateId: String { get }
    var subject: String? { get }
}

extension DomainEvent {
    public var subject: String? { aggregateId }
}

public enum EventCoding {
    public static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()
    public static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    public static func encode<E: Encodable>(_ value: E) throws -> [UInt8] { Array(try encoder.encode(value)) }

    /// RFC 3339 with milliseconds, UTC. A value type: shared across threads, made once.
    static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public static func formatTime(_ date: Date) -> String { timeStyle.format(date) }

    public static func parseTime(_ text: String) -> Date? {
        (try? timeStyle.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}
