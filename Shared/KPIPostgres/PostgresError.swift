/// What went wrong talking to PostgreSQL. `sqlState` lets callers tell a constraint violation
/// (23505) or a permission error (42501) from a lost connection.
public enum PostgresError: Error, CustomStringConvertible, Sendable {
    case connection(String)
    case query(message: String, sqlState: String?)
    case decoding(String)
    /// A transaction failed; `stage` says whether at BEGIN, in the body, at COMMIT or at ROLLBACK.
    case transaction(stage: TransactionStage, underlying: any Error)
    case poolClosed
    /// Every connection was in use and none came free within the lease timeout.
    case poolExhausted

    public enum TransactionStage: String, Sendable { case begin, body, commit, rollback }

    public var sqlState: String? {
        switch self {
        case .query(_, let state): return state
        case .transaction(_, let underlying): return (underlying as? PostgresError)?.sqlState
        default: return nil
        }
    }

    /// True when retrying later may succeed (the server or network went away), false for
    /// errors that the same statement would hit again.
    public var isTransient: Bool {
        switch self {
        case .connection, .poolClosed, .poolExhausted: return true
        case .query(_, let state):
            guard let state else { return true }
            // 08: connection exception, 57P: operator intervention, 40001/40P01: serialization/deadlock
            return state.hasPrefix("08") || state.hasPrefix("57P") || state == "40001" || state == "40P01"
        case .transaction(_, let underlying):
            return (underlying as? PostgresError)?.isTransient ?? false
        case .decoding: return false
        }
    }

    /// The database is too busy for this request now: no connection came free, or the
    /// statement ran past `statement_timeout` (57014). Answered 503 with Retry-After.
    public var isOverload: Bool {
        switch self {
        case .poolExhausted: return true
        case .transaction(_, let underlying): return (underlying as? PostgresError)?.isOverload ?? false
        default: return sqlState == "57014"
        }
    }

    public var description: String {
        switch self {
        case .connection(let m): return "connection: \(m)"
        case .query(let m, let s): return "query failed (\(s ?? "-")): \(m)"
        case .decoding(let m): return "decoding: \(m)"
        case .transaction(let stage, let e): return "transaction failed at \(stage.rawValue): \(e)"
        case .poolClosed: return "pool closed"
        case .poolExhausted: return "no database connection came free in time"
        }
    }
}
