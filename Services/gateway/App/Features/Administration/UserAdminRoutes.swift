import Foundation
import HTTPTypes
import Hummingbird
import KPIContracts
import KPIRuntime

/// User administration pages. The gateway checks the right for the menu and the page; identity
/// checks it again on every call it receives.
enum UserAdminRoutes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams) {
        let admin = router.group("/admin/users")

        admin.get("") { request, context in
            let s = try requireAdmin(context)
            let q = request.uri.queryParameters
            var filter: [String: String] = [:]
            for key in ["status", "unit", "q"] { filter[key] = q.get(key).map { String($0.prefix(100)) } ?? "" }
            var query = URLComponents()
            query.queryItems = filter.filter { !$0.value.isEmpty }.map { URLQueryItem(name: $0.key, value: $0.value) }
            let users = try await identity([AccountView].self, upstreams, "/users?" + (query.percentEncodedQuery ?? ""), s, request)
            return AdminPages.users(users, filter: filter, session: s)
        }
        admin.get(":id") { request, context in
            let s = try requireAdmin(context)
            return try await detail(try id(context), upstreams, s, request, message: nil)
        }
        admin.get(":id/form") { request, context in
            _ = try requireAdmin(context)
            let reply = try await upstreams.send(.identity, .get, "/users/\(try id(context))/form", session: request.sessionToken)
            guard reply.status == .ok else { throw PageError(status: .notFound, messageTh: "ไม่พบไฟล์แบบคำขอ") }
            // Served with the type identity checked by content at upload (PDF, PNG, JPEG), as a
            // download, sandboxed should a browser render it anyway: an uploaded file never runs
            // as part of the site.
            return Response(status: .ok, headers: [.contentType: reply.contentType,
                                                   .contentDisposition: "attachment; filename=\"request-form\"",
                                                   HTTPField.Name("Content-Security-Policy")!: "sandbox; default-src 'none'"],
                            body: .init(byteBuffer: reply.body))
        }

        let actions: [(String, HTTPRequest.Method, @Sendable (String, [String: String]) -> (String, [String: String]), String)] = [
            ("approve", .post, { id, _ in ("/users/\(id)/approve", [String: String]()) }, "อนุมัติบัญชีแล้ว"),
            ("reject", .post, { id, f in ("/users/\(id)/status", ["status": "rejected", "reason": f["reason"] ?? ""]) }, "บันทึกการไม่อนุมัติแล้ว"),
            ("disable", .post, { id, _ in ("/users/\(id)/status", ["status": "disabled"]) }, "ปิดการใช้งานแล้ว"),
            ("enable", .post, { id, _ in ("/users/\(id)/status", ["status": "active"]) }, "เปิดการใช้งานแล้ว"),
        ]
        for (name, method, target, done) in actions {
            admin.post(":id/\(name)") { request, context in
                let s = try requireAdmin(context)
                let form = try await Forms.fields(request)
                try checkCSRF(form["csrf"], request: request, context: context)
                let userId = try id(context)
                let (path, body) = target(userId, form)
                let reply = try await upstreams.send(.identity, method, path, json: body, session: request.sessionToken)
                return try await detail(userId, upstreams, s, request, message: reply.status == .noContent ? done : reply.problemText)
            }
        }
        admin.post(":id/workgroup") { request, context in
            let s = try requireAdmin(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            let userId = try id(context)
            struct Body: Encodable { var workgroupId: Int? }
            let reply = try await upstreams.send(.identity, .put, "/users/\(userId)/workgroup",
                                                 json: Body(workgroupId: Int(form["workgroupId"] ?? "")), session: request.sessionToken)
            return try await detail(userId, upstreams, s, request, message: reply.status == .noContent ? "บันทึกกลุ่มงานแล้ว" : reply.problemText)
        }
        admin.post(":id/rights") { request, context in
            let s = try requireAdmin(context)
            let form = try await Forms.values(request)
            // One `right=` per box ticked.
            let rights = form.filter { $0.name == "right" }.map(\.value)
            try checkCSRF(form.last { $0.name == "csrf" }?.value, request: request, context: context)
            let userId = try id(context)
            let reply = try await upstreams.send(.identity, .put, "/users/\(userId)/rights", json: ["rights": rights], session: request.sessionToken)
            return try await detail(userId, upstreams, s, request, message: reply.status == .noContent ? "บันทึกสิทธิ์แล้ว" : reply.problemText)
        }
    }

    static func requireAdmin(_ context: ServiceRequestContext) throws -> SessionInfo {
        guard let s = context.session else { throw SignInRequired() }
        guard s.has(.administer) else { throw PageError(status: .forbidden, messageTh: "บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้") }
        return s
    }

    static func id(_ context: ServiceRequestContext) throws -> String {
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else {
            throw PageError(status: .notFound, messageTh: "ไม่พบบัญชีผู้ใช้")
        }
        return uuid.uuidString.lowercased()
    }

    static func identity<T: Decodable>(_ type: T.Type, _ upstreams: Upstreams, _ path: String, _ s: SessionInfo, _ request: Request) async throws -> T {
        let reply = try await upstreams.send(.identity, .get, path, session: request.sessionToken)
        guard reply.status == .ok else { throw PageError(status: reply.status, messageTh: reply.problemText) }
        return try JSONDecoder.kpi.decode(T.self, from: Data(buffer: reply.body))
    }

    static func detail(_ id: String, _ upstreams: Upstreams, _ s: SessionInfo, _ request: Request, message: String?) async throws -> Response {
        let user = try await identity(AccountView.self, upstreams, "/users/\(id)", s, request)
        let audit = try await identity([AuditView].self, upstreams, "/users/\(id)/audit", s, request)
        let groups = try await upstreams.getJSON([WorkgroupView].self, .identity, "/workgroups")
        return AdminPages.user(user, audit: audit, workgroups: groups, session: s, message: message)
    }
}
