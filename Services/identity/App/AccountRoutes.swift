import Foundation
import KPIContracts
import Hummingbird
import Logging
import HTTPTypes
import KPIRuntime

/// identity's account API: registration, sign-in, sessions, user administration. The gateway
/// forwards the browser's session token in `X-KPI-Session`; identity resolves it on every
/// request and checks the rights itself, so a request sent straight to this port gets no more
/// than the token allows.
enum AccountRoutes {
    static let sessionHeader = HTTPField.Name("X-KPI-Session")!
    /// Registration bodies carry the form file (≤ 5 MB, base64); everything else is small.
    static let maxRegistrationBody = 8 * 1024 * 1024
    static let maxBody = 64 * 1024

    static func register(on router: Router<ServiceRequestContext>, users: UserStore, sessions: SessionStore, verifier: ForwardVerifier?) {
        /// The client's address as the gateway vouched for it; requests it did not sign share
        /// one address, so going around the gateway buys nothing.
        @Sendable func client(_ request: Request) -> String {
            verifier?.client(request.headers[ForwardVerifier.clientHeader], method: request.method, path: request.uri.path) ?? "unattributed"
        }
        let throttle = Throttle(db: users.db)

        router.post("/registrations") { request, context in
            if case .wait(let seconds) = try await throttle.attempt("register", address: client(request), limit: 30) {
                throw Problem.throttled(seconds, what: "มีการลงทะเบียนจากเครือข่ายนี้จำนวนมาก")
            }
            struct Body: Decodable { var registration: Registration; var formBase64: String? }
            let body = try await request.decodeJSON(Body.self, limit: maxRegistrationBody)
            var form: UserStore.Form?
            if let b64 = body.formBase64, !b64.isEmpty {
                guard let data = Data(base64Encoded: b64), let f = UserStore.Form(bytes: Array(data)) else {
                    throw FieldProblems(fields: ["form": "ไฟล์ต้องเป็น PDF, PNG หรือ JPEG ขนาดไม่เกิน 5 MB"]).problem
                }
                form = f
            }
            let id = try await users.register(body.registration, form: form)
            return try jsonResponse(["id": id.uuidString.lowercased()], status: .created)
        }

        router.post("/sessions") { request, context in
            struct Body: Decodable { var username: String; var password: String }
            let body = try await request.decodeJSON(Body.self, limit: maxBody)
            let address = client(request)
            switch try await sessions.signIn(username: body.username, password: body.password, address: address) {
            case .signedIn(let token, let csrf, let user):
                SecurityLog.event("auth.sign_in.succeeded", context.logger, ["user.id": "\(user.id)", "client.address": "\(address)"])
                struct Reply: Encodable { var token: String; var csrf: String; var user: UserView }
                return try jsonResponse(Reply(token: token, csrf: csrf, user: user), status: .created)
            case .pending:
                SecurityLog.event("auth.sign_in.pending", context.logger, ["client.address": "\(address)"])
                throw Problem(status: .forbidden, title: "บัญชีรอการอนุมัติ", detail: "บัญชีของท่านรอผู้ดูแลระบบอนุมัติ", type: "urn:kpi:account-pending")
            case .refused:
                // Not the username typed: it may be a password typed into the wrong field.
                SecurityLog.event("auth.sign_in.refused", context.logger, ["client.address": "\(address)"])
                throw Problem(status: .unauthorized, title: "เข้าสู่ระบบไม่สำเร็จ", detail: "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", type: "urn:kpi:sign-in-refused")
            case .throttled(let seconds):
                SecurityLog.event("auth.sign_in.throttled", context.logger, ["client.address": "\(address)", "retry.seconds": "\(seconds)"])
                throw Problem.throttled(seconds, what: "พยายามเข้าสู่ระบบหลายครั้งติดกัน")
            }
        }

        router.get("/sessions/current") { request, _ in
            try jsonResponse(try await current(request, sessions, whileMustChange: true))
        }
        router.put("/sessions/current/year") { request, context in
            struct Body: Decodable { var yearBE: Int }
            let body = try await request.decodeJSON(Body.self, limit: maxBody)
            guard (2500...2700).contains(body.yearBE) else { throw Problem(status: .badRequest, detail: "ปีไม่ถูกต้อง") }
            _ = try await current(request, sessions)
            try await sessions.chooseYear(token: request.headers[sessionHeader] ?? "", yearBE: body.yearBE)
            return Response(status: .noContent)
        }
        // A person's own sessions: see where they are signed in, and end any of them.
        router.get("/sessions") { request, _ in
            let me = try await current(request, sessions)
            return try jsonResponse(try await sessions.list(user: me.user.id, currentToken: request.headers[sessionHeader] ?? ""))
        }
        router.delete("/sessions/:id") { request, context in
            let me = try await current(request, sessions)
            guard let id = context.parameters.get("id"), try await sessions.end(user: me.user.id, id: id) else {
                throw Problem(status: .notFound, detail: "ไม่พบการเข้าสู่ระบบนี้")
            }
            SecurityLog.event("auth.session.ended", context.logger, ["user.id": "\(me.user.id)"])
            return Response(status: .noContent)
        }
        router.delete("/sessions/current") { request, _ in
            if let token = request.headers[sessionHeader] { try await sessions.signOut(token: token) }
            return Response(status: .noContent)
        }

        let passwords = PasswordStore(db: users.db)
        router.put("/sessions/current/password") { request, context in
            let me = try await current(request, sessions, whileMustChange: true)
            struct Body: Decodable { var current: String; var new: String }
            let body = try await request.decodeJSON(Body.self, limit: maxBody)
            try await passwords.change(user: me.user.id, current: body.current, new: body.new,
                                       keepSession: request.headers[sessionHeader] ?? "")
            return Response(status: .noContent)
        }
        router.post("/users/:id/password-reset") { request, context in
            let admin = try await requireAdmin(request, sessions)
            let temporary = try await passwords.reset(user: try await target(context, of: admin, users), actor: admin.id)
            return try jsonResponse(["temporaryPassword": temporary])
        }
        router.post("/password-requests") { request, context in
            if case .wait(let seconds) = try await throttle.attempt("password-request", address: client(request), limit: 10) {
                throw Problem.throttled(seconds, what: "มีคำขอรหัสผ่านจากเครือข่ายนี้จำนวนมาก")
            }
            struct Body: Decodable { var username: String; var reason: String; var note: String? }
            let body = try await request.decodeJSON(Body.self, limit: maxBody)
            try await passwords.request(username: body.username, reason: body.reason, note: body.note ?? "")
            return Response(status: .accepted)
        }
        router.get("/password-requests") { request, _ in
            let me = try await current(request, sessions)
            guard me.user.has(.administer) || me.user.has(.answerRequests) else { throw forbidden }
            return try jsonResponse(try await passwords.open(area: me.user.scope.areaFilter))
        }
        router.post("/password-requests/:id/handled") { request, context in
            let me = try await current(request, sessions)
            guard me.user.has(.administer) || me.user.has(.answerRequests) else { throw forbidden }
            try await passwords.markHandled(try userId(context), actor: me.user.id, area: me.user.scope.areaFilter)
            return Response(status: .noContent)
        }

        router.get("/workgroups") { _, _ in
            struct Group: Encodable { var id: Int; var nameTh: String }
            let rows = try await users.db.query("SELECT id, name_th FROM workgroups WHERE active ORDER BY id").decode((Int, String).self)
            return try jsonResponse(rows.map { Group(id: $0.0, nameTh: $0.1) })
        }

        router.get("/users") { request, context in
            let admin = try await requireAdmin(request, sessions)
            let q = request.uri.queryParameters
            let status = q.get("status").flatMap { $0.isEmpty ? nil : $0 }
            let unit = q.get("unit").flatMap { Int($0) }
            let search = q.get("q").flatMap { $0.isEmpty ? nil : String($0.prefix(100)) }
            return try jsonResponse(try await users.list(area: admin.scope.areaFilter, status: status, unitCode: unit, search: search,
                                                         unmasked: true))
        }
        // Names beside reports and reviews (the matrix, M11): ?ids= up to 200 user ids, of the
        // signed-in user's own area only.
        // B3: the signed-in person's notices, and marking them read ({"ids": [...]}, or all).
        let notices = NoticeStore(db: users.db)
        router.get("/notices") { request, _ in
            let me = try await current(request, sessions)
            return try jsonResponse(try await notices.list(user: me.user.id))
        }
        router.post("/notices/read") { request, _ in
            let me = try await current(request, sessions)
            struct Read: Decodable { var ids: [UUID]? }
            let body = try await request.decodeJSON(Read.self)
            return try jsonResponse(["read": try await notices.markRead(user: me.user.id, ids: Array((body.ids ?? []).prefix(200)))])
        }
        router.get("/users/names") { request, _ in
            let me = try await current(request, sessions)
            let ids = (request.uri.queryParameters.get("ids") ?? "").split(separator: ",").prefix(200).compactMap { UUID(uuidString: String($0)) }
            return try jsonResponse(try await users.names(ids, area: me.user.scope.areaFilter))
        }
        router.get("/users/:id") { request, context in
            let me = try await current(request, sessions)
            let id = try userId(context)
            let admin = me.user.has(.administer)
            guard admin || me.user.id == id else { throw forbidden }
            guard let user = try await users.find(id, unmasked: admin), me.user.id == id || me.user.scope.covers(area: user.areaCode) else {
                throw Problem(status: .notFound, detail: "ไม่พบบัญชีผู้ใช้")
            }
            return try jsonResponse(user)
        }
        router.post("/users/:id/approve") { request, context in
            let admin = try await requireAdmin(request, sessions)
            struct Body: Decodable { var rights: [Right]? }
            let body = try await request.decodeJSON(Body.self, limit: maxBody)
            try await users.approve(try await target(context, of: admin, users), actor: admin.id, rights: body.rights.map(Set.init))
            return Response(status: .noContent)
        }
        router.post("/users/:id/status") { request, context in
            let admin = try await requireAdmin(request, sessions)
            struct Body: Decodable { var status: String; var reason: String? }
            let body = try await request.decodeJSON(Body.self, limit: maxBody)
            try await users.setStatus(try await target(context, of: admin, users), to: body.status, reason: body.reason, actor: admin.id)
            return Response(status: .noContent)
        }
        router.put("/users/:id/rights") { request, context in
            let admin = try await requireAdmin(request, sessions)
            struct Body: Decodable { var rights: [Right] }
            let body = try await request.decodeJSON(Body.self, limit: maxBody)
            try await users.setRights(try await target(context, of: admin, users), to: Set(body.rights), actor: admin.id)
            return Response(status: .noContent)
        }
        router.put("/users/:id/workgroup") { request, context in
            let admin = try await requireAdmin(request, sessions)
            struct Body: Decodable { var workgroupId: Int? }
            let body = try await request.decodeJSON(Body.self, limit: maxBody)
            try await users.setWorkgroup(try await target(context, of: admin, users), to: body.workgroupId, actor: admin.id)
            return Response(status: .noContent)
        }
        router.get("/users/:id/form") { request, context in
            let admin = try await requireAdmin(request, sessions)
            guard let form = try await users.registrationForm(try await target(context, of: admin, users)) else { throw Problem(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: form.contentType, .contentDisposition: "attachment"],
                            body: .init(byteBuffer: ByteBuffer(bytes: form.bytes)))
        }
        router.get("/users/:id/audit") { request, context in
            let admin = try await requireAdmin(request, sessions)
            return try jsonResponse(try await users.auditTrail(try await target(context, of: admin, users)))
        }
    }

