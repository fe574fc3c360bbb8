import Foundation
import Hummingbird

/// `/health/live` and `/health/ready` on every service's port; `/metrics` on its metrics port.
public struct HealthRoutes: Sendable {
    /// Named readiness checks; ready when all pass.
    public typealias Check = @Sendable () async -> Bool
    let checks: [String: Check]

    public init(checks: [String: Check]) {
        self.checks = checks
    }

    public func register(on router: Router<ServiceRequestContext>) {
        router.get("/health/live") { _, _ in try jsonResponse(["status": "live"]) }
        router.get("/health/ready") { _, _ in
            var results: [String: Bool] = [:]
            await withTaskGroup(of: (String, Bool).self) { group in
                for (name, check) in checks { group.addTask { (name, await check()) } }
                for await (name, ok) in group { results[name] = ok }
            }
            let ready = results.values.allSatisfy { $0 }
            struct Report: Encodable { var status: String; var checks: [String: Bool] }
            return try jsonResponse(Report(status: ready ? "ready" : "not ready", checks: results),
                                    status: ready ? .ok : .serviceUnavailable)
        }
    }

    /// Prometheus text, for the internal metrics listener (`KPI_METRICS_PORT`).
    public static func registerMetrics(on router: Router<ServiceRequestContext>, metrics: ServiceMetrics) {
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
        }
    }
}
