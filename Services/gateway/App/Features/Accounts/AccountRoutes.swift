import Foundation
import KPIContracts
import Hummingbird
import KPIRuntime

/// The browser's account pages: sign-in and out, registration, year choice.
enum AccountRoutes {
    static func register(on router: Router<ServiceRequestContext>, upstreams: Upstreams, secureCookies: Bool) {
        router.get("/") { request, context in
            // The reminders (B3) come from statistics, the unread notices from identity; the page
            // shows without them should either not answer.
            guard let s = context.session else { return AccountPages.home(nil) }
            async let notices = try? NoticeRoutes.notices(upstreams, request)
            var reminders: Reminders?
            if let year = s.yearBE, s.has(.report) || s.has(.review) {
                let reply = try? await upstreams.send(.statistics, .get, "/figures/reminders?year=\(year)", actor: s.actor)
                reminders = reply.flatMap { $0.status == .ok ? try? JSONDecoder.kpi.decode(Reminders.self, from: Data(buffer: $0.body)) : nil }
            }
            return AccountPages.home(s, reminders: reminders, unread: await notices?.unread ?? 0)
        }

        router.get("/signin") { request, context in
            if context.session != nil { return Response.redirect(to: "/", type: .found) }
            return try withAnonymousCSRF(request, secure: secureCookies) { AccountPages.signIn(csrf: $0) }
        }
        router.post("/signin") { request, context in
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            let username = String((form["username"] ?? "").prefix(40))
            struct Body: Encodable { var username: String; var password: String }
            let reply = try await upstreams.send(.identity, .post, "/sessions",
                                                 json: Body(username: username, password: String((form["password"] ?? "").prefix(128))),
                                                 client: upstreams.client(of: request, context))
            let csrf = form["csrf"] ?? ""
            switch reply.status {
            case .created:
                struct Signed: Decodable { var token: String }
                let signed = try JSONDecoder.kpi.decode(Signed.self, from: Data(buffer: reply.body))
                var response = Response.redirect(to: "/year", type: .normal)
                response.setCookie(try SessionCookie.make(signed.token, secure: secureCookies))
                return response
            case .forbidden:
                return AccountPages.pending()
            case .tooManyRequests:
                let seconds = reply.retryAfter ?? "30"
                var page = AccountPages.signIn(error: "พยายามเข้าสู่ระบบหลายครั้งติดกัน กรุณารอ \(seconds) วินาทีแล้วลองใหม่", username: username,
                                               csrf: csrf, status: .tooManyRequests)
                page.headers[.retryAfter] = seconds
                return page
            case .serviceUnavailable:
                // Identity had no capacity to check the password now (too many sign-ins at once).
                var page = AccountPages.signIn(error: Problem.busy().detail, username: username, csrf: csrf, status: .serviceUnavailable)
                page.headers[.retryAfter] = reply.retryAfter ?? "2"
                return page
            default:
                return AccountPages.signIn(error: "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", username: username, csrf: csrf, status: .unauthorized)
            }
        }

        router.post("/signout") { request, context in
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            if let token = request.sessionToken { _ = try? await upstreams.send(.identity, .delete, "/sessions/current", session: token) }
            var response = Response.redirect(to: "/signin", type: .normal)
            response.setCookie(try SessionCookie.clear(secure: secureCookies))
            return response
        }

        router.get("/register") { request, context in
            let picker = try await unitPicker(UnitQuery(request, pageSize: UnitQuery.pickerSize), upstreams)
            return try withAnonymousCSRF(request, secure: secureCookies) {
                AccountPages.register(picker: picker, values: [:], errors: [:], csrf: $0)
            }
        }
        router.post("/register") { request, context in
            let parts = try await Forms.multipart(request)
            try checkCSRF(try parts["csrf"]?.text, request: request, context: context)
            var values: [String: String] = [:]
            for key in AccountPages.fields.map(\.key) + ["staffKind", "unitCode"] { values[key] = try parts[key]?.text ?? "" }
            let body = RegistrationBody(values, password: try parts["password"]?.text ?? "", form: parts["form"]?.bytes)
            let reply = try await upstreams.send(.identity, .post, "/registrations", json: body, client: upstreams.client(of: request, context))
            if reply.status == .tooManyRequests {
                throw PageError(status: .tooManyRequests, messageTh: "มีการลงทะเบียนจากเครือข่ายนี้จำนวนมาก กรุณาลองใหม่ภายหลัง")
            }
            if reply.status == .created { return AccountPages.registered() }
            guard reply.status == .unprocessableContent else {
                throw PageError(status: .badRequest, messageTh: "ลงทะเบียนไม่สำเร็จ กรุณาลองอีกครั้ง")
            }
            // The form again, its unit still listed: the picker shows the chosen unit's area.
            var query = UnitQuery(request, pageSize: UnitQuery.pickerSize)
            if let code = Int(values["unitCode"] ?? ""), let chosen = try await upstreams.unit(code) { query.area = chosen.areaCode }
            return AccountPages.register(picker: try await unitPicker(query, upstreams), values: values, errors: reply.fieldErrors,
                                         csrf: try parts["csrf"]?.text ?? "", status: .unprocessableContent)
        }

        router.get("/year") { _, context in
            let s = try requireSession(context)
            return AccountPages.year(s, years: try await upstreams.getJSON([YearView].self, .catalogue, "/years" + (s.user.areaCode.map { "?area=\($0)" } ?? "")))
        }
        // Adding the next fiscal year: catalogue checks the right on the actor signed here.
        router.post("/year/add") { request, context in
            let s = try requireSession(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            let reply = try await upstreams.send(.catalogue, .post, "/years", json: ["yearBE": Int(form["year"] ?? "") ?? 0],
                                                 actor: s.actor)
            guard reply.status == .created else {
                throw PageError(status: reply.status == .forbidden ? .forbidden : .badRequest,
                                messageTh: reply.status == .forbidden ? "บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้" : reply.problemText)
            }
            return Response.redirect(to: "/year", type: .normal)
        }
        // An area's controller closes or opens a year for their area, or copies it into the next (B7).
        for action in ["close", "open", "copy"] {
            router.post("/year/:year/\(action)") { request, context in
                let s = try requireSession(context)
                let form = try await Forms.fields(request)
                try checkCSRF(form["csrf"], request: request, context: context)
                guard let year = context.parameters.get("year", as: Int.self) else { throw PageError(status: .notFound, messageTh: "ไม่มีปีที่เลือก") }
                let reply = try await upstreams.send(.catalogue, .post, "/years/\(year)/\(action)", json: [String: Int](), actor: s.actor)
                guard (200..<300).contains(reply.status.code) else {
                    throw PageError(status: reply.status == .forbidden ? .forbidden : .conflict,
                                    messageTh: reply.status == .forbidden ? "บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้" : reply.problemText)
                }
                return Response.redirect(to: "/year", type: .normal)
            }
        }
        router.post("/year") { request, context in
            _ = try requireSession(context)
            let form = try await Forms.fields(request)
            try checkCSRF(form["csrf"], request: request, context: context)
            guard let year = Int(form["year"] ?? ""),
                  try await upstreams.getJSON([YearView].self, .catalogue, "/years").contains(where: { $0.yearBE == year }) else {
                throw PageError(status: .badRequest, messageTh: "ไม่มีปีที่เลือก")
            }
            let reply = try await upstreams.send(.identity, .put, "/sessions/current/year", json: ["yearBE": year], session: request.sessionToken)
            guard reply.status == .noContent else { throw PageError(status: .badRequest, messageTh: "เลือกปีไม่สำเร็จ") }
            return Response.redirect(to: "/", type: .normal)
        }
    }

    /// The registration's unit picker: the units of the chosen area (the only area, when there
    /// is one), or those whose code or name matches; nothing before either is chosen.
static func unitPicker(_ query: UnitQuery, _ upstreams: Upstreams) async throws -> AccountPages.UnitPicker {
        var query = query
        query.activeOnly = true
        let areas = try await upstreams.areas()
        if query.area == nil, areas.count == 1 { query.area = areas[0].code }
        guard query.area != nil || !query.text.isEmpty else { return AccountPages.UnitPicker(query: query, areas: areas, page: nil) }
        return AccountPages.UnitPicker(query: query, areas: areas, page: try await upstreams.units(query))
    }
}

/// The registration as identity's `POST /registrations` takes it.
struct RegistrationBody: Encodable {
    struct Registration: Encodable {
        var nationalId, title, firstNameTh, lastNameTh, firstNameEn, lastNameEn, staffKind, position: String
        var officePhone, mobile, province, email, username, password: String
        var unitCode: Int
    }
    var registration: Registration
    var formBase64: String?

    init(_ v: [String: String], password: String, form: [UInt8]?) {
        registration = Registration(
            nationalId: v["nationalId"] ?? "", title: v["title"] ?? "", firstNameTh: v["firstNameTh"] ?? "",
            lastNameTh: v["lastNameTh"] ?? "", firstNameEn: v["firstNameEn"] ?? "", lastNameEn: v["lastNameEn"] ?? "",
            staffKind: v["staffKind"] ?? "", position: v["position"] ?? "", officePhone: v["officePhone"] ?? "",
            mobile: v["mobile"] ?? "", province: v["province"] ?? "", email: v["email"] ?? "", username: v["username"] ?? "",
            password: password, unitCode: Int(v["unitCode"] ?? "") ?? 0)
        formBase64 = form.flatMap { $0.isEmpty ? nil : Data($0).base64EncodedString() }
    }
}
