import Foundation
import HTTPTypes
import KPIConcurrency
import KPIContracts
import KPIPostgres
import Hummingbird
import Logging

/// The request context of every service's router.
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address (for sign-in throttling), when known.
    public let remoteAddress: String?
    /// The signed-in user, set by the gateway's session middleware.
    public var session: SessionInfo?
    /// The user a forwarded request is for, verified by a domain service (`X-KPI-Actor`).
    public var actor: Actor?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// Who is signed in, as identity reported it for this request.
public struct SessionInfo: Codable, Sendable {
    public struct User: Codable, Sendable {
        public var id: String
        public var username: String
        public var nationalId: String
        public var title: String
        public var firstNameTh: String
        public var lastNameTh: String
        public var position: String
        public var unitCode: Int
        /// The area office of the user's unit; nil for the nation's staff (they reach every area).
        public var areaCode: Int?
        public var rights: [Right]
        public var mustChangePassword: Bool
        /// The district workgroup (กลุ่มงาน), for reviewers.
        public var workgroupId: Int?
    }
    public var user: User
    public var csrf: String
    public var yearBE: Int?

    public func has(_ right: Right) -> Bool { user.rights.contains(right) }

    /// What the gateway asserts to the domain services for this user.
    public var actor: Actor {
        Actor(userId: user.id, username: user.username, unitCode: user.unitCode, areaCode: user.areaCode, rights: user.rights, yearBE: yearBE,
              nameTh: "\(user.title)\(user.firstNameTh) \(user.lastNameTh)", workgroupId: user.workgroupId)
    }
}

extension HTTPField.Name {
    public static let correlationId = Self("X-Correlation-Id")!
    public static let traceparent = Self("traceparent")!
}

/// Takes the correlation id from `X-Correlation-Id` or `traceparent` (or makes one), runs the
/// request with it as the task's correlation id and echoes it in the response.
public struct CorrelationMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = Correlation.sanitize(request.headers[.correlationId])
            ?? Correlation.traceId(fromTraceparent: request.headers[.traceparent])
            ?? Correlation.newId()
        var context = context
        context.logger[metadataKey: "correlation.id"] = .string(id)
        var response = try await Correlation.$id.withValue(id) { try await next(request, context) }
        response.headers[.correlationId] = id
        return response
    }
}

/// Turns every error into an RFC 9457 problem-details response; unknown errors become a bare
/// 500 whose details go to the log only (no stack traces or internals to the client).
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return problem.response()
        } catch let error as HTTPError {
            return Problem(status: error.status, detail: error.body).response()
        } catch let error as PostgresError where error.sqlState == "23505" {
            // Two requests raced for the same unique value; the loser is told so. The error's
            // text names the constraint only (no values: see PostgresConnection).
            context.logger.notice("unique constraint raced", metadata: ["error": "\(error)", "http.path": "\(request.uri.path)"])
            return Problem(status: .conflict, detail: "มีการบันทึกข้อมูลเดียวกันนี้ไปแล้ว (อาจบันทึกพร้อมกันสองครั้ง) กรุณาตรวจสอบข้อมูลแล้วลองอีกครั้ง").response()
        } catch let error as PostgresError where error.isOverload {
            context.logger.warning("request refused: no capacity", metadata: ["error": "\(error)", "http.path": "\(request.uri.path)"])
            return Problem.busy().response()
        } catch is GateError {
            return Problem.busy().response()
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "http.path": "\(request.uri.path)"])
            return Problem(status: .internalServerError, detail: nil).response()
        }
    }
}
