import Foundation
import NIOCore

/// A `multipart/form-data` body (RFC 7578, RFC 2046 §5.1) read as it arrives. It says what it
/// found (a header, a piece of a part's body, a part's end) and never gathers a part: a body
/// piece is a slice of the bytes that came in, not a copy.
///
/// Written for the gateway instead of multipart-kit's parser, which copied every run of bytes
/// up to the next carriage return into a buffer of its own: a binary file has one every 256
/// bytes on average, so a 200 MB upload cost some 800,000 allocations and a fifth of the
/// gateway's time. Here the delimiter is found with `memchr` for its carriage return and a
/// compare of the rest. The cost stays linear whatever the bytes are: a boundary holds no
/// carriage return, so the compares starting at different carriage returns never overlap.
struct MultipartScanner {
    enum Event: Equatable { case header(name: String, value: String), body(ByteBuffer), end }

    struct Malformed: Error {}

    /// The most one part's header lines may take (its name, its file name, its type).
    static let maxHeaderBytes = 16 * 1024

    private enum State { case preamble, afterBoundary, headers, body, epilogue }

    /// CR LF "--" boundary: what ends a part (and, with the CR LF put before the body, what
    /// begins the first one).
    private let delimiter: [UInt8]
    private var state = State.preamble
    private var buffer: ByteBuffer
    private var headerBytes = 0

    /// nil for a boundary that RFC 2046 does not allow (empty, over 70 characters, or holding a
    /// line break).
    init?(boundary: String) {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), !bytes.contains(13), !bytes.contains(10) else { return nil }
        delimiter = Array("\r\n--".utf8) + bytes
        // The first delimiter may open the body without a line break before it.
        buffer = ByteBuffer(string: "\r\n")
    }

    /// True once the closing delimiter was read: a body that ends before it was cut off.
    var complete: Bool { state == .epilogue }

    /// What the next bytes of the body hold. Bytes that may begin a delimiter are kept until
    /// the next call shows whether they do.
    mutating func execute(_ chunk: ByteBuffer) throws -> [Event] {
        if state == .epilogue { return [] }
        if buffer.readableBytes == 0 {
            buffer = chunk
        } else {
            var merged = ByteBufferAllocator().buffer(capacity: buffer.readableBytes + chunk.readableBytes)
            var incoming = chunk
            merged.writeBuffer(&buffer)
            merged.writeBuffer(&incoming)
            buffer = merged
        }
        var events: [Event] = []
        while try step(&events) {}
        if buffer.readableBytes == 0 { buffer = ByteBuffer() }  // let go of the chunk's storage
        return events
    }

    /// One step of reading; false when more bytes are needed.
    private mutating func step(_ events: inout [Event]) throws -> Bool {
        switch state {
        case .preamble, .body:
            let inBody = state == .body
            if let at = find(delimiter) {
                if inBody {
                    if at > 0 { events.append(.body(buffer.readSlice(length: at)!)) }
                    events.append(.end)
                } else {
                    buffer.moveReaderIndex(forwardBy: at)
                }
                buffer.moveReaderIndex(forwardBy: delimiter.count)
                state = .afterBoundary
                return true
            }
            let safe = buffer.readableBytes - heldBack()
            if safe > 0 {
                if inBody { events.append(.body(buffer.readSlice(length: safe)!)) } else { buffer.moveReaderIndex(forwardBy: safe) }
            }
            return false
        case .afterBoundary:
            // "--" closes the body; else optional spaces (RFC 2046's transport padding) and CR LF.
            guard let view = buffer.readableBytesView.firstIndex(where: { $0 != 32 && $0 != 9 }).map({ buffer.readableBytesView[$0...] }) else {
                if buffer.readableBytes > 256 { throw Malformed() }
                return false
            }
            guard view.count >= 2 else { return false }
            let pair = (view[view.startIndex], view[view.startIndex + 1])
            if pair == (45, 45) {
                state = .epilogue
                buffer = ByteBuffer()
                return false
            }
            guard pair == (13, 10) else { throw Malformed() }
            buffer.moveReaderIndex(to: view.startIndex + 2)
            state = .headers
            headerBytes = 0
            return true
        case .headers:
            guard let end = find([13, 10]) else {
                if headerBytes + buffer.readableBytes > Self.maxHeaderBytes { throw Malformed() }
                return false
            }
            headerBytes += end + 2
            if headerBytes > Self.maxHeaderBytes { throw Malformed() }
            let line = buffer.readSlice(length: end)!
            buffer.moveReaderIndex(forwardBy: 2)
            if line.readableBytes == 0 {
                state = .body
                return true
            }
            guard let colon = line.readableBytesView.firstIndex(of: 58),
                  let name = line.getString(at: line.readerIndex, length: colon - line.readerIndex),
                  let value = line.getString(at: colon + 1, length: line.writerIndex - colon - 1),
                  !name.isEmpty else { throw Malformed() }
            events.append(.header(name: name.lowercased(), value: value.trimmingSpaces))
            return true
        case .epilogue:
            return false
        }
    }

    /// Where `needle` (which begins with CR and holds no other CR) first occurs in the unread
    /// bytes, counted from the reader index.
    private func find(_ needle: [UInt8]) -> Int? {
        buffer.withUnsafeReadableBytes { bytes -> Int? in
            guard let base = bytes.baseAddress else { return nil }
            var from = 0
            while from + needle.count <= bytes.count {
                guard let hit = memchr(base + from, 13, bytes.count - from) else { return nil }
                let at = base.distance(to: UnsafeRawPointer(hit))
                guard at + needle.count <= bytes.count else { return nil }
                if needle.withUnsafeBytes({ memcmp(base + at, $0.baseAddress!, needle.count) }) == 0 { return at }
                from = at + 1
            }
            return nil
        }
    }

    /// How many of the last unread bytes may be the start of a delimiter the next chunk
    /// completes: from the last CR in reach, if what follows it matches the delimiter so far.
    private func heldBack() -> Int {
        let view = buffer.readableBytesView
        let reach = view.suffix(delimiter.count - 1)
        guard let cr = reach.lastIndex(of: 13) else { return 0 }
        let tail = view[cr...]
        return tail.elementsEqual(delimiter.prefix(tail.count)) ? tail.count : 0
    }
}

private extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
