import Foundation
import KPIPostgres
import Logging

/// Creates the service's schema and applies numbered SQL files in order, each once, recorded in
/// `schema_migrations`. An advisory lock makes two instances that start together take turns.
public struct Migrator: Sendable {
    public struct Migration: Sendable {
        public var id: String
        public var sql: String
    }

    let schema: String
    let migrations: [Migration]

    /// `folders` are read in order; within one, files run by name (`001_…sql`, `002_…sql`).
    public init(schema: String, folders: [URL]) throws {
        self.schema = schema
        var all: [Migration] = []
        for folder in folders {
            let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "sql" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
            for file in files {
                all.append(Migration(id: file.deletingPathExtension().lastPathComponent, sql: try String(contentsOf: file, encoding: .utf8)))
            }
        }
        let ids = all.map(\.id)
        precondition(Set(ids).count == ids.count, "two migrations share an id: \(ids)")
        self.migrations = all
    }

    /// Applies what is missing; returns the ids applied now.
    @discardableResult
    public func run(on pool: PostgresPool, logger: Logger) async throws -> [String] {
        try await pool.withTransaction { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(hashtext(\("kpi.migrations." + schema)))")
            // A migration that fills a new table from millions of rows takes as long as it takes:
            // the statement timeout that protects requests does not apply to it.
            try await conn.execute("SET LOCAL statement_timeout = 0")
            // The schema name is the service's own name from code, never user input.
            try await conn.execute("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)")
            try await conn.execute("""
                CREATE TABLE IF NOT EXISTS \(unescaped: schema).schema_migrations (
                    id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let done = Set(try await conn.query("SELECT id FROM \(unescaped: schema).schema_migrations").map { try $0.decode(String.self, at: 0) })
            var applied: [String] = []
            for m in migrations where !done.contains(m.id) {
                try await conn.executeScript(unsafeSQL: "SET LOCAL search_path TO \(schema);\n" + m.sql)
                try await conn.execute("INSERT INTO \(unescaped: schema).schema_migrations (id) VALUES (\(m.id))")
                logger.info("migration applied", metadata: ["migration.id": "\(m.id)"])
                applied.append(m.id)
            }
            return applied
        }
    }

    /// The runtime's own migration folders: `Messaging` (outbox, inbox) and the shared projections
    /// (`UnitDirectory`, `CatalogueView`).
    public static func runtimeFolder(_ name: String) -> URL {
        Bundle.module.url(forResource: "Migrations", withExtension: nil)!.appendingPathComponent(name)
    }
}
