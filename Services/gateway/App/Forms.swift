import Foundation
import Hummingbird

/// Form bodies: `application/x-www-form-urlencoded` and `multipart/form-data` (the registration
/// form with its file). Sizes are bounded; what does not parse is a 400 page.
enum Forms {
    static let maxURLEncoded = 64 * 1024
    static let maxMultipart = 6 * 1024 * 1024

    static func fields(_ request: Request) async throws -> [String: String] {
        let buffer = try await collect(request, limit: maxURLEncoded)
        var out: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if let key = kv.first, !key.isEmpty { out[key] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }

    struct Part {
        var name: String
        var filename: String?
        var bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    static func multipart(_ request: Request) async throws -> [String: Part] {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
              let b = type.range(of: "boundary=") else { throw badForm }
        var boundary = String(type[b.upperBound...])
        if let semi = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semi]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        guard !boundary.isEmpty, boundary.count <= 200 else { throw badForm }
        let body = Array(buffer: try await collect(request, limit: maxMultipart))
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [String: Part] = [:]
        var sections = split(body, by: delimiter)
        guard sections.count >= 2 else { throw badForm }
        sections.removeFirst()  // preamble
        for var section in sections {
            if section.starts(with: Array("--".utf8)) { break }  // closing delimiter
            if section.starts(with: [13, 10]) { section.removeFirst(2) }
            guard let headerEnd = find(section, [13, 10, 13, 10]) else { throw badForm }
            let headers = String(decoding: section[..<headerEnd], as: UTF8.self)
            var content = Array(section[(headerEnd + 4)...])
            if content.suffix(2) == [13, 10] { content.removeLast(2) }
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                  let name = attribute("name", in: String(disposition)) else { throw badForm }
            parts[name] = Part(name: name, filename: attribute("filename", in: String(disposition)), bytes: content)
        }
        return parts
    }

    static let badForm = PageError(status: .badRequest, messageTh: "ส่งแบบฟอร์มไม่สำเร็จ กรุณาลองอีกครั้ง")

    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        do { return try await request.body.collect(upTo: limit) } catch {
            throw PageError(status: .contentTooLarge, messageTh: "ข้อมูลหรือไฟล์มีขนาดใหญ่เกินไป (ไฟล์ไม่เกิน 5 MB)")
        }
    }

    static func attribute(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let p = piece.trimmingCharacters(in: .whitespaces)
            if p.hasPrefix(key + "=") { return String(p.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    static func find(_ haystack: [UInt8], _ needle: [UInt8], from start: Int = 0) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0], Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    static func split(_ data: [UInt8], by delimiter: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        while let i = find(data, delimiter, from: start) {
            out.append(Array(data[start..<i]))
            start = i + delimiter.count
        }
        out.append(Array(data[start...]))
        return out
    }
}
