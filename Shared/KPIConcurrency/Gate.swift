import Synchronization

/// Lets at most `limit` callers in at once; up to `maxWaiting` more wait in order, each at most
/// `timeout`. Past that, `enter` refuses at once (`GateError.full`), so an overloaded process
/// answers "busy, retry later" instead of piling up work or hanging.
///
/// Used for the connection pool (a slot per connection) and for password hashing (a slot per core).
///
///     try await gate.withSlot { try await work() }
public final class Gate: Sendable {
    public let limit: Int
    public let maxWaiting: Int
    public let timeout: Duration

    private struct State {
        var inside = 0
        var nextId: UInt64 = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        /// Waits decided but not queued yet, and those of them that ended (timed out, cancelled)
        /// before their waiter was queued.
        var deciding: Set<UInt64> = []
        var endedEarly: [UInt64: Ending] = [:]
    }
    private enum Ending: Sendable { case timedOut, cancelled }
    private let state = Mutex(State())

    public init(limit: Int, maxWaiting: Int, timeout: Duration) {
        precondition(limit > 0 && maxWaiting >= 0)
        self.limit = limit; self.maxWaiting = maxWaiting; self.timeout = timeout
    }

    /// Runs `body` holding a slot; the slot is given back however `body` ends.
    public func withSlot<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await enter()
        defer { leave() }
        return try await body()
    }

    /// Takes a slot, waiting for one up to `timeout`. Throws `GateError` when full or timed out,
    /// `CancellationError` when the waiting task is cancelled.
    public func enter() async throws {
        enum Decision { case enter, full, wait(UInt64) }
        let decision: Decision = state.withLock { s in
            if s.inside < limit && s.waiters.isEmpty { s.inside += 1; return .enter }
            if s.waiters.count >= maxWaiting { return .full }
            s.nextId += 1
            s.deciding.insert(s.nextId)
            return .wait(s.nextId)
        }
        switch decision {
        case .enter: return
        case .full: throw GateError.full
        case .wait(let id):
            let timer = Task { [weak self, timeout] in
                try await Task.sleep(for: timeout)
                self?.expire(id, .timedOut)
            }
            defer { timer.cancel() }
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                    enum Now { case admitted, queued, ended(Ending) }
                    let now: Now = state.withLock { s in
                        s.deciding.remove(id)
                        if let ending = s.endedEarly.removeValue(forKey: id) { return .ended(ending) }
                        // A slot may have come free between the decision and now.
                        if s.inside < limit && s.waiters.isEmpty { s.inside += 1; return .admitted }
                        s.waiters.append((id, c))
                        return .queued
                    }
                    switch now {
                    case .admitted: c.resume()
                    case .queued: break
                    case .ended(let ending): c.resume(throwing: Self.error(ending))
                    }
                }
            } onCancel: {
                expire(id, .cancelled)
            }
        }
    }

    /// Gives a slot back: to the longest waiter, or free.
    public func leave() {
        let next: CheckedContinuation<Void, any Error>? = state.withLock { s in
            if s.waiters.isEmpty { s.inside -= 1; return nil }
            return s.waiters.removeFirst().continuation  // the slot passes on; `inside` stays
        }
        next?.resume()
    }

    /// How many hold a slot and how many wait (for metrics and tests).
    public var load: (inside: Int, waiting: Int) { state.withLock { ($0.inside, $0.waiters.count) } }

    /// Ends a wait that has not got its slot. A wait that already got it is left alone; one
    /// not queued yet is remembered, so its waiter ends as soon as it would queue.
    private func expire(_ id: UInt64, _ ending: Ending) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, any Error>? in
            guard let i = s.waiters.firstIndex(where: { $0.id == id }) else {
                if s.deciding.contains(id) { s.endedEarly[id] = ending }
                return nil
            }
            return s.waiters.remove(at: i).continuation
        }
        waiter?.resume(throwing: Self.error(ending))
    }

    private static func error(_ ending: Ending) -> any Error {
        ending == .timedOut ? GateError.timedOut : CancellationError()
    }
}

public enum GateError: Error, CustomStringConvertible, Sendable {
    /// Too many are waiting already.
    case full
    /// Waited `timeout` without a slot coming free.
    case timedOut

    public var description: String {
        switch self {
        case .full: return "too many requests are waiting"
        case .timedOut: return "no capacity came free in time"
        }
    }
}
