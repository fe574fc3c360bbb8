import Foundation
import KPIContracts
import Logging
import KPIPasswords
import KPIPostgres
import KPIRuntime

/// Accounts made at start: the first administrator (when no administrator exists yet) and, in
/// demo mode only, one account of each kind, so a newcomer can try every part.
public struct AccountSeed: Sendable {
    let db: ServiceDatabase
    let vault: NationalIDVault
    let hasher = PasswordHasher()

    public init(db: ServiceDatabase, vault: NationalIDVault) { self.db = db; self.vault = vault }

    public struct Account: Sendable {
        var username: String
        var password: String
        var firstNameTh: String
        var lastNameTh: String
        var position: String
        var unitCode: Int
        var workgroupId: Int?
        var rights: Set<Right>
        /// The first administrator's password comes from the operator's environment: it must be
        /// changed at the first sign-in (ASVS 2.3.1), and does not expire before then.
        var mustChangePassword = false
    }

    /// `KPI_ADMIN_USERNAME` (default admin) and `KPI_ADMIN_PASSWORD` (required to create one): the
    /// nation's administrator, who reaches every area and adds the area offices;
    /// `KPI_DEMO=true` adds `demo-school` and `demo-district` with `KPI_DEMO_PASSWORD`.
    public func run(environment env: EnvironmentVariables) async throws -> [String] {
        var made: [String] = []
        let adminPassword = env.string("KPI_ADMIN_PASSWORD", default: "")
        let hasAdmin = try await db.query("SELECT 1 FROM users WHERE 'administer' = ANY(rights) AND status = 'active' LIMIT 1").first != nil
        let name = env.string("KPI_ADMIN_USERNAME", default: "admin")
        let nameTaken = try await db.query("SELECT 1 FROM users WHERE lower(username) = \(name.lowercased())").first != nil
        if !hasAdmin, nameTaken {
            // The first administrator was disabled or lost the right: identity starts anyway, and
            // an operator restores an administrator (never silently, never by a second account).
            Logger(label: "kpi.identity").warning("no active administrator; the account \(name) exists but is not an active administrator",
                                                  metadata: ["security.event": "admin.missing"])
        }
        if !hasAdmin, !nameTaken, !adminPassword.isEmpty {
            try await create(Account(username: name, password: adminPassword, firstNameTh: "ผู้ดูแลระบบ", lastNameTh: "KPI-Online",
                                     position: "ผู้ดูแลระบบ", unitCode: OrgUnit.nationCode, workgroupId: nil, rights: UserKind.administrator.defaultRights,
                                     mustChangePassword: true))
            made.append(name)
        }
        if try env.bool("KPI_DEMO", default: false) {
            let password = env.string("KPI_DEMO_PASSWORD", default: "")
            guard !password.isEmpty else { throw ConfigError(key: "KPI_DEMO_PASSWORD", reason: "must be set when KPI_DEMO is true") }
            let demo = [
                Account(username: "demo-school", password: password, firstNameTh: "ครูสาธิต", lastNameTh: "รายงานข้อมูล",
                        position: "ครู", unitCode: 1, workgroupId: nil, rights: UserKind.schoolReporter.defaultRights),
                Account(username: "demo-district", password: password, firstNameTh: "ศึกษานิเทศก์", lastNameTh: "สาธิต",
                        position: "ศึกษานิเทศก์", unitCode: 74, workgroupId: 5, rights: UserKind.districtStaff.defaultRights),
            ]
            for account in demo where try await db.query("SELECT 1 FROM users WHERE lower(username) = \(account.username)").first == nil {
                try await create(account)
                made.append(account.username)
            }
        }
        return made
    }

    func create(_ a: Account) async throws {
        let hash = try await hasher.hash(a.password)
        let id = UUID()
        let rights = "{" + a.rights.sorted().map(\.rawValue).joined(separator: ",") + "}"
        let nid = Self.syntheticNationalId()
        let sealed = PostgresBytes(try vault.seal(nid)), lookup = PostgresBytes(vault.lookupHash(nid))
        try await db.transaction { tx in
            try await tx.execute("""
                INSERT INTO users (id, username, password_hash, national_id_sealed, national_id_hash, title, first_name_th, last_name_th,
                    first_name_en, last_name_en, staff_kind, position, office_phone, mobile, unit_code, province, email, workgroup_id,
                    status, rights, must_change_password)
                VALUES (\(id), \(a.username), \(hash), \(sealed), \(lookup), 'นาย', \(a.firstNameTh), \(a.lastNameTh),
                    'Demo', \(a.username), 'civil_servant', \(a.position), '055000000', '0800000000', \(a.unitCode),
                    'กำแพงเพชร', \(a.username + "@example.invalid"), \(a.workgroupId), 'active', \(rights)::text[], \(a.mustChangePassword))
                """)
            try await tx.execute("INSERT INTO user_audit (user_id, field, new_value) VALUES (\(id), 'status', 'active (created at start)')")
        }
    }

    /// A valid-looking ID starting with 0 (no real person's ID starts with 0).
    static func syntheticNationalId() -> NationalID {
        let body = "0" + (0..<11).map { _ in String(Int.random(in: 0...9)) }.joined()
        let d = body.compactMap(\.wholeNumberValue)
        let sum = (0..<12).reduce(0) { $0 + d[$1] * (13 - $1) }
        return NationalID(body + String((11 - sum % 11) % 10))!
    }
}
