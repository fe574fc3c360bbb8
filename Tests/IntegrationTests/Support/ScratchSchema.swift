import Foundation
import KPIPostgres
import KPIRuntime
import Logging

/// A throw-away schema with the runtime's outbox and inbox (and any extra migration folders),
/// reached as the cluster's superuser: for tests that drive the relay or a consumer in-process
/// without touching any service's data.
struct ScratchSchema {
    let name: String
    let pool: PostgresPool
    let database: ServiceDatabase

    init(folders: [URL] = []) async throws {
        name = "scratch_\(UUID().uuidString.prefix(8).lowercased())"
        pool = PostgresPool(config: PostgresConfig(host: TestEnvironment.shared.dbSocket, port: TestEnvironment.shared.dbPort,
                                                   user: "postgres", applicationName: "test-\(name)", poolSize: 4, searchPath: name))
        database = ServiceDatabase(pool: pool, service: name)
        try await Migrator(schema: name, folders: [Migrator.runtimeFolder("Messaging")] + folders)
            .run(on: pool, logger: Logger(label: "test"))
    }

    func int(_ sql: String) async throws -> Int {
        try await pool.query(PostgresQuery(unsafeSQL: sql)).first?.decode(Int.self, at: 0) ?? 0
    }

    func drop() async throws {
        await pool.close()
        try await TestEnvironment.admin.execute(PostgresQuery(unsafeSQL: "DROP SCHEMA \(name) CASCADE"))
    }
}
