import Foundation
import KPIEvents

/// State a service keeps from events: a name, the handlers that keep it, its own migrations and
/// the tables that hold it. A service lists its projections in its `ServiceDefinition`; the
/// runtime knows none of them by name.
///
/// Each projection has its own inbox rows (projection, event id), so it applies every event
/// once, and it can be emptied and rebuilt from the history (`<service> rebuild <name>`) while
/// the others carry on. A projection reads only its own tables: it must not depend on the
/// order in which the service's other projections apply an event.
public struct Projection: Sendable {
    public var name: String
    /// Numbered SQL files that create the projection's tables; their names must not clash with
    /// other migrations of the service.
    public var migrations: URL?
    /// Emptied (TRUNCATE) before a rebuild.
    public var tables: [String]
    public var handlers: EventHandlers
    /// Work a projection defers from its handlers (figures counted again from many rows, say):
    /// given a transaction, does one piece of it and returns how many items it settled, 0 when
    /// nothing is left. `ProjectionSettler` runs it after each applied batch and once a second;
    /// a rebuild runs it until nothing is left. Deferring keeps a replay of millions of events
    /// from counting the same figure again for every batch that touches it.
    public var settle: (@Sendable (Transaction) async throws -> Int)?

    public init(name: String, migrations: URL?, tables: [String], settle: (@Sendable (Transaction) async throws -> Int)? = nil,
                handlers build: (inout EventHandlers) -> Void) {
        precondition(!name.isEmpty && tables.allSatisfy { $0.allSatisfy { $0.isLetter || $0 == "_" } },
                     "projection names and tables are plain identifiers")
        self.name = name; self.migrations = migrations; self.tables = tables; self.settle = settle
        var handlers = EventHandlers()
        build(&handlers)
        self.handlers = handlers
    }
}
