import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import KPIRuntime
import NIOCore
import _NIOFileSystem

/// Stored files as one ZIP, written as it is sent (B5: a round's evidence in one download).
/// Entries are stored, not compressed (PDFs, images and Office files are compressed already),
/// each followed by a data descriptor, so nothing about a file need be known before its bytes
/// pass; names are UTF-8 (flag bit 11); ZIP64 records are added only where offsets or counts
/// pass the classic format's limits. Memory stays one chunk plus the directory.
public struct ZipStream: Sendable {
    /// One file of the archive: where it is in the store and the name it gets.
    public struct Item: Sendable {
        public var path: String
        public var sha256: String
        public var size: Int64
        public var modified: Date
        public init(path: String, sha256: String, size: Int64, modified: Date) {
            self.path = path; self.sha256 = sha256; self.size = size; self.modified = modified
        }
    }

    struct Written { var name: [UInt8]; var crc: UInt32; var size: UInt64; var offset: UInt64; var time: UInt16; var date: UInt16; var flags: UInt16 = 0x0808 }

    /// The response: `application/zip` as an attachment named `fileName`. Each file's SHA-256 is
    /// checked as it passes; a file that changed on disk ends the download broken (the
    /// browser shows a failed download), never a ZIP holding bytes other than those sent.
    public static func response(_ items: [Item], fileName: String, store: FileStore) -> Response {
        let headers: HTTPFields = [
            .contentType: "application/zip",
            .contentDisposition: Download.disposition(fileName),
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            .cacheControl: "private, no-store",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var archive = Archive()
            for item in items {
                try await writer.write(ByteBuffer(bytes: archive.begin(item)))
                var crc = CRC32(), hasher = SHA256(), count: UInt64 = 0
                try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(store.path(item.sha256))) { handle in
                    for try await chunk in handle.readChunks(chunkLength: .kibibytes(128)) {
                        chunk.withUnsafeReadableBytes { crc.update($0); hasher.update(bufferPointer: $0) }
                        count += UInt64(chunk.readableBytes)
                        try await writer.write(chunk)
                    }
                }
                guard hasher.finalize().map({ String(format: "%02x", $0) }).joined() == item.sha256 else {
                    throw Problem(status: .internalServerError, title: "Stored file damaged", detail: "stored file \(item.sha256.prefix(12)) changed on disk")
                }
                try await writer.write(ByteBuffer(bytes: archive.end(crc: crc.value, size: count)))
            }
            try await writer.write(ByteBuffer(bytes: archive.directory()))
            try await writer.finish(nil)
        })
    }

    /// A small archive built in memory (an XLSX workbook): each entry's CRC and size are known
    /// before it is written, so its local header holds them and no data descriptor follows,
    /// the form every spreadsheet program reads.
    public static func archive(_ entries: [(name: String, bytes: [UInt8])], modified: Date = Date()) -> [UInt8] {
        var archive = Archive(), out: [UInt8] = []
        for entry in entries { out += archive.whole(name: entry.name, bytes: entry.bytes, modified: modified) }
        return out + archive.directory()
    }

    /// The archive's bookkeeping: where each entry starts and what it held.
    struct Archive {
        var written: [Written] = []
        var offset: UInt64 = 0
        var pending: (name: [UInt8], time: UInt16, date: UInt16, offset: UInt64)?

        /// The local file header of the next entry (sizes and CRC come after its data).
        mutating func begin(_ item: Item) -> [UInt8] {
            let name = Array(item.path.utf8)
            let (time, date) = Self.dos(item.modified)
            var b: [UInt8] = []
            b.le32(0x0403_4b50); b.le16(20); b.le16(0x0808); b.le16(0); b.le16(time); b.le16(date)
            b.le32(0); b.le32(0); b.le32(0); b.le16(UInt16(name.count)); b.le16(0)
            b += name
            pending = (name, time, date, offset)
            offset += UInt64(b.count)
            return b
        }

        /// A whole entry whose bytes are at hand: header with CRC and sizes, then the bytes.
        mutating func whole(name text: String, bytes: [UInt8], modified: Date) -> [UInt8] {
            let name = Array(text.utf8)
            let (time, date) = Self.dos(modified)
            var c = CRC32()
            bytes.withUnsafeBytes { c.update($0) }
            let crc = c.value
            var b: [UInt8] = []
            b.le32(0x0403_4b50); b.le16(20); b.le16(0x0800); b.le16(0); b.le16(time); b.le16(date)
            b.le32(crc); b.le32(UInt32(bytes.count)); b.le32(UInt32(bytes.count)); b.le16(UInt16(name.count)); b.le16(0)
            b += name
            written.append(Written(name: name, crc: crc, size: UInt64(bytes.count), offset: offset, time: time, date: date, flags: 0x0800))
            offset += UInt64(b.count + bytes.count)
            return b + bytes
        }

        /// The data descriptor after an entry's bytes. Entries are at most the store's file
        /// limit, far below 4 GiB, so its sizes fit 32 bits.
        mutating func end(crc: UInt32, size: UInt64) -> [UInt8] {
            precondition(size < 0xFFFF_FFFF, "a stored file is far smaller than 4 GiB")
            let p = pending!
            var b: [UInt8] = []
            b.le32(0x0807_4b50); b.le32(crc); b.le32(UInt32(size)); b.le32(UInt32(size))
            written.append(Written(name: p.name, crc: crc, size: size, offset: p.offset, time: p.time, date: p.date))
            offset += size + UInt64(b.count)
            return b
        }

        /// The central directory and its end record (ZIP64 where the archive outgrew 4 GiB or
        /// 65,535 entries).
        func directory() -> [UInt8] {
            var b: [UInt8] = []
            let start = offset
            for w in written {
                let far = w.offset >= 0xFFFF_FFFF
                b.le32(0x0201_4b50); b.le16(0x0300 | 45); b.le16(far ? 45 : 20); b.le16(w.flags); b.le16(0); b.le16(w.time); b.le16(w.date)
                b.le32(w.crc); b.le32(UInt32(w.size)); b.le32(UInt32(w.size)); b.le16(UInt16(w.name.count)); b.le16(far ? 12 : 0)
                b.le16(0); b.le16(0); b.le16(0); b.le32(0o100644 << 16); b.le32(far ? 0xFFFF_FFFF : UInt32(w.offset))
                b += w.name
                if far { b.le16(0x0001); b.le16(8); b.le64(w.offset) }
            }
            let size = UInt64(b.count), count = UInt64(written.count)
            if start >= 0xFFFF_FFFF || size >= 0xFFFF_FFFF || count >= 0xFFFF {
                let record = start + size
                b.le32(0x0606_4b50); b.le64(44); b.le16(0x0300 | 45); b.le16(45); b.le32(0); b.le32(0)
                b.le64(count); b.le64(count); b.le64(size); b.le64(start)
                b.le32(0x0706_4b50); b.le32(0); b.le64(record); b.le32(1)
            }
            b.le32(0x0605_4b50); b.le16(0); b.le16(0)
            b.le16(UInt16(min(count, 0xFFFF))); b.le16(UInt16(min(count, 0xFFFF)))
            b.le32(UInt32(min(size, 0xFFFF_FFFF))); b.le32(UInt32(min(start, 0xFFFF_FFFF))); b.le16(0)
            return b
        }

        /// MS-DOS time and date, in Thailand's time (what the people who sent the files saw).
        static func dos(_ date: Date) -> (UInt16, UInt16) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Bangkok")!
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let year = max(1980, min(2107, c.year ?? 1980))
            let time = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
            let day = UInt16((year - 1980) << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
            return (time, day)
        }
    }
}

/// CRC-32 (IEEE 802.3, as ZIP uses it), table-driven.
struct CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
    private var crc: UInt32 = 0xFFFF_FFFF

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var c = crc
        for byte in bytes { c = Self.table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        crc = c
    }

    var value: UInt32 { crc ^ 0xFFFF_FFFF }
}

extension [UInt8] {
    mutating func le16(_ v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
    mutating func le32(_ v: UInt32) { for i in 0..<4 { append(UInt8((v >> (8 * i)) & 0xFF)) } }
    mutating func le64(_ v: UInt64) { for i in 0..<8 { append(UInt8((v >> (8 * i)) & 0xFF)) } }
}
