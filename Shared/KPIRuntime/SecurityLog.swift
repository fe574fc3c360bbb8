import Logging

/// Security events (sign-ins, refusals, throttling, administrator actions) as structured log
/// lines with `security.event`, so they can be found and alerted on. Never with a secret, a
/// password, a token or a national ID; a person is named by their account id only.
public enum SecurityLog {
    public static func event(_ name: String, _ logger: Logger, _ metadata: Logger.Metadata = [:]) {
        var m = metadata
        m["security.event"] = .string(name)
        logger.notice("security event", metadata: m)
    }
}
