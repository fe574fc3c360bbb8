import Foundation
import Hummingbird

/// Form bodies: `application/x-www-form-urlencoded` and `multipart/form-data` (the registration
/// form with its file). Sizes are bounded; what does not parse is a 400 page.
enum Forms {
    static let maxURLEncoded = 64 * 1024
    static let maxMultipart = 6 * 1024 * 1024

    /// The form's fields; a name given twice keeps its last value (see `values`).
    static func fields(_ request: Request) async throws -> [String: String] {
        let form = try await values(request)
        return form.reduce(into: [:]) { $0[$1.name] = $1.value }
    }

    /// Every name=value pair in order: checkboxes repeat their name once per box ticked.
    static func values(_ request: Request) async throws -> [(name: String, value: String)] {
        let buffer = try await collect(request, limit: maxURLEncoded)
        var out: [(name: String, value: String)] = []
        for pair in try text(buffer.readableBytesView).split(separator: "&") {
            let kv = try pair.split(separator: "=", maxSplits: 1).map { piece -> String in
                // Percent-decoding that does not give UTF-8, or gives NUL, is refused.
                guard let decoded = String(piece).replacingOccurrences(of: "+", with: " ").removingPercentEncoding else { throw badText }
                return try text(Array(decoded.utf8))
            }
            if let key = kv.first, !key.isEmpty { out.append((key, kv.count > 1 ? kv[1] : "")) }
        }
        return out
    }

    struct Part {
        var name: String
        var filename: String?
        var bytes: [UInt8]
        /// The part as text: refused (never mangled or cut) when not UTF-8 or holding NUL.
        var text: String { get throws { try Forms.text(bytes) } }
    }

    static let badText = PageError(status: .badRequest, messageTh: "ข้อความที่ส่งมีอักขระที่ไม่ถูกต้อง กรุณาพิมพ์ใหม่อีกครั้ง")

    /// Valid UTF-8 without NUL, or a 400.
    static func text(_ bytes: some Collection<UInt8>) throws -> String {
        guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else { throw badText }
        return text
    }

    /// Parses a multipart body as it arrives (`MultipartScanner`): the body is never gathered
    /// before parsing, a part is bounded while it grows, and the cost is linear in the body's
    /// size whatever its bytes are (a body of dashes included).
    static func multipart(_ request: Request) async throws -> [String: Part] {
        guard let boundary = boundary(of: request), var scanner = MultipartScanner(boundary: boundary) else { throw badForm }
        var parts: [String: Part] = [:]
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        var received = 0
        do {
            for try await chunk in request.body {
                received += chunk.readableBytes
                if received > maxMultipart { throw tooLargeError }
                for event in try scanner.execute(chunk) {
                    switch event {
                    case .header(let name, let value): headers.append((name, value))
                    // A part is never larger than the body, and the body is bounded above.
                    case .body(let bytes): body.append(contentsOf: bytes.readableBytesView)
                    case .end:
                        guard let disposition = headers.first(where: { $0.0 == "content-disposition" })?.1,
                              let name = attribute("name", in: disposition) else { throw badForm }
                        parts[name] = Part(name: name, filename: attribute("filename", in: disposition), bytes: body)
                        headers.removeAll(); body.removeAll(keepingCapacity: true)
                    }
                }
            }
        } catch let error as PageError {
            throw error
        } catch {
            throw badForm
        }
        guard scanner.complete, !parts.isEmpty else { throw badForm }
        return parts
    }

    /// The boundary of a multipart/form-data body: 1 to 70 characters (RFC 2046), or nil.
    static func boundary(of request: Request) -> String? {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
              let b = type.range(of: "boundary=") else { return nil }
        var boundary = String(type[b.upperBound...])
        if let semi = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semi]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        return boundary.isEmpty || boundary.count > 70 ? nil : boundary
    }

    static let badForm = PageError(status: .badRequest, messageTh: "ส่งแบบฟอร์มไม่สำเร็จ กรุณาลองอีกครั้ง")

    static let tooLargeError = PageError(status: .contentTooLarge, messageTh: "ข้อมูลหรือไฟล์มีขนาดใหญ่เกินไป (ไฟล์ไม่เกิน 5 MB)")

    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        do { return try await request.body.collect(upTo: limit) } catch { throw tooLargeError }
    }

    static func attribute(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let p = piece.trimmingCharacters(in: .whitespaces)
            if p.hasPrefix(key + "=") { return String(p.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }
}
