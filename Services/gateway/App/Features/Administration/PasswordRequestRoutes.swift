import Foundation
import Hummingbird
import KPIContracts
import KPIRuntime

/// The administrator's side of passwords: the open requests, and resetting an account to a
/// one-time temporary password.
enum PasswordRequestRoutes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        router.get("/admin/password-requests") { request, context in
            let s = try requireAnswerer(context)
            let reply = try await upstreams.send(.identity, .get, "/password-requests", session: request.sessionToken)
            guard reply.status == .ok else { throw PageError(status: reply.status, messageTh: reply.problemText) }
            return AdminPages.passwordRequests(try JSONDecoder.kpi.decode([AdminPages.RequestView].self, from: Data(buffer: reply.body)), session: s)
        }
        router.post("/admin/password-requests/:id/handled") { request, context in
            _ = try requireAnswerer(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw PageError(status: .notFound, messageTh: "ไม่พบคำขอ") }
            _ = try await upstreams.send(.identity, .post, "/password-requests/\(id.uuidString.lowercased())/handled", session: request.sessionToken)
            return Response.redirect(to: "/admin/password-requests", type: .normal)
        }
        router.post("/admin/users/:id/password-reset") { request, context in
            let s = try UserAdminRoutes.requireAdmin(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            let userId = try UserAdminRoutes.id(context)
            let reply = try await upstreams.send(.identity, .post, "/users/\(userId)/password-reset", session: request.sessionToken)
            struct Temp: Decodable { var temporaryPassword: String }
            guard reply.status == .ok, let temp = try? JSONDecoder.kpi.decode(Temp.self, from: Data(buffer: reply.body)) else {
                return try await UserAdminRoutes.detail(userId, upstreams, s, request, message: reply.problemText)
            }
            return try await UserAdminRoutes.detail(userId, upstreams, s, request,
                                                message: "รหัสผ่านชั่วคราว (แสดงครั้งเดียว ผู้ใช้ต้องเปลี่ยนเมื่อเข้าสู่ระบบ): \(temp.temporaryPassword)")
        }
    }


    static func requireAnswerer(_ context: ServiceRequestContext) throws -> SessionInfo {
        guard let s = context.session else { throw SignInRequired() }
        guard s.has(.administer) || s.has(.answerRequests) else {
            throw PageError(status: .forbidden, messageTh: "บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้")
        }
        return s
    }
}
