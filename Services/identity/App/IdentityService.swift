import Foundation
import KPIPasswords
import KPIRuntime

/// identity: users, rights, units, sessions. Owns the units and publishes their events.
public enum IdentityService {
    public static let definition = ServiceDefinition(
        name: "identity",
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil),
        projections: [Notices.projection],
        routes: { router, runtime in
            // startup has checked the key already.
            let users = UserStore(db: runtime.db, vault: try! NationalIDVault(environment: runtime.config.environment))
            let sessions = SessionStore(users: users)
            Routes.register(on: router, units: UnitStore(db: runtime.db), sessions: sessions)
            AccountRoutes.register(on: router, users: users, sessions: sessions, verifier: runtime.forwardVerifier)
        },
        startup: { runtime in
            let vault = try NationalIDVault(environment: runtime.config.environment)
            let sealed = try await UserStore(db: runtime.db, vault: vault).sealPlaintextNationalIds()
            if sealed > 0 { runtime.logger.notice("national IDs stored before encryption are now sealed", metadata: ["accounts": "\(sealed)"]) }
            PasswordHasher.prepareDecoy()
            let seeded = try await UnitStore(db: runtime.db).seedIfEmpty(try seedUnits())
            if seeded > 0 { runtime.logger.info("seed units loaded", metadata: ["units": "\(seeded)"]) }
            let placed = try await UnitStore(db: runtime.db).placeInTree()
            if placed > 0 { runtime.logger.notice("units stored before areas placed in the tree", metadata: ["units": "\(placed)"]) }
            let accounts = try await AccountSeed(db: runtime.db, vault: vault).run(environment: runtime.config.environment)
            if !accounts.isEmpty { runtime.logger.info("accounts created at start", metadata: ["accounts": "\(accounts)"]) }
            // An SMTP setting that cannot work stops the start here, with its message.
            _ = try Mailer(runtime: runtime)
        },
        background: { runtime in [try! Mailer(runtime: runtime)].compactMap { $0 } })

    /// The nation and the 34 units named in the manual (the area office สพม.กำแพงเพชร and its
    /// units), loaded at first start.
    public static func seedUnits() throws -> [OrgUnit] {
        let url = Bundle.module.url(forResource: "Seed/units", withExtension: "csv")!
        return try UnitCSV.parse(try String(contentsOf: url, encoding: .utf8))
    }
}
