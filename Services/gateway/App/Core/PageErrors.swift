import Hummingbird
import KPIRuntime

/// Errors of HTML routes become friendly Thai pages (a sign-in page when sign-in is needed);
/// /api routes keep their problem-details JSON.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.hasPrefix("/api/") { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch is SignInRequired {
            return Response.redirect(to: "/signin", type: .found)
        } catch is ChooseYearFirst {
            return Response.redirect(to: "/year", type: .found)
        } catch let e as PageError {
            return ErrorPage.render(e, session: context.session)
        } catch let p as Problem where p.status == .serviceUnavailable {
            var page = ErrorPage.render(PageError(status: p.status, messageTh: Problem.busy().detail ?? ""), session: context.session)
            page.headers[.retryAfter] = String(p.retryAfter ?? 2)
            return page
        } catch let p as Problem {
            let message = p.status == .badGateway ? "ระบบบางส่วนไม่ตอบสนองในขณะนี้ กรุณาลองใหม่ภายหลัง"
                : p.status == .notFound ? "ไม่พบหน้าที่ต้องการ" : p.status == .forbidden ? "บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้" : "คำขอไม่ถูกต้อง"
            return ErrorPage.render(PageError(status: p.status, messageTh: message), session: context.session)
        } catch let e as HTTPError where e.status == .notFound {
            return ErrorPage.render(PageError(status: .notFound, messageTh: "ไม่พบหน้าที่ต้องการ"), session: context.session)
        }
    }
}

/// The friendly page of an error: what went wrong in the page's language, and the way home.
enum ErrorPage {
    static func render(_ e: PageError, session: SessionInfo?) -> Response {
        Views.page("error", title: "เกิดข้อผิดพลาด", session: session, status: e.status, ["message": t(e.messageTh)])
    }
}
