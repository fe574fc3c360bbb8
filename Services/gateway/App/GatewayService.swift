import KPIRuntime

/// gateway: the only public HTTP entry. Serves the web UI and the public JSON API and forwards
/// to the services. Keeps no data, so any number of gateways can run side by side.
public enum GatewayService {
    public static let definition = ServiceDefinition(
        name: "gateway",
        migrations: nil,
        usesDatabase: false,
        routes: { router, runtime in
            let env = runtime.config.environment
            // Secure cookies whenever the public address is https (behind a TLS proxy).
            let secure = env.string("KPI_PUBLIC_URL", default: "").hasPrefix("https://")
            let upstreams = Upstreams(environment: env)
            if upstreams.signer == nil {
                runtime.logger.warning("KPI_FORWARD_SIGNING_KEY unset or not an Ed25519 key: no rights are forwarded to the services")
            }
            Routes.register(on: router, upstreams: upstreams, secureCookies: secure,
                            publicURL: env.string("KPI_PUBLIC_URL", default: ""))
        },
        readiness: { runtime in
            let upstreams = Upstreams(environment: runtime.config.environment)
            var checks: [String: HealthRoutes.Check] = [:]
            for upstream in Upstream.allCases { checks[upstream.rawValue] = { await upstreams.isLive(upstream) } }
            return checks
        })
}
