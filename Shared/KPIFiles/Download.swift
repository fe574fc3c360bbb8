import Foundation
import HTTPTypes
import Hummingbird
import KPIRuntime

/// A stored file as a download: always an attachment (never shown inline by the browser),
/// with its kind's type, nosniff, no caching in shared caches, and the original name encoded
/// safely (RFC 6266 / 5987: an ASCII fallback and the UTF-8 name).
public struct Download: Sendable {
    public var sha256: String
    public var size: Int64
    public var fileName: String
    public var kind: ContentKind

    public init(sha256: String, size: Int64, fileName: String, kind: ContentKind) {
        self.sha256 = sha256; self.size = size; self.fileName = fileName; self.kind = kind
    }

    /// The response streaming the file, after its hash is checked: bytes that changed on disk
    /// are never sent as if they were what was uploaded.
    public func response(from store: FileStore) async throws -> Response {
        guard try await store.intact(sha256: sha256) else {
            throw Problem(status: .internalServerError, title: "Stored file damaged",
                          detail: "ไฟล์ที่เก็บไว้เสียหายหรือหายไป กรุณาแจ้งผู้ดูแลระบบ")
        }
        let headers: HTTPFields = [
            .contentType: kind.mediaType(fileName: fileName),
            .contentDisposition: Self.disposition(fileName),
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            .cacheControl: "private, no-store",
        ]
        return Response(status: .ok, headers: headers, body: store.contents(sha256: sha256, size: size))
    }

    /// `attachment; filename="…"; filename*=UTF-8''…`: quotes, backslashes and anything not
    /// printable ASCII become "_" in the fallback; the UTF-8 name is percent-encoded.
    public static func disposition(_ name: String) -> String {
        let fallback = String(name.unicodeScalars.map { s -> Character in
            (s.value >= 0x20 && s.value < 0x7F && s != "\"" && s != "\\") ? Character(s) : "_"
        })
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(0x80)))
        allowed.insert(charactersIn: "!#$&+-.^_`|~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? fallback
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }

    /// A name safe to keep and show: the last path part, no control characters, at most 200
    /// characters; "file" when nothing is left.
    public static func cleanName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        let bounded = String(clean.prefix(200))
        return bounded.isEmpty || bounded == "." || bounded == ".." ? "file" : bounded
    }
}
