import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime

/// B3: the signed-in person's notices (การแจ้งเตือน), kept by identity from statistics'
/// reminders, and marking them read.
enum NoticeRoutes {
    /// identity did not answer as it should.
    static let unavailable = PageError(status: .badGateway, messageTh: "ระบบบางส่วนไม่ตอบสนองในขณะนี้ กรุณาลองใหม่ภายหลัง")

    static func notices(_ upstreams: Upstreams, _ request: Request) async throws -> NoticeList {
        let reply = try await upstreams.send(.identity, .get, "/notices", session: request.sessionToken)
        guard reply.status == .ok else { throw unavailable }
        return try JSONDecoder.kpi.decode(NoticeList.self, from: Data(buffer: reply.body))
    }

    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        router.get("/notices") { request, context in
            let s = try requireSession(context)
            return NoticePages.list(s, try await notices(upstreams, request))
        }
        router.post("/notices/read") { request, context in
            let s = try requireSession(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            let ids = form["id"].flatMap { UUID(uuidString: $0) }.map { [$0] } ?? []
            let reply = try await upstreams.send(.identity, .post, "/notices/read", json: ["ids": ids], session: request.sessionToken)
            guard reply.status == .ok else { throw unavailable }
            return NoticePages.list(s, try await notices(upstreams, request), marked: true)
        }
    }
}
