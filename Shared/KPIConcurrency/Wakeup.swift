import Foundation

/// A signal that one waiter sleeps on until it is given, a timeout passes or the waiting task
/// is cancelled. A signal given while nobody waits is kept for the next wait.
public final class Wakeup: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?

    public init() {}

    public func signal() {
        let w: CheckedContinuation<Void, Never>? = lock.withLock {
            if let w = waiter { waiter = nil; return w }
            pending = true
            return nil
        }
        w?.resume()
    }

    /// Returns when signalled, after `timeout`, or at once when the task is (or gets) cancelled,
    /// so a loop around it ends with its task instead of sleeping on.
    public func wait(timeout: Duration) async {
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { self?.signal() }
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now: Bool = lock.withLock {
                    if pending || Task.isCancelled { pending = false; return true }
                    waiter = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            signal()
        }
    }
}
