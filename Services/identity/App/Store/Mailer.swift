import Foundation
import KPIContracts
import KPIPostgres
import KPIRuntime
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// B3: e-mails each new notice to its person, where an SMTP server is configured
/// (`KPI_SMTP_HOST`, `KPI_SMTP_PORT` (25), `KPI_SMTP_FROM`); the link in it is
/// `KPI_PUBLIC_URL`/notices. A notice is mailed once (`emailed_at`, set in the transaction that
/// holds its row while sending); a failed send is tried again later, at most 5 times, and a
/// notice older than 3 days is not mailed any more. The address stays out of the log.
struct Mailer: Service {
    let db: ServiceDatabase
    let smtp: SMTPClient
    let from: String
    let publicURL: String
    let logger: Logger
    static let maxAttempts = 5

    /// nil when no SMTP server is configured.
    init?(runtime: ServiceRuntime) throws {
        let env = runtime.config.environment
        let host = env.string("KPI_SMTP_HOST", default: "")
        if host.isEmpty { return nil }
        db = runtime.db; logger = runtime.logger
        smtp = SMTPClient(host: host, port: try env.int("KPI_SMTP_PORT", default: 25), heloName: "kpi-online")
        from = env.string("KPI_SMTP_FROM", default: "kpi-online@localhost")
        publicURL = env.string("KPI_PUBLIC_URL", default: "http://127.0.0.1:8080")
        guard NoticeMail.isAddress(from) else { throw Problem(status: .internalServerError, detail: "KPI_SMTP_FROM is not an e-mail address") }
    }

    func run() async throws {
        // Stopping cancels the wait (and a run in progress): the service stops at once.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    while try await sendOne() {}
                } catch where Task.isCancelled {
                    break
                } catch {
                    logger.warning("mailing notices failed; trying again", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(2))
            }
        }
    }

    /// Sends the oldest notice due for mail, if any; true when there was one.
    func sendOne() async throws -> Bool {
        try await db.transaction { tx in
            guard let n = try await tx.query("""
                SELECT n.id, u.email, n.audience, n.year_be, n.items::text, n.email_attempts
                FROM notices n JOIN users u ON u.id = n.user_id
                WHERE n.emailed_at IS NULL AND n.email_attempts < \(Self.maxAttempts) AND (n.email_next_at IS NULL OR n.email_next_at <= now())
                  AND n.created_at > now() - interval '3 days' AND u.status = 'active'
                ORDER BY n.created_at, n.id LIMIT 1
                FOR UPDATE OF n SKIP LOCKED
                """).decode((UUID, String, String, Int, String, Int).self).first else { return false }
            guard NoticeMail.isAddress(n.1) else {
                // Nothing to try again: the person's address cannot take mail.
                try await tx.execute("UPDATE notices SET email_attempts = \(Self.maxAttempts) WHERE id = \(n.0)")
                logger.notice("notice not mailed: the account's e-mail address is not usable", metadata: ["notice": "\(n.0)"])
                return true
            }
            let items = try JSONDecoder.kpi.decode([NoticeList.Item].self, from: Data(n.4.utf8))
            let message = NoticeMail.message(from: from, to: n.1, audience: n.2, yearBE: n.3, items: items, link: publicURL + "/notices")
            do {
                try await smtp.send(from: from, to: n.1, message: message)
                try await tx.execute("UPDATE notices SET emailed_at = now(), email_attempts = email_attempts + 1 WHERE id = \(n.0)")
                logger.info("notice mailed", metadata: ["notice": "\(n.0)"])
            } catch {
                let minutes = 1 << min(n.5, 6)
                try await tx.execute("""
                    UPDATE notices SET email_attempts = email_attempts + 1, email_next_at = now() + make_interval(mins => \(minutes))
                    WHERE id = \(n.0)
                    """)
                logger.warning("notice not mailed; trying again later", metadata: ["notice": "\(n.0)", "error": "\(error)"])
            }
            return true
        }
    }
}

