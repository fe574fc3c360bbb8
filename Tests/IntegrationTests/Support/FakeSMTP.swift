import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// An SMTP server that accepts every message and keeps it (envelope recipient and data), for
/// the tests of e-mailed notices.
final class FakeSMTP: Sendable {
    struct Mail: Sendable { var to: String; var data: String }
    private let received = NIOLockedValueBox<[Mail]>([])
    private let channel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
    private let task: Task<Void, Never>

    var mails: [Mail] { received.withLockedValue { $0 } }

    /// The text of a mail's base64 body.
    static func body(_ mail: Mail) -> String {
        let parts = mail.data.components(separatedBy: "\r\n\r\n")
        let base64 = parts.dropFirst().joined().replacingOccurrences(of: "\r\n", with: "")
        return Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    init(port: Int) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: port) { child in
                child.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child) }
            }
        let box = received
        let server = channel
        task = Task {
            try? await server.executeThenClose { connections in
                for try await connection in connections {
                    Task { try? await Self.serve(connection, into: box) }
                }
            }
        }
    }

    func close() async { task.cancel(); try? await channel.channel.close() }

    private static func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, into box: NIOLockedValueBox<[Mail]>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            func say(_ line: String) async throws { try await outbound.write(ByteBuffer(string: line + "\r\n")) }
            try await say("220 fake ready")
            var pending: [UInt8] = [], to = "", data: String?
            for try await buffer in inbound {
                pending += buffer.readableBytesView
                // Bytes, not Characters: to Swift "\r\n" is one Character.
                while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    var bytes = Array(pending[..<end])
                    pending.removeSubrange(...end)
                    if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                    let line = String(decoding: bytes, as: UTF8.self)
                    if var d = data {
                        if line == "." {
                            box.withLockedValue { $0.append(Mail(to: to, data: d)) }
                            data = nil
                            try await say("250 queued")
                        } else { d += line + "\r\n"; data = d }
                        continue
                    }
                    switch line.prefix(4).uppercased() {
                    case "EHLO", "HELO", "MAIL": try await say("250 ok")
                    case "RCPT": to = line.components(separatedBy: "<").last?.components(separatedBy: ">").first ?? ""; try await say("250 ok")
                    case "DATA": data = ""; try await say("354 go on")
                    case "QUIT": try await say("221 bye"); return
                    default: try await say("500 what")
                    }
                }
            }
        }
    }
}
