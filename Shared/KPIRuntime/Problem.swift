import Foundation
import Hummingbird

/// An RFC 9457 problem-details error (`application/problem+json`).
public struct Problem: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String?
    public var type: String
    /// Seconds after which trying again may succeed (`Retry-After`, with 503 and 429).
    public var retryAfter: Int?
    /// With 422: the message for each field that is wrong, by the field's name (the form shows
    /// each beside its field). Sent as the `fields` member of the problem.
    public var fields: [String: String]?

    public init(status: HTTPResponse.Status, title: String? = nil, detail: String? = nil, type: String = "about:blank",
                retryAfter: Int? = nil) {
        self.status = status
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.type = type
        self.retryAfter = retryAfter
    }

    /// 422 naming each wrong field with its Thai message.
    public static func invalid(_ fields: [String: String]) -> Problem {
        var p = Problem(status: .unprocessableContent, title: "ข้อมูลไม่ถูกต้อง",
                        detail: fields.sorted { $0.key < $1.key }.map(\.value).joined(separator: " "))
        p.fields = fields
        return p
    }

    /// The `fields` of a 422 problem body, as a caller (the gateway) reads them back.
    public static func fields(in body: [UInt8]) -> [String: String] {
        struct Body: Decodable { var fields: [String: String]? }
        return (try? JSONDecoder().decode(Body.self, from: Data(body)))?.fields ?? [:]
    }

    /// The answer when the process has no capacity left right now (connections, hashing).
    public static func busy(retryAfter: Int = 2) -> Problem {
        Problem(status: .serviceUnavailable, detail: "ระบบมีผู้ใช้งานจำนวนมาก กรุณาลองใหม่อีกครั้งในอีกสักครู่", retryAfter: retryAfter)
    }

    public func response() -> Response {
        var body: [String: Any] = ["type": type, "title": title, "status": Int(status.code)]
        if let detail { body["detail"] = detail }
        if let fields { body["fields"] = fields }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A JSON response from any `Encodable` value, encoded the one way the system encodes JSON.
public func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    let data = try JSONEncoder.kpi.encode(value)
    return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

extension JSONEncoder {
    /// Sorted keys, ISO 8601 dates: the system's one JSON style.
    public static var kpi: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }
}

extension JSONDecoder {
    /// Reads what `JSONEncoder.kpi` writes (ISO 8601 dates).
    public static var kpi: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
