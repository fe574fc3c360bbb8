import Crypto
import Foundation
import Hummingbird
import KPIRuntime
import NIOCore
import NIOPosix
import _NIOFileSystem

/// Files kept by their content: each under the SHA-256 of its bytes (`objects/ab/abcd…`) in one
/// directory, which may be a network volume shared by several instances of a service. Nothing
/// in it is ever served directly: downloads go through the service, which checks rights and the
/// hash first.
///
/// A file arrives as a stream into `tmp/` (never whole in memory), is synced, and only then
/// renamed into place: after a crash a name in `objects/` always holds a whole file. The caller
/// stores its reference in the same step as `keep` (under `lockKey`), so a file is never
/// removed while a new reference to it is being made.
public struct FileStore: Sendable {
    public let root: String
    /// The largest file taken, in bytes (`KPI_FILE_MAX_BYTES`, default 20 MiB).
    public let maxBytes: Int64

    public init(root: String, maxBytes: Int64 = FileStore.defaultMaxBytes) {
        self.root = root; self.maxBytes = maxBytes
    }

    public static let defaultMaxBytes: Int64 = 20 * 1024 * 1024

    /// What `receive` gathers before one write: large enough that the hops to the thread pool
    /// cost little, small enough that many uploads at once stay a few MB.
    static let piece = 256 * 1024

    /// `KPI_FILES_DIR/<service>` (default /var/lib/kpi-online/files) and `KPI_FILE_MAX_BYTES`.
    public init(service: String, environment: EnvironmentVariables) throws {
        let dir = environment.string("KPI_FILES_DIR", default: "/var/lib/kpi-online/files")
        self.init(root: dir + "/" + service, maxBytes: Int64(try environment.int("KPI_FILE_MAX_BYTES", default: Int(Self.defaultMaxBytes))))
    }

    var temporary: String { root + "/tmp" }
    func path(_ sha256: String) -> String { root + "/objects/" + sha256.prefix(2) + "/" + sha256 }

