import Foundation
import Hummingbird
import HummingbirdTesting
@testable import KPIFiles
import KPIRuntime
import NIOCore
import Testing

/// A round's evidence as one ZIP (B5): written as it is sent, readable by any unzip, each
/// entry's CRC right, ZIP64 records once the archive passes 4 GiB.
@Suite struct ZipStreamTests {
    static let pdf = Array("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 300_000)

    func u16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
    func u32(_ b: [UInt8], _ at: Int) -> UInt32 { UInt32(u16(b, at)) | UInt32(u16(b, at + 2)) << 16 }

    func crc(_ bytes: [UInt8]) -> UInt32 {
        var c = CRC32()
        bytes.withUnsafeBytes { c.update($0) }
        return c.value
    }

    @Test("CRC-32 gives the standard check value")
    func checkValue() {
        #expect(crc(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    /// Two stored files served as a ZIP through a router, as intake serves them.
    func zipped(_ store: FileStore, _ items: [ZipStream.Item]) async throws -> [UInt8] {
        let router = Router(context: ServiceRequestContext.self)
        router.get("/zip") { _, _ in ZipStream.response(items, fileName: "1.1 รอบ 6 เดือน.zip", store: store) }
        return try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/zip", method: .get) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "application/zip")
                #expect(response.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
                return Array(buffer: response.body)
            }
        }
    }

    @Test("stored files become a ZIP whose names, bytes and CRCs read back")
    func roundTrip() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kpi-zip-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = FileStore(root: root, maxBytes: 1 << 20)
        try await store.prepare()
        var items: [ZipStream.Item] = []
        for (name, bytes) in [("1 โรงเรียนบ้านนา/1 - แผน 2567.pdf", Self.pdf), ("2 โรงเรียนบ้านไร่/3 - ภาพ.png", Self.png)] {
            var buffer = ByteBuffer(bytes: bytes)
            let received = try await store.receive(AsyncStream { c in c.yield(buffer.readSlice(length: buffer.readableBytes)!); c.finish() })
            try await store.keep(received)
            items.append(ZipStream.Item(path: name, sha256: received.sha256, size: received.size, modified: Date()))
        }
        let archive = try await zipped(store, items)
        let entries = try ZipEntries.read(size: Int64(archive.count)) { offset, length in Array(archive[Int(offset)..<min(archive.count, Int(offset) + length)]) }
        #expect(entries?.names == Set(items.map(\.path)))
        // Each local entry: header, the bytes as stored, then the descriptor with their CRC.
        var at = 0
        for (item, bytes) in zip(items, [Self.pdf, Self.png]) {
            #expect(u32(archive, at) == 0x0403_4B50 && u16(archive, at + 6) & 0x0808 == 0x0808)
            let nameLength = u16(archive, at + 26)
            #expect(String(decoding: archive[(at + 30)..<(at + 30 + nameLength)], as: UTF8.self) == item.path)
            let data = at + 30 + nameLength
            #expect(Array(archive[data..<(data + bytes.count)]) == bytes)
            let descriptor = data + bytes.count
            #expect(u32(archive, descriptor) == 0x0807_4B50 && u32(archive, descriptor + 4) == crc(bytes) && Int(u32(archive, descriptor + 8)) == bytes.count)
            at = descriptor + 16
        }
        #expect(u32(archive, at) == 0x0201_4B50, "the central directory follows the last entry")
    }

    @Test("past 4 GiB the directory carries ZIP64 offsets and end records; below, none")
    func zip64() {
        var small = ZipStream.Archive()
        _ = small.begin(ZipStream.Item(path: "a.pdf", sha256: "", size: 10, modified: Date()))
        _ = small.end(crc: 1, size: 10)
        let plain = small.directory()
        #expect(!plain.indices.dropLast(3).contains { u32(plain, $0) == 0x0606_4B50 })

        var large = ZipStream.Archive()
        large.offset = 5 << 30
        _ = large.begin(ZipStream.Item(path: "b.pdf", sha256: "", size: 10, modified: Date()))
        _ = large.end(crc: 1, size: 10)
        let far = large.directory()
        #expect(u32(far, 42) == 0xFFFF_FFFF, "the entry's offset moves to its ZIP64 extra field")
        #expect(far.indices.dropLast(3).contains { u32(far, $0) == 0x0606_4B50 } && far.indices.dropLast(3).contains { u32(far, $0) == 0x0706_4B50 })
        #expect(u32(far, far.count - 6) == 0xFFFF_FFFF, "the classic end record points to ZIP64")
    }
}