/// The mail of a notice: Thai text, UTF-8, base64 (no line of it can be read as SMTP).
enum NoticeMail {
    /// An address that cannot carry anything into the SMTP dialogue or the headers.
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && text.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && !"<>()[]\\,;:\"".unicodeScalars.contains($0) }
    }

    /// "2026-01-31" as 31/1/2569.
    static func thaiDate(_ iso: String?) -> String {
        guard let iso else { return "" }
        let p = iso.split(separator: "-").compactMap { Int($0) }
        return p.count == 3 ? "\(p[2])/\(p[1])/\(p[0] + 543)" : iso
    }

    static func line(_ item: NoticeList.Item) -> String {
        let what = "ตัวชี้วัด \(item.number) \(item.nameTh) (\(item.roundLabelTh))"
        switch item.kind {
        case "due_soon": return "\(what): ครบกำหนดส่งวันที่ \(thaiDate(item.dueOn)) ยังไม่ได้ส่งรายงาน"
        case "overdue": return "\(what): เลยกำหนดส่งวันที่ \(thaiDate(item.dueOn)) ยังไม่ได้ส่งรายงาน"
        case "returned": return "\(what): รายงานถูกส่งกลับให้แก้ไข"
        case "waiting": return "มีรายงานรอตรวจ \(item.count ?? 0) รายงาน"
        default: return what
        }
    }

    static func message(from: String, to: String, audience: String, yearBE: Int, items: [NoticeList.Item], link: String) -> String {
        let subject = audience == "reviewers" ? "KPI-Online: มีรายงานรอตรวจ" : "KPI-Online: การแจ้งเตือนการส่งรายงานตัวชี้วัด ปีงบประมาณ \(yearBE)"
        let body = (["เรียน ผู้ใช้งานระบบ KPI-Online", ""] + items.map { "- " + line($0) }
                    + ["", "ดูรายละเอียดและส่งรายงานได้ที่ \(link)", "", "อีเมลนี้ส่งโดยระบบอัตโนมัติ กรุณาอย่าตอบกลับ"]).joined(separator: "\r\n")
        let encoded = Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let date = DateFormatter()
        date.locale = Locale(identifier: "en_US_POSIX"); date.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return [
            "From: KPI-Online <\(from)>", "To: <\(to)>",
            "Subject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=",
            "Date: \(date.string(from: Date()))", "Message-ID: <\(UUID().uuidString.lowercased())@kpi-online>",
            "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "", encoded,
        ].joined(separator: "\r\n")
    }
}

/// Just enough SMTP to hand a message to a relay (RFC 5321: EHLO, MAIL, RCPT, DATA, QUIT) on
/// NIO. No TLS or login: the relay is expected on the local network, as a site's MTA usually is.
struct SMTPClient: Sendable {
    let host: String, port: Int, heloName: String

    struct Failure: Error, CustomStringConvertible { var description: String }

    func send(from: String, to: String, message: String) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        try await withThrowingTaskGroup(of: Void.self) { group in
            // A server that stops answering does not hold the mailer.
            group.addTask { try await Task.sleep(for: .seconds(30)); throw Failure(description: "the SMTP server did not answer in time") }
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    var reader = inbound.makeAsyncIterator()
                    // Bytes, not Characters: to Swift "\r\n" is one Character, never "\n".
                    var pending: [UInt8] = []
                    /// The code of the server's next reply (its last line: "250 ok" after "250-…").
                    func reply() async throws -> Int {
                        while true {
                            while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                                let line = Array(pending[..<end])
                                pending.removeSubrange(...end)
                                if line.count >= 3, let code = Int(String(decoding: line.prefix(3), as: UTF8.self)),
                                   line.count == 3 || line[3] == UInt8(ascii: " ") || line[3] == UInt8(ascii: "\r") { return code }
                            }
                            guard let buffer = try await reader.next() else { throw Failure(description: "the SMTP server closed the connection") }
                            pending += buffer.readableBytesView
                            if pending.count > 65_536 { throw Failure(description: "the SMTP server's reply is too long") }
                        }
                    }
                    func step(_ command: String?, _ expected: ClosedRange<Int>) async throws {
                        if let command { try await outbound.write(ByteBuffer(string: command + "\r\n")) }
                        let code = try await reply()
                        guard expected.contains(code) else { throw Failure(description: "SMTP \(command?.split(separator: " ").first ?? "greeting") answered \(code)") }
                    }
                    try await step(nil, 200...299)
                    try await step("EHLO \(heloName)", 200...299)
                    try await step("MAIL FROM:<\(from)>", 200...299)
                    try await step("RCPT TO:<\(to)>", 200...299)
                    try await step("DATA", 300...399)
                    try await step(message + "\r\n.", 200...299)
                    try await outbound.write(ByteBuffer(string: "QUIT\r\n"))
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