    static let forbidden = Problem(status: .forbidden, title: "ไม่มีสิทธิ์", detail: "บัญชีของท่านไม่มีสิทธิ์ทำรายการนี้")

    /// The session's user. A session that must change its password gets nothing but the
    /// password change (and itself, and sign-out): identity refuses the rest itself, whatever
    /// the gateway does.
    static func current(_ request: Request, _ sessions: SessionStore, whileMustChange: Bool = false) async throws -> SessionStore.Current {
        guard let token = request.headers[sessionHeader], !token.isEmpty, token.count < 200,
              let current = try await sessions.resolve(token: token) else {
            throw Problem(status: .unauthorized, title: "กรุณาเข้าสู่ระบบ", detail: "ยังไม่ได้เข้าสู่ระบบ หรือหมดเวลาใช้งาน")
        }
        if current.user.mustChangePassword, !whileMustChange {
            throw Problem(status: .forbidden, title: "ต้องเปลี่ยนรหัสผ่าน", detail: "กรุณาเปลี่ยนรหัสผ่านชั่วคราวก่อนใช้งานส่วนอื่น",
                          type: "urn:kpi:password-change-required")
        }
        return current
    }

    static let securityLogger = Logger(label: "kpi.identity.security")

    /// The signed-in administrator; every change an administrator asks for is a security event
    /// (what changed, old → new, is in `user_audit`), and so is a refusal.
    static func requireAdmin(_ request: Request, _ sessions: SessionStore) async throws -> UserView {
        let me = try await current(request, sessions)
        let action: Logger.Metadata = ["user.id": "\(me.user.id)", "http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path)"]
        guard me.user.has(.administer) else {
            SecurityLog.event("authz.refused", securityLogger, action)
            throw forbidden
        }
        if request.method != .get { SecurityLog.event("admin.action", securityLogger, action) }
        return me.user
    }

    /// The account the path names, when the administrator's area covers it. An account of
    /// another area is a 404, as if it did not exist: an area's staff learn nothing of others.
    static func target(_ context: ServiceRequestContext, of admin: UserView, _ users: UserStore) async throws -> UUID {
        let id = try userId(context)
        guard let user = try await users.find(id), admin.scope.covers(area: user.areaCode) else {
            throw Problem(status: .notFound, detail: "ไม่พบบัญชีผู้ใช้")
        }
        return id
    }

    static func userId(_ context: ServiceRequestContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw Problem(status: .badRequest, detail: "รหัสผู้ใช้ไม่ถูกต้อง")
        }
        return id
    }
}
