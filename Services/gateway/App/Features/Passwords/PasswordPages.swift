import Foundation
import Hummingbird
import KPIRuntime

/// Changing one's password, one's sessions, and asking for a new password: the view models of
/// Templates/*.mustache.
enum PasswordPages {
    static func change(_ s: SessionInfo, errors: [String: String] = [:], done: Bool = false, status: HTTPResponse.Status = .ok) -> Response {
        struct Model { var csrf: String; var mustChange: Bool; var done: Bool; var errors: [String: String] }
        return Views.page("password-change", title: "เปลี่ยนรหัสผ่าน", session: s, status: status,
                          Model(csrf: s.csrf, mustChange: s.user.mustChangePassword, done: done, errors: errors))
    }

    /// Where the person is signed in, as identity lists it.
    struct SessionView: Decodable {
        var id: String
        var createdAt: Date
        var lastSeenAt: Date
        var current: Bool
    }

    static func sessions(_ s: SessionInfo, _ list: [SessionView], ended: Bool = false) -> Response {
        struct Row { var id, signedIn, lastUsed: String; var current: Bool }
        struct Model { var csrf: String; var ended: Bool; var sessions: [Row] }
        return Views.page("sessions", title: "อุปกรณ์ที่เข้าสู่ระบบด้วยบัญชีนี้", session: s, Model(
            csrf: s.csrf, ended: ended,
            sessions: list.map { Row(id: $0.id, signedIn: ThaiDate.dateTime($0.createdAt), lastUsed: ThaiDate.dateTime($0.lastSeenAt),
                                     current: $0.current) }))
    }

    /// The reasons of the manual's appendix 2.
    static let reasons = [("forgot", "ลืมรหัสผ่าน"), ("leaked", "สงสัยว่ารหัสผ่านรั่วไหล"), ("stop_sharing", "เลิกใช้รหัสผ่านร่วมกับผู้อื่น")]

    static func request(csrf: String, sent: Bool = false, error: String? = nil) -> Response {
        struct Reason { var value, label: String }
        struct Model { var csrf: String; var sent: Bool; var error: String?; var reasons: [Reason] }
        return Views.page("password-request", title: "ขอเปลี่ยนรหัสผ่าน", status: error == nil ? .ok : .unprocessableContent,
                          Model(csrf: csrf, sent: sent, error: error.map(t), reasons: reasons.map { Reason(value: $0.0, label: t($0.1)) }))
    }
}
