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
            if runtime.actorSigner == nil { runtime.logger.warning("KPI_FORWARD_KEY unset or shorter than 32 bytes: no rights are forwarded to the services") }
            Routes.register(on: router, upstreams: Upstreams(environment: env), secureCookies: secure, signer: runtime.actorSigner,
                            publicURL: env.string("KPI_PUBLIC_URL", default: ""))
        },
        readiness: { runtime in
            let upstreams = Upstreams(environment: runtime.config.environment)
            var checks: [String: HealthRoutes.Check] = [:]
            for upstream in Upstream.allCases { checks[upstream.rawValue] = { await upstreams.isLive(upstream) } }
            return checks
        })
}
