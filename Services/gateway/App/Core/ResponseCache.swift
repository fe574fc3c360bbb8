import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Public lists change only when an event changes them, and are read far more often: the
/// gateway keeps each upstream answer for a few seconds and answers conditional requests
/// (`If-None-Match`) with 304. Only public, non-personal answers go through it; a change shows
/// on the public API within `lifetime`.
actor ResponseCache {
    struct Entry {
        var status: HTTPResponse.Status
        var contentType: String
        var body: ByteBuffer
        var etag: String
        var expires: ContinuousClock.Instant
    }

    let lifetime: Duration
    let capacity: Int
    private var entries: [String: Entry] = [:]

    init(lifetime: Duration = .seconds(5), capacity: Int = 2_000) { self.lifetime = lifetime; self.capacity = capacity }

    /// The answer for `key`, from memory while fresh, else from `load` (then kept when it is a 200).
    func answer(_ key: String, load: @Sendable () async throws -> Upstreams.Reply) async throws -> Entry {
        let now = ContinuousClock.now
        if let entry = entries[key], entry.expires > now { return entry }
        let reply = try await load()
        let entry = Entry(status: reply.status, contentType: reply.contentType, body: reply.body,
                          etag: Self.etag(Data(buffer: reply.body)), expires: now + lifetime)
        guard reply.status == .ok else { return entry }
        if entries.count >= capacity { entries = entries.filter { $0.value.expires > now } }
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.expires < $1.value.expires })?.key { entries[oldest] = nil }
        entries[key] = entry
        return entry
    }

    /// Forgets every answer (the figures behind them changed; B9).
    func clear() { entries = [:] }

    /// A response for `request`: 304 when it already has this version, else the body; public,
    /// cacheable by the browser for the same lifetime.
    static func response(_ entry: Entry, for request: Request, lifetime: Duration) -> Response {
        var headers: HTTPFields = [.contentType: entry.contentType, .eTag: entry.etag,
                                   .cacheControl: entry.status == .ok ? "public, max-age=\(lifetime.components.seconds)" : "no-store"]
        if entry.status == .ok, Self.has(request, entry.etag) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: entry.status, headers: headers, body: .init(byteBuffer: entry.body))
    }

    /// The ETag of a body: a short SHA-256 of its bytes.
    static func etag(_ bytes: Data) -> String {
        "\"" + SHA256.hash(data: bytes).prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
    }

    /// Whether the request's `If-None-Match` names `etag` (the browser has these bytes).
    static func has(_ request: Request, _ etag: String) -> Bool {
        request.headers[.ifNoneMatch]?.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag } ?? false
    }
}
