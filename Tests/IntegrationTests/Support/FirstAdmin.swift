import Foundation

/// The first administrator as tests use it. identity creates it with `KPI_ADMIN_PASSWORD`, which
/// must be changed at the first sign-in; whichever test signs in first makes that change, to
/// `password`. Tests/browser/conftest.py follows the same rule, so neither depends on the other
/// having run.
enum FirstAdmin {
    static let initial = ProcessInfo.processInfo.environment["KPI_ADMIN_PASSWORD"] ?? ""
    static let password = initial + ".2"

    private struct SignIn: Encodable { var username: String; var password: String }
    private struct Change: Encodable { var current: String; var new: String }

    /// A session of the administrator on the identity at `base`.
    static func token(identity base: String) async throws -> String {
        if try await Admin.int("SELECT count(*)::int FROM identity.users WHERE username = 'admin' AND must_change_password") == 1 {
            let first = try await httpSend("POST", "\(base)/sessions", json: SignIn(username: "admin", password: initial))
            let token = jsonObject(first.body)["token"] as? String ?? ""
            let changed = try await httpSend("PUT", "\(base)/sessions/current/password", json: Change(current: initial, new: password),
                                             headers: [("X-KPI-Session", token)])
            guard changed.status == 204 else { throw TestFailure("the first administrator's password change: \(changed.status) \(changed.body)") }
        }
        let reply = try await httpSend("POST", "\(base)/sessions", json: SignIn(username: "admin", password: password))
        guard let token = jsonObject(reply.body)["token"] as? String else {
            throw TestFailure("the administrator did not sign in: \(reply.status) \(reply.body)")
        }
        return token
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
