import KPIPostgres
import KPIRuntime

/// Making and dropping references to stored files, ordered by one advisory lock per file: the
/// bytes are put in place in the transaction that stores a reference, and removed only when no
/// reference is left, so neither can undo the other.
extension FileStore {
    /// Puts a received file in place inside the transaction that stores its reference, holding
    /// the file's lock until that transaction ends.
    public func keep(_ received: Received, tx: Transaction) async throws {
        try await tx.query("SELECT pg_advisory_xact_lock(\(Self.lockKey(received.sha256)))")
        try await keep(received)
    }

    /// After a reference was dropped and committed: removes the bytes when `stillReferenced`
    /// finds no reference left, under the file's lock (a reference made meanwhile keeps them).
    public func release(_ sha256: String, db: ServiceDatabase,
                        stillReferenced: @escaping @Sendable (Transaction) async throws -> Bool) async throws {
        try await db.transaction { tx in
            try await tx.query("SELECT pg_advisory_xact_lock(\(Self.lockKey(sha256)))")
            if try await !stillReferenced(tx) { try await remove(sha256: sha256) }
        }
    }

    /// `lockKey` in SQL, for statements that lock many files at once (`column` holds the hash).
    public static func lockKeySQL(_ column: String) -> String { "('x' || substr(\(column), 1, 16))::bit(64)::bigint" }
}
