import Foundation
@testable import GatewayService
import NIOCore
import Testing

/// The gateway's multipart reader: every byte of every part comes out as it went in, however
/// the body is cut into network reads, and a body that is not a whole form is refused.
@Suite struct MultipartScannerTests {
    static let boundary = "----kpiBoundary7MA4YWxkTrZu0gW"

    /// A form as a browser sends it: fields, then files with their own headers.
    static func form(_ parts: [(headers: [String], body: [UInt8])], preamble: String = "", epilogue: String = "") -> [UInt8] {
        var out = Array(preamble.utf8)
        for part in parts {
            out += Array("--\(boundary)\r\n".utf8)
            for header in part.headers { out += Array("\(header)\r\n".utf8) }
            out += Array("\r\n".utf8) + part.body + Array("\r\n".utf8)
        }
        return out + Array("--\(boundary)--\r\n\(epilogue)".utf8)
    }

    struct Part: Equatable { var headers: [String] = []; var body: [UInt8] = [] }

    /// Feeds `body` in pieces of the given sizes (repeated) and gathers the parts.
    static func scan(_ body: [UInt8], pieces: [Int]) throws -> (parts: [Part], complete: Bool, bodyEvents: Int) {
        var scanner = try #require(MultipartScanner(boundary: boundary))
        var parts: [Part] = [], current = Part(), at = 0, turn = 0, bodyEvents = 0
        while at < body.count {
            let size = min(pieces[turn % pieces.count], body.count - at)
            turn += 1
            for event in try scanner.execute(ByteBuffer(bytes: body[at..<(at + size)])) {
                switch event {
                case .header(let name, let value): current.headers.append("\(name): \(value)")
                case .body(let bytes): current.body += bytes.readableBytesView; bodyEvents += 1
                case .end: parts.append(current); current = Part()
                }
            }
            at += size
        }
        return (parts, scanner.complete, bodyEvents)
    }

    /// A file full of what a scanner could stumble over: CRs, LFs, dashes and the boundary
    /// itself without the line break before it, and a near-miss that lacks only its last byte.
    static let tricky: [UInt8] = Array("\r\r\n-\r\n--\r\n--\(boundary.dropLast())x--\(boundary)\r\n\r\n".utf8)
        + (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) } + [13]

    static let expected = [
        Part(headers: ["content-disposition: form-data; name=\"csrf\""], body: Array("token".utf8)),
        Part(headers: ["content-disposition: form-data; name=\"description1\""], body: Array("หลักฐาน ๑".utf8)),
        Part(headers: ["content-disposition: form-data; name=\"file1\"; filename=\"ผล.pdf\"", "content-type: application/pdf"], body: tricky),
        Part(headers: ["content-disposition: form-data; name=\"empty\""], body: []),
    ]

    static var body: [UInt8] {
        form(expected.map { part in
            (part.headers.map { h in
                let (name, value) = (h.prefix(while: { $0 != ":" }), h.drop(while: { $0 != ":" }).dropFirst(2))
                return name == "content-disposition" ? "Content-Disposition: \(value)" : "Content-Type: \(value)"
            }, part.body)
        }, preamble: "ignored preamble\r\n", epilogue: "ignored epilogue")
    }

    @Test("every cut of the body into two reads gives the same parts")
    func everySplit() throws {
        let body = Self.body
        for first in 1..<body.count {
            let result = try Self.scan(body, pieces: [first, body.count])
            #expect(result.parts == Self.expected, "cut at \(first)")
            #expect(result.complete)
        }
    }

    @Test("reads of 1, 2, 3, 7 and 4096 bytes give the same parts", arguments: [[1], [2], [3, 7], [4096]])
    func smallReads(pieces: [Int]) throws {
        let result = try Self.scan(Self.body, pieces: pieces)
        #expect(result.parts == Self.expected)
        #expect(result.complete)
    }

    @Test("4 MB of random bytes come out whole, as few pieces as the reads they came in")
    func largeRandomFile() throws {
        var rng = SystemRandomNumberGenerator()
        let file = (0..<(4 << 20)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let body = Self.form([(["Content-Disposition: form-data; name=\"file\"; filename=\"a.bin\""], file)])
        let result = try Self.scan(body, pieces: [256 * 1024])
        #expect(result.parts.count == 1)
        #expect(result.parts.first?.body == file)
        // One piece per read (a random file holds a CR every 256 bytes; a piece per CR was
        // the cost of the parser this one replaced).
        #expect(result.bodyEvents <= 17, "\(result.bodyEvents) pieces")
    }

    @Test("a body cut off before its closing delimiter is not complete")
    func cutOff() throws {
        let body = Self.body
        let closing = Array("--\(Self.boundary)--".utf8)
        let end = try #require((0...(body.count - closing.count)).last { Array(body[$0..<($0 + closing.count)]) == closing })
        let result = try Self.scan(Array(body[..<(end + closing.count - 1)]), pieces: [100])
        #expect(!result.complete)
        #expect(result.parts.count == 4)
    }

    @Test("no boundary in the body: nothing found, not complete")
    func noBoundary() throws {
        let result = try Self.scan(Array(repeating: UInt8(ascii: "-"), count: 10_000), pieces: [999])
        #expect(result.parts.isEmpty && !result.complete)
    }

    @Test("a header line without a colon, too many header bytes, or junk after a boundary is refused",
          arguments: [
              "--\(boundary)\r\nno colon here\r\n\r\nx\r\n--\(boundary)--",
              "--\(boundary)\r\nX-Long: \(String(repeating: "a", count: MultipartScanner.maxHeaderBytes))\r\n\r\nx\r\n--\(boundary)--",
              "--\(boundary)junk\r\n\r\nx\r\n--\(boundary)--",
          ])
    func malformed(body: String) throws {
        #expect(throws: MultipartScanner.Malformed.self) { try Self.scan(Array(body.utf8), pieces: [5]) }
        #expect(throws: MultipartScanner.Malformed.self) { try Self.scan(Array(body.utf8), pieces: [body.utf8.count]) }
    }

    @Test("transport padding after a boundary is allowed")
    func padding() throws {
        let body = "--\(Self.boundary)  \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--\(Self.boundary)-- \r\n"
        let result = try Self.scan(Array(body.utf8), pieces: [3])
        #expect(result.parts == [Part(headers: ["content-disposition: form-data; name=\"a\""], body: [98])])
        #expect(result.complete)
    }

    @Test("boundaries RFC 2046 does not allow are refused", arguments: ["", String(repeating: "b", count: 71), "a\r\nb"])
    func badBoundary(boundary: String) {
        #expect(MultipartScanner(boundary: boundary) == nil)
    }
}
