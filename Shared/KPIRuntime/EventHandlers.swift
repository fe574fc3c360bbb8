import KPIEvents

/// The event types a service consumes and what each does, inside the transaction that also
/// records the event id in the inbox.
public struct EventHandlers: Sendable {
    public typealias Handler = @Sendable (EventEnvelope, Transaction) async throws -> Void
    private(set) var handlers: [String: [Handler]] = [:]
    private(set) var topicNames: Set<String> = []

    public init() {}

    /// Registers an effect of event type `E`; several effects of one type run in the order
    /// registered. The data is decoded first: data that does not decode goes to the dead-letter topic.
    public mutating func on<E: DomainEvent>(_ type: E.Type, _ body: @escaping @Sendable (E, EventEnvelope, Transaction) async throws -> Void) {
        handlers[E.eventType, default: []].append { envelope, tx in try await body(try envelope.decode(E.self), envelope, tx) }
        topicNames.insert(E.topic.name)
    }

    public var topics: [String] { topicNames.sorted() }
    public var isEmpty: Bool { handlers.isEmpty }

    func handlers(for type: String) -> [Handler] { handlers[type] ?? [] }
}
