import Foundation
import HTTPTypes
import Hummingbird
import KPIContracts
import KPIRuntime
import NIOCore
import ServiceLifecycle

/// B9: pages that show figures update by themselves. A browser opens `/live/figures?year=&area=`
/// (server-sent events); this gateway asks statistics once a second which areas' figures
/// changed (`/public/changes`), one question however many browsers listen, and tells each
/// listener whose year and area changed. The events carry no figure, only that the page's
/// figures are newer, so the stream needs no sign-in; the page then fetches itself again.
actor LiveFigures {
    struct Listener {
        var yearBE: Int?
        /// nil: the nation (any area).
        var areaCode: Int?
        var continuation: AsyncStream<FigureChanges.Change>.Continuation
    }

    /// Open streams per gateway at most (each costs a socket and a little memory).
    static let capacity = 5_000
    /// A stream ends after this; EventSource opens a new one by itself (bounded work per socket).
    static let streamLifetime = Duration.seconds(600)
    static let heartbeat = Duration.seconds(20)

    let upstreams: Upstreams
    private var listeners: [UUID: Listener] = [:]
    private var poller: Task<Void, Never>?
    private var seen: [String: Int64] = [:]

    init(upstreams: Upstreams) { self.upstreams = upstreams }

    /// The stream a page of `year`'s figures of `area` (nil: the nation) listens to.
    static func url(year: Int, area: Int?) -> String { "/live/figures?year=\(year)" + (area.map { "&area=\($0)" } ?? "") }

    /// A stream of the changes `year` and `area` care about; nil when the gateway is full.
    func listen(year: Int?, area: Int?) -> (UUID, AsyncStream<FigureChanges.Change>)? {
        guard listeners.count < Self.capacity else { return nil }
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: FigureChanges.Change.self, bufferingPolicy: .bufferingNewest(8))
        listeners[id] = Listener(yearBE: year, areaCode: area, continuation: continuation)
        if poller == nil { poller = Task { await self.poll() } }
        return (id, stream)
    }

    func leave(_ id: UUID) {
        listeners.removeValue(forKey: id)?.continuation.finish()
        if listeners.isEmpty { poller?.cancel(); poller = nil; seen = [:] }
    }

    /// Asks statistics every second while anyone listens. When it does not answer, the streams
    /// end: each browser asks again after `retry` (5 s) and so learns of any change it missed
    /// by fetching its page, rather than waiting on a stream that tells nothing.
    private func poll() async {
        var since: Int64?
        while !Task.isCancelled {
            do {
                let answer = try await upstreams.getJSON(FigureChanges.self, .statistics, "/public/changes" + (since.map { "?since=\($0)" } ?? ""))
                if since != nil { deliver(answer.changes) }
                since = answer.now
            } catch {
                for l in listeners.values { l.continuation.finish() }
                listeners = [:]; poller = nil; seen = [:]
                return
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func deliver(_ changes: [FigureChanges.Change]) {
        let fresh = changes.filter { c in
            let key = "\(c.areaCode)/\(c.yearBE)"
            defer { seen[key] = max(seen[key] ?? 0, c.at) }
            return (seen[key] ?? 0) < c.at
        }
        if fresh.isEmpty { return }
        // The gateway's copy of statistics' public answers may be older than the change.
        Task { await PublicStatisticsRoutes.cache.clear() }
        for c in fresh {
            for l in listeners.values where (l.yearBE == nil || l.yearBE == c.yearBE) && (l.areaCode == nil || l.areaCode == c.areaCode) {
                l.continuation.yield(c)
            }
        }
    }

    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        let live = LiveFigures(upstreams: upstreams)
        router.get("/live/figures") { request, _ in
            let q = request.uri.queryParameters
            guard let (id, stream) = await live.listen(year: q.get("year").flatMap { Int($0) }, area: q.get("area").flatMap { Int($0) }) else {
                throw Problem.busy(retryAfter: 30)
            }
            let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                                       HTTPField.Name("X-Accel-Buffering")!: "no"]
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                defer { Task { await live.leave(id) } }
                // Reconnect after 5 s when the stream ends; a comment now so the browser knows it is open.
                try await writer.write(ByteBuffer(string: "retry: 5000\n: open\n\n"))
                let end = ContinuousClock.now + streamLifetime
                // Heartbeats keep proxies and the idle timeout from closing a quiet stream.
                let beats = AsyncStream<Void> { c in
                    let t = Task { while !Task.isCancelled { try? await Task.sleep(for: heartbeat); c.yield() } ; c.finish() }
                    c.onTermination = { _ in t.cancel() }
                }
                let (out, sink) = AsyncStream.makeStream(of: String.self)
                try await withGracefulShutdownHandler {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await c in stream { sink.yield("event: figures\ndata: {\"area\":\(c.areaCode),\"year\":\(c.yearBE)}\n\n") }
                            sink.finish()
                        }
                        group.addTask { for await _ in beats { sink.yield(": beat\n\n") } }
                        group.addTask { try? await Task.sleep(until: end); sink.finish() }
                        for await text in out { try await writer.write(ByteBuffer(string: text)) }
                        group.cancelAll()
                    }
                } onGracefulShutdown: {
                    sink.finish()
                }
                try await writer.finish(nil)
            })
        }
    }
}