    /// Creates the folders and removes what uploads that never finished left in `tmp/` (older
    /// than an hour, so an upload running on another instance is left alone).
    public func prepare() async throws {
        try await Self.blocking { [root, temporary] in
            let fm = FileManager.default
            try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: root + "/objects", withIntermediateDirectories: true)
            let hourAgo = Date().addingTimeInterval(-3600)
            for name in try fm.contentsOfDirectory(atPath: temporary) {
                let file = temporary + "/" + name
                if let modified = try? fm.attributesOfItem(atPath: file)[.modificationDate] as? Date, modified < hourAgo {
                    try? fm.removeItem(atPath: file)
                }
            }
        }
    }

    /// A file received into `tmp/`: its hash, size and kind (nil: not a kind we take).
    public struct Received: Sendable {
        public let temporary: String
        public let sha256: String
        public let size: Int64
        public let kind: ContentKind?
    }

    /// More bytes than `maxBytes` arrived; nothing of them is kept.
    public struct TooLarge: Error, Sendable { public let limit: Int64 }

    /// Writes the stream to a new file in `tmp/`, hashing as it goes, and syncs it. Throws
    /// `TooLarge` past `maxBytes`; on any error the partial file is removed.
    public func receive<Bytes: AsyncSequence>(_ bytes: Bytes) async throws -> Received where Bytes.Element == ByteBuffer {
        let file = temporary + "/" + UUID().uuidString.lowercased()
        var hasher = SHA256()
        var size: Int64 = 0
        var head: [UInt8] = []
        do {
            try await FileSystem.shared.withFileHandle(forWritingAt: FilePath(file), options: .newFile(replaceExisting: false)) { handle in
                // Bytes are gathered into pieces of `piece`; each piece is written (on NIO's
                // thread pool) while this task hashes it, so the hash costs no time of its own.
                var pending = ByteBuffer(), written: Int64 = 0
                func write(_ piece: ByteBuffer) async throws {
                    let offset = written
                    async let done = handle.write(contentsOf: piece.readableBytesView, toAbsoluteOffset: offset)
                    piece.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                    _ = try await done
                    written += Int64(piece.readableBytes)
                }
                for try await chunk in bytes {
                    size += Int64(chunk.readableBytes)
                    if size > maxBytes { throw TooLarge(limit: maxBytes) }
                    if head.count < 64 { head += chunk.readableBytesView.prefix(64 - head.count) }
                    if pending.readableBytes == 0 { pending = chunk } else { var more = chunk; pending.writeBuffer(&more) }
                    if pending.readableBytes >= Self.piece {
                        try await write(pending)
                        pending = ByteBuffer()
                    }
                }
                if pending.readableBytes > 0 { try await write(pending) }
                try await handle.synchronize()
            }
        } catch {
            try? await Self.blocking { _ = unlink(file) }
            throw error
        }
        let (firstBytes, total) = (head, size)
        let kind = try await Self.blocking { try Self.sniff(file, head: firstBytes, size: total) }
        return Received(temporary: file, sha256: hasher.finalize().map { String(format: "%02x", $0) }.joined(), size: size, kind: kind)
    }

    /// `receive`, as a service's upload route answers it: past `maxBytes` a 413 problem, bytes
    /// of no kind we take a 415 problem (nothing of them kept); else the file and its kind.
    public func accept<Bytes: AsyncSequence>(_ bytes: Bytes) async throws -> (Received, ContentKind) where Bytes.Element == ByteBuffer {
        let received: Received
        do { received = try await receive(bytes) } catch let tooLarge as TooLarge {
            throw Problem(status: .contentTooLarge, title: "File too large", detail: "ไฟล์มีขนาดใหญ่เกิน \(tooLarge.limit / 1024 / 1024) MB")
        }
        guard let kind = received.kind else {
            await discard(received)
            throw Problem(status: .unsupportedMediaType, title: "File type not accepted", detail: ContentKind.refusedTh)
        }
        return (received, kind)
    }

    /// Moves a received file into place (or drops it when the same bytes are there already)
    /// and syncs the folder, so the name survives a crash. Call it where the reference is
    /// stored, holding `lockKey(sha256)`.
    public func keep(_ received: Received) async throws {
        let target = path(received.sha256)
        try await Self.blocking {
            let folder = (target as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if access(target, F_OK) == 0 {
                _ = unlink(received.temporary)
            } else {
                guard rename(received.temporary, target) == 0 else { throw FileStoreError.io("rename", errno) }
            }
            let fd = open(folder, O_RDONLY | O_DIRECTORY)
            guard fd >= 0 else { throw FileStoreError.io("open folder", errno) }
            defer { close(fd) }
            guard fsync(fd) == 0 else { throw FileStoreError.io("fsync folder", errno) }
        }
    }

    /// Drops a received file that will not be kept.
    public func discard(_ received: Received) async {
        try? await Self.blocking { _ = unlink(received.temporary) }
    }

    /// Removes a stored file. Call it only when no reference to it is left, holding `lockKey`.
    public func remove(sha256: String) async throws {
        try await Self.blocking { [path = path(sha256)] in
            guard unlink(path) == 0 || errno == ENOENT else { throw FileStoreError.io("unlink", errno) }
        }
    }

    /// The advisory lock that orders making and dropping references to one file (a bigint for
    /// `pg_advisory_xact_lock`).
    public static func lockKey(_ sha256: String) -> Int64 {
        Int64(bitPattern: UInt64(sha256.prefix(16), radix: 16) ?? 0)
    }

    /// True when the stored bytes still hash to `sha256` (checked before each download).
    public func intact(sha256: String) async throws -> Bool {
        var hasher = SHA256()
        do {
            try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path(sha256))) { handle in
                for try await chunk in handle.readChunks(chunkLength: .kibibytes(256)) {
                    chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                }
            }
        } catch let error as FileSystemError where error.code == .notFound {
            return false
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined() == sha256
    }

    /// The stored bytes as a streamed response body, 128 KiB at a time.
    public func contents(sha256: String, size: Int64) -> ResponseBody {
        let file = FilePath(path(sha256))
        return ResponseBody(contentLength: Int(size)) { writer in
            try await FileSystem.shared.withFileHandle(forReadingAt: file) { handle in
                for try await chunk in handle.readChunks(chunkLength: .kibibytes(128)) { try await writer.write(chunk) }
            }
            try await writer.finish(nil)
        }
    }

    static func sniff(_ file: String, head: [UInt8], size: Int64) throws -> ContentKind? {
        try ContentKind.sniff(head: head) {
            guard let handle = FileHandle(forReadingAtPath: file) else { return nil }
            defer { try? handle.close() }
            return try ZipEntries.read(size: size) { offset, length in
                try handle.seek(toOffset: UInt64(offset))
                return Array(try handle.read(upToCount: length) ?? Data())
            }
        }
    }

    /// Blocking file system calls run on NIO's thread pool, never on Swift's cooperative pool.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }
}

enum FileStoreError: Error, CustomStringConvertible {
    case io(String, Int32)
    var description: String {
        switch self { case .io(let what, let code): "\(what) failed: \(String(cString: strerror(code)))" }
    }
}
