import Foundation
import Hummingbird
import KPIRuntime

/// The address of the person's browser. The peer of the connection, unless the peer is one of
/// `KPI_TRUSTED_PROXIES` (comma-separated addresses of our own reverse proxies): then the
/// right-most `X-Forwarded-For` entry that is not a trusted proxy. A header from anyone else is
/// ignored, so nobody can pick the address their attempts are counted under.
struct ClientAddress: Sendable {
    let trustedProxies: Set<String>

    init(environment: EnvironmentVariables) {
        trustedProxies = Set(environment.string("KPI_TRUSTED_PROXIES", default: "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    func resolve(peer: String?, forwardedFor: String?) -> String {
        guard let peer else { return "unknown" }
        guard trustedProxies.contains(peer), let forwardedFor else { return peer }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !trustedProxies.contains($0) } ?? peer
    }

    func resolve(_ request: Request, _ context: ServiceRequestContext) -> String {
        resolve(peer: context.remoteAddress, forwardedFor: request.headers[.init("X-Forwarded-For")!])
    }
}
