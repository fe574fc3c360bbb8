import Foundation
import KPIConcurrency
import Logging
import ServiceLifecycle

/// Runs the deferred work of a service's projections (`Projection.settle`): after every batch
/// the consumer applied (it nudges), and once a second for what other instances left. Each
/// piece is its own transaction; a projection being rebuilt is left alone (its rebuild settles
/// it at the end), so a replay is not slowed by counting figures that are still moving.
public final class ProjectionSettler: Service, @unchecked Sendable {
    let projections: [Projection]
    let database: ServiceDatabase
    let logger: Logger
    private let wakeup = Wakeup()

    public init(projections: [Projection], database: ServiceDatabase, logger: Logger) {
        self.projections = projections.filter { $0.settle != nil }
        self.database = database; self.logger = logger
    }

    public var isEmpty: Bool { projections.isEmpty }

    /// Called after a batch of events was applied.
    public func nudge() { wakeup.signal() }

    public func run() async throws {
        await withGracefulShutdownHandler {
            var backoff = Duration.milliseconds(200)
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    for p in projections { _ = try await Self.settle(p, database: database, unlessRebuilding: true) }
                    backoff = .milliseconds(200)
                } catch {
                    logger.warning("settling projections failed; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(5))
                    continue
                }
                await wakeup.wait(timeout: .seconds(1))
            }
        } onGracefulShutdown: {
            self.wakeup.signal()
        }
    }

    /// Settles `projection` until nothing is left; returns how many items that took.
    @discardableResult
    public static func settle(_ projection: Projection, database: ServiceDatabase, unlessRebuilding: Bool) async throws -> Int {
        guard let settle = projection.settle else { return 0 }
        var total = 0
        while !Task.isCancelled {
            let done = try await database.transaction { tx -> Int in
                if unlessRebuilding {
                    let rebuilding = try await tx.query("""
                        SELECT rebuilding_since IS NOT NULL FROM projections WHERE name = \(projection.name) FOR SHARE
                        """).first?.decode(Bool.self, at: 0) ?? false
                    if rebuilding { return 0 }
                }
                return try await settle(tx)
            }
            if done == 0 { break }
            total += done
        }
        return total
    }
}
