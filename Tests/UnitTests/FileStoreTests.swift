import Foundation
import KPIFiles
import NIOCore
import Testing

/// Stored files: kinds told by their bytes, streamed into a temporary file, kept under their
/// hash, checked again before a download, and nothing left behind by a refused upload.
@Suite struct FileStoreTests {
    /// A ZIP archive of stored entries, as Office and OpenDocument files are (CRCs are not
    /// checked by the sniffer, so they are left 0).
    static func zip(_ entries: [(String, String)]) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }
        var out: [UInt8] = [], central: [UInt8] = []
        for (name, text) in entries {
            let n = Array(name.utf8), d = Array(text.utf8), offset = out.count
            out += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(d.count) + le32(d.count)
                + le16(n.count) + le16(0) + n + d
            central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(d.count)
                + le32(d.count) + le16(n.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + n
        }
        let cdOffset = out.count
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(entries.count) + le16(entries.count) + le32(central.count) + le32(cdOffset) + le16(0)
        return out
    }

    static let pdf = Array("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".utf8)

    func kind(_ bytes: [UInt8]) throws -> ContentKind? {
        try ContentKind.sniff(head: Array(bytes.prefix(64))) {
            try ZipEntries.read(size: Int64(bytes.count)) { offset, length in
                Array(bytes[Int(offset)..<min(bytes.count, Int(offset) + length)])
            }
        }
    }

    @Test("a file's kind comes from its bytes: PDF, images, old and new Office, OpenDocument; a page, a script or a plain ZIP is none")
    func kinds() throws {
        #expect(try kind(Self.pdf) == .pdf)
        #expect(try kind([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]) == .png)
        #expect(try kind([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]) == .jpeg)
        #expect(try kind(Array("GIF89a....".utf8)) == .gif)
        #expect(try kind(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        #expect(try kind([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]) == .msOffice)
        #expect(try kind(Self.zip([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w/>")])) == .docx)
        #expect(try kind(Self.zip([("_rels/.rels", ""), ("xl/workbook.xml", "<x/>"), ("[Content_Types].xml", "<Types/>")])) == .xlsx)
        #expect(try kind(Self.zip([("[Content_Types].xml", "<Types/>"), ("ppt/presentation.xml", "<p/>")])) == .pptx)
        #expect(try kind(Self.zip([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<c/>")])) == .odt)
        #expect(try kind(Self.zip([("mimetype", "application/vnd.oasis.opendocument.spreadsheet")])) == .ods)
        // Refused: a page named .pdf, a script, a ZIP that is no document, a cut ZIP, nothing.
        #expect(try kind(Array("<!doctype html><script>alert(1)</script>".utf8)) == nil)
        #expect(try kind(Array("#!/bin/sh\nrm -rf /\n".utf8)) == nil)
        #expect(try kind(Self.zip([("payload.exe", "MZ")])) == nil)
        #expect(try kind(Array(Self.zip([("[Content_Types].xml", ""), ("word/document.xml", "")]).prefix(60))) == nil)
        #expect(try kind([]) == nil)
        #expect(ContentKind.msOffice.mediaType(fileName: "แผน.XLS") == "application/vnd.ms-excel")
        #expect(ContentKind.msOffice.mediaType(fileName: "x.html") == "application/octet-stream")
    }

    @Test("the download name: an ASCII fallback without quotes and the UTF-8 name percent-encoded; a path or control characters never kept")
    func names() {
        #expect(Download.disposition("คำอธิบาย \"1\".pdf")
                == "attachment; filename=\"________ _1_.pdf\"; filename*=UTF-8''%E0%B8%84%E0%B8%B3%E0%B8%AD%E0%B8%98%E0%B8%B4%E0%B8%9A%E0%B8%B2%E0%B8%A2%20%221%22.pdf")
        #expect(Download.cleanName("C:\\Users\\ครู\\แผน.pdf") == "แผน.pdf")
        #expect(Download.cleanName("../../etc/passwd") == "passwd")
        #expect(Download.cleanName("a\r\nb.pdf") == "ab.pdf")
        #expect(Download.cleanName("..") == "file" && Download.cleanName("") == "file")
        #expect(Download.cleanName(String(repeating: "ก", count: 300)).count == 200)
    }

    func chunks(_ bytes: [UInt8], size: Int = 7) -> AsyncStream<ByteBuffer> {
        AsyncStream { c in
            for start in stride(from: 0, to: bytes.count, by: size) { c.yield(ByteBuffer(bytes: bytes[start..<min(bytes.count, start + size)])) }
            c.finish()
        }
    }

    func scratch() throws -> (FileStore, String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kpi-files-\(UUID().uuidString)").path
        return (FileStore(root: root, maxBytes: 1024), root)
    }

    @Test("a stream is hashed into tmp/, kept under its SHA-256 once (the same bytes twice are one file), and checked before a download")
    func keepAndCheck() async throws {
        let (store, root) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await store.prepare()
        let first = try await store.receive(chunks(Self.pdf))
        #expect(first.kind == .pdf && first.size == Int64(Self.pdf.count))
        #expect(first.sha256 == "\(Self.sha(Self.pdf))")
        try await store.keep(first)
        let second = try await store.receive(chunks(Self.pdf, size: 3))
        try await store.keep(second)
        let stored = root + "/objects/" + first.sha256.prefix(2) + "/" + first.sha256
        #expect(FileManager.default.contents(atPath: stored) == Data(Self.pdf))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/tmp").isEmpty)
        #expect(try await store.intact(sha256: first.sha256))
        // Bytes changed on disk are caught before they are sent as the upload.
        try Data("%PDF-1.4 changed".utf8).write(to: URL(fileURLWithPath: stored))
        #expect(try await !store.intact(sha256: first.sha256))
        try await store.remove(sha256: first.sha256)
        #expect(try await !store.intact(sha256: first.sha256))
    }

    @Test("past the limit the upload fails with TooLarge and leaves no partial file")
    func tooLarge() async throws {
        let (store, root) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await store.prepare()
        await #expect(throws: FileStore.TooLarge.self) { _ = try await store.receive(chunks(Array(repeating: 0x41, count: 1025), size: 100)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/tmp").isEmpty)
        let exact = try await store.receive(chunks(Array(repeating: 0x41, count: 1024), size: 100))
        #expect(exact.size == 1024 && exact.kind == nil)
        await store.discard(exact)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/tmp").isEmpty)
    }

    static func sha(_ bytes: [UInt8]) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe(), output = Pipe()
        p.standardInput = input; p.standardOutput = output
        try? p.run()
        input.fileHandleForWriting.write(Data(bytes)); try? input.fileHandleForWriting.close()
        p.waitUntilExit()
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile().prefix(64), as: UTF8.self)
    }
}
