import KPIEvents

/// One event as a handler receives it: the decoded data and the envelope it came in.
public struct Received<E: DomainEvent>: Sendable {
    public var event: E
    public var envelope: EventEnvelope
}

/// The event types one projection consumes and what each does, inside the transaction that
/// also records the event ids in the inbox.
///
/// Handlers take events in runs: consecutive new events of one type in a consumed batch come in
/// one call, in partition order, so a handler can apply them with one set-based statement.
/// Events of different types are never reordered: a run ends where another type starts.
public struct EventHandlers: Sendable {
    struct Entry: Sendable {
        let decode: @Sendable (EventEnvelope) throws -> any Sendable
        let apply: @Sendable ([any Sendable], Transaction) async throws -> Void
    }
    private(set) var entries: [String: Entry] = [:]
    private(set) var topicNames: Set<String> = []

    public init() {}

    /// Registers the effect of event type `E` (once per type). Data that does not decode as `E`
    /// goes to the dead-letter topic without reaching the handler.
    public mutating func on<E: DomainEvent>(_ type: E.Type, _ body: @escaping @Sendable ([Received<E>], Transaction) async throws -> Void) {
        precondition(entries[E.eventType] == nil, "\(E.eventType) registered twice in one projection")
        entries[E.eventType] = Entry(
            decode: { envelope in Received(event: try envelope.decode(E.self), envelope: envelope) },
            apply: { items, tx in try await body(items.map { $0 as! Received<E> }, tx) })
        topicNames.insert(E.topic.name)
    }

    public var topics: [String] { topicNames.sorted() }
    public var isEmpty: Bool { entries.isEmpty }

    func entry(for type: String) -> Entry? { entries[type] }
}
