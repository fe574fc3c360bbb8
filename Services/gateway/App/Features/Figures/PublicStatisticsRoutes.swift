import Foundation
import HTTPTypes
import Hummingbird
import KPIContracts
import KPIRuntime

/// The public statistics page (M20) `/statistics` and its JSON (`/api/v1/statistics/figures`),
/// without sign-in: a year's progress and results by area, by indicator and by unit, charts drawn
/// as SVG on the server, no person named. Read by many: statistics' answer is kept a few seconds
/// (`ResponseCache`), and the page carries an ETag, so a browser that has it gets a 304.
enum PublicStatisticsRoutes {
    /// statistics' answers, shared by the page and the JSON API; the years, kept a minute.
    static let cache = ResponseCache()
    static let years = ResponseCache(lifetime: .seconds(60))

    static func figures(_ year: Int, _ area: Int?, units offset: Int = 0, _ upstreams: Upstreams) async throws -> ResponseCache.Entry {
        let path = "/public/figures?year=\(year)" + (area.map { "&area=\($0)&units=\(offset)" } ?? "")
        return try await cache.answer(path) { try await upstreams.get(.statistics, path) }
    }

    /// `GET /api/v1/statistics/figures?year=&area=&units=` (registered with the public API): an
    /// area's units a page at a time, from the offset `units`.
    static func api(_ request: Request, _ upstreams: Upstreams) async throws -> Response {
        let q = request.uri.queryParameters
        guard let year = q.get("year").flatMap({ Int($0) }) else { throw Problem(status: .badRequest, detail: "year is required (a number)") }
        var area: Int?
        if let text = q.get("area") {
            guard let code = Int(text) else { throw Problem(status: .badRequest, detail: "area must be a number") }
            area = code
        }
        var offset = 0
        if let text = q.get("units") {
            guard let n = Int(text), n >= 0 else { throw Problem(status: .badRequest, detail: "units must be a whole number (an offset)") }
            offset = n
        }
        return ResponseCache.response(try await figures(year, area, units: offset, upstreams), for: request, lifetime: cache.lifetime)
    }

    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        router.get("/statistics") { request, context in
            let q = request.uri.queryParameters
            let known = try JSONDecoder.kpi.decode([Int].self, from: Data(buffer: try await Self.years.answer("/public/years") {
                try await upstreams.get(.statistics, "/public/years")
            }.body)).sorted()
            // The year asked for, else the current fiscal year (from October) if it has figures, else the latest that has.
            let current = ThaiDate.fiscalYearBE(Date())
            let year = q.get("year").flatMap { Int($0) }.flatMap { known.contains($0) ? $0 : nil }
                ?? (known.contains(current) ? current : known.last ?? current)
            let area = q.get("area").flatMap { Int($0) }
            let entry = try await figures(year, area, units: FigurePages.unitOffset(request), upstreams)
            guard entry.status == .ok else { throw PageError(status: .badGateway, messageTh: "ระบบบางส่วนไม่ตอบสนองในขณะนี้ กรุณาลองใหม่ภายหลัง") }
            let summary = try JSONDecoder.kpi.decode(AnnualSummary.self, from: Data(buffer: entry.body))
            // Signed in, the page holds the user's menu (and form token): private to that browser.
            return conditional(FigurePages.publicStatistics(summary, years: known, session: context.session), request,
                               shared: context.session == nil)
        }
    }

    /// The page with an ETag of its bytes (which hold the language) and a short public
    /// lifetime; 304 when the browser already has these bytes.
    static func conditional(_ html: String, _ request: Request, shared: Bool) -> Response {
        let etag = ResponseCache.etag(Data(html.utf8))
        let headers: HTTPFields = [.eTag: etag, .cacheControl: shared ? "public, max-age=60" : "private, no-cache", .vary: "Cookie"]
        if ResponseCache.has(request, etag) {
            return Response(status: .notModified, headers: headers)
        }
        var all = headers
        all[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: all, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
