import Foundation
import Hummingbird

/// An RFC 9457 problem-details error (`application/problem+json`).
public struct Problem: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String?
    public var type: String

    public init(status: HTTPResponse.Status, title: String? = nil, detail: String? = nil, type: String = "about:blank") {
        self.status = status
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.type = type
    }

    public func response() -> Response {
        var body: [String: Any] = ["type": type, "title": title, "status": Int(status.code)]
        if let detail { body["detail"] = detail }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Response(status: status, headers: [.contentType: "application/problem+json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
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
