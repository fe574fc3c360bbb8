import Foundation
import KPIEvents
import KPIFiles
import KPIPostgres
import KPIRuntime

/// The documents of indicators: rows here, bytes in the file store under their SHA-256. Making a
/// reference to a file and dropping the last one are ordered by an advisory lock per file
/// (`FileStore.lockKey`), so a file is never removed while another row comes to point at it.
public struct AttachmentStore: Sendable {
    let db: ServiceDatabase
    let files: FileStore

    public init(db: ServiceDatabase, files: FileStore) { self.db = db; self.files = files }

    /// Other files an indicator may have besides its description and tool.
    static let maxOthers = 11

    /// Checked before any byte of an upload is read, and again when it is stored: the
    /// indicator is of the actor's area, its year is open, and the slot has room.
    public func ensureRoom(indicator id: UUID, slot: AttachmentSlot, reach: (Int) -> Bool) async throws {
        try await db.transaction { tx in try await room(id, slot, reach: reach, lock: false, tx: tx) }
    }

    /// Stores a received file on the indicator, with its event.
    public func add(_ received: FileStore.Received, kind: ContentKind, fileName: String, slot: AttachmentSlot, indicator id: UUID,
                    by actor: Actor, reach: (Int) -> Bool) async throws -> Attachment {
        let attachmentId = UUID()
        let name = Download.cleanName(fileName)
        return try await db.transaction { tx in
            let area = try await room(id, slot, reach: reach, lock: true, tx: tx)
            try await files.keep(received, tx: tx)
            try await tx.execute("""
                INSERT INTO indicator_attachments (id, indicator_id, slot, file_name, content_kind, size, sha256, added_by)
                VALUES (\(attachmentId), \(id), \(slot.rawValue), \(name), \(kind.rawValue), \(received.size), \(received.sha256), \(actor.username))
                """)
            try await tx.publish(IndicatorAttachmentAddedV1(indicatorId: id, areaCode: area, attachmentId: attachmentId, slot: slot.rawValue,
                                                            fileName: name, contentKind: kind.rawValue, size: received.size,
                                                            sha256: received.sha256))
            guard let stored = try await Self.attachments(of: [id], tx: tx)[id]?.first(where: { $0.id == attachmentId }) else {
                throw Problem(status: .internalServerError)
            }
            return stored
        }
    }

    /// Takes a document off its indicator (the red bin), with its event; its bytes go once no
    /// indicator refers to them any more (a copied year may share them).
    public func remove(_ attachmentId: UUID, indicator id: UUID, by actor: Actor, reach: (Int) -> Bool) async throws {
        let sha256: String = try await db.transaction { tx in
            guard let indicator = try await IndicatorStore(db: db).load(id, tx: tx, lock: true), reach(indicator.areaCode) else {
                throw IndicatorStore.notFound
            }
            try await IndicatorStore.ensureOpen(indicator, tx: tx)
            guard let sha = try await tx.query("""
                UPDATE indicator_attachments SET removed_at = now(), removed_by = \(actor.username)
                WHERE id = \(attachmentId) AND indicator_id = \(id) AND removed_at IS NULL RETURNING sha256
                """).first?.decode(String.self, at: 0) else { throw Self.notFound }
            try await tx.publish(IndicatorAttachmentRemovedV1(indicatorId: id, areaCode: indicator.areaCode, attachmentId: attachmentId))
            return sha
        }
        try await files.release(sha256, db: db) { tx in
            try await tx.query("SELECT 1 FROM indicator_attachments WHERE sha256 = \(sha256) AND removed_at IS NULL LIMIT 1").first != nil
        }
    }

    /// A live document of the indicator, as a download.
    public func download(_ attachmentId: UUID, indicator id: UUID) async throws -> Download {
        guard let row = try await db.query("""
            SELECT sha256, size, file_name, content_kind FROM indicator_attachments
            WHERE id = \(attachmentId) AND indicator_id = \(id) AND removed_at IS NULL
            """).decode((String, Int64, String, String).self).first, let kind = ContentKind(rawValue: row.3) else { throw Self.notFound }
        return Download(sha256: row.0, size: row.1, fileName: row.2, kind: kind)
    }

    static let notFound = Problem(status: .notFound, detail: "ไม่พบไฟล์นี้")

    /// The indicator's area when `slot` has room on it: one description, one tool, 11 others.
    func room(_ id: UUID, _ slot: AttachmentSlot, reach: (Int) -> Bool, lock: Bool, tx: Transaction) async throws -> Int {
        guard let indicator = try await IndicatorStore(db: db).load(id, tx: tx, lock: lock), reach(indicator.areaCode) else {
            throw IndicatorStore.notFound
        }
        try await IndicatorStore.ensureOpen(indicator, tx: tx)
        let taken = indicator.attachments.filter { $0.slot == slot }.count
        if slot != .other, taken > 0 {
            throw Problem(status: .conflict, detail: "มี\(slot.labelTh)อยู่แล้ว ลบไฟล์เดิมก่อนจึงแนบไฟล์ใหม่ได้")
        }
        if slot == .other, taken >= Self.maxOthers {
            throw Problem(status: .conflict, detail: "แนบเอกสารอื่นได้ไม่เกิน \(Self.maxOthers) ไฟล์ ลบไฟล์เดิมก่อนจึงแนบเพิ่มได้")
        }
        return indicator.areaCode
    }

    /// The live documents of the given indicators, oldest first.
    static func attachments(of ids: [UUID], tx: Transaction) async throws -> [UUID: [Attachment]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await tx.query("""
            SELECT indicator_id, id, slot, file_name, content_kind, size, sha256, added_at FROM indicator_attachments
            WHERE indicator_id = ANY(string_to_array(\(ids.map(\.uuidString).joined(separator: ",")), ',')::uuid[]) AND removed_at IS NULL ORDER BY added_at, id
            """).decode((UUID, UUID, String, String, String, Int64, String, Date).self)
        return Dictionary(grouping: rows, by: \.0).mapValues { rows in
            rows.map { Attachment(id: $0.1, slot: AttachmentSlot(rawValue: $0.2) ?? .other, fileName: $0.3, contentKind: $0.4, size: $0.5,
                                sha256: $0.6, addedAt: $0.7) }
        }
    }
}
