import AsyncAlgorithms
import Foundation
import Hummingbird
import MultipartKit
import NIOConcurrencyHelpers
import NIOCore

/// A form with one file (an indicator's document, a report's evidence), read as it arrives and
/// never gathered: its text fields come first (the page puts the file input last), then the
/// file's bytes go on to a service through a channel that hands over one piece at a time, so
/// the gateway holds at most two pieces (`piece`) of the file, however large it is.
struct FileUpload {
    /// The text fields before the file, for the CSRF check and the slot.
    var fields: [String: String]
    /// The file's name as the browser gave it ("" when no file was chosen).
    var fileName: String

    static func tooLarge(_ limit: Int64) -> PageError {
        PageError(status: .contentTooLarge, messageTh: "ไฟล์มีขนาดใหญ่เกิน \(limit / 1024 / 1024) MB กรุณาลดขนาดไฟล์แล้วส่งใหม่")
    }

    /// What the parser reported during one `execute`, handled after it returns (awaiting the
    /// channel cannot happen inside the parser's callbacks).
    enum ParserEvent { case header(String, String), body(ByteBuffer), end }

    /// How much of a file the gateway gathers before handing it to the service's stream: the
    /// most it holds of a file, whatever the file's size.
    static let piece = 256 * 1024

    static let noFile = PageError(status: .unprocessableContent, messageTh: "กรุณาเลือกไฟล์")

    /// Reads the form. `check` sees the fields before any byte of the file is passed on (say,
    /// the CSRF token); `pass` gets the file's bytes as a stream and its answer is returned.
    /// More than `limit` bytes of file is a 413 page, and the stream `pass` reads fails.
    static func read<Answer: Sendable>(_ request: Request, limit: Int64, check: ([String: String]) throws -> Void,
                                       pass: @escaping @Sendable (FileUpload, AsyncThrowingChannel<ByteBuffer, any Error>) async throws -> Answer)
        async throws -> (fields: [String: String], answer: Answer) {
        guard let boundary = Forms.boundary(of: request) else { throw Forms.badForm }
        var events: [ParserEvent] = []
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { events.append(.header($0.lowercased(), $1)) }
        parser.onBody = { events.append(.body($0)) }
        parser.onPartComplete = { events.append(.end) }

        var fields: [String: String] = [:], fieldBytes = 0
        var headers: [(String, String)] = [], text: [UInt8] = []
        var part: (name: String, fileName: String?)?
        var channel: AsyncThrowingChannel<ByteBuffer, any Error>?
        var task: Task<Answer, any Error>?
        let passed = NIOLockedValueBox(false)
        var size: Int64 = 0, fileEnded = false
        var pending = ByteBuffer()
        defer { task?.cancel() }

        func current() throws -> (name: String, fileName: String?) {
            if let part { return part }
            guard let disposition = headers.first(where: { $0.0 == "content-disposition" })?.1,
                  let name = Forms.attribute("name", in: disposition) else { throw Forms.badForm }
            part = (name, Forms.attribute("filename", in: disposition))
            return part!
        }
        do {
            reading: for try await chunk in request.body {
                try parser.execute(chunk)
                for event in events {
                    switch event {
                    case .header(let name, let value):
                        headers.append((name, value))
                    case .body(let bytes):
                        let p = try current()
                        guard let fileName = p.fileName, !fileName.isEmpty else {
                            fieldBytes += bytes.readableBytes
                            if fieldBytes > Forms.maxURLEncoded { throw Forms.tooLargeError }
                            text += bytes.readableBytesView
                            continue
                        }
                        if task == nil {
                            guard channel == nil else { throw Forms.badForm }  // one file a form
                            try check(fields)
                            let pipe = AsyncThrowingChannel<ByteBuffer, any Error>()
                            channel = pipe
                            let upload = FileUpload(fields: fields, fileName: fileName)
                            task = Task {
                                // However the service ends (even before reading it all), the
                                // sender below is released and sees that it is over.
                                defer { passed.withLockedValue { $0 = true }; pipe.finish() }
                                return try await pass(upload, pipe)
                            }
                        }
                        size += Int64(bytes.readableBytes)
                        if size > limit {
                            channel?.fail(tooLarge(limit))
                            _ = try? await task?.value
                            throw tooLarge(limit)
                        }
                        // Pieces are gathered up to `piece` bytes before they are handed on: one
                        // hand-over per network read made the upload 30 times slower than the disk.
                        var copy = bytes
                        pending.writeBuffer(&copy)
                        if pending.readableBytes >= piece {
                            await channel?.send(pending)
                            pending = ByteBuffer()
                            // The service answered before the file ended (a refusal): no need to read on.
                            if passed.withLockedValue({ $0 }) { break reading }
                        }
                    case .end:
                        let p = try current()
                        if p.fileName == nil || p.fileName == "" {
                            fields[p.name] = try Forms.text(text)
                        } else if task != nil {
                            if pending.readableBytes > 0 { await channel?.send(pending); pending = ByteBuffer() }
                            channel?.finish()
                            fileEnded = true
                        }
                        headers.removeAll(); text.removeAll(); part = nil
                    }
                }
                events.removeAll()
            }
        } catch let error as PageError {
            channel?.fail(error)
            throw error
        } catch {
            channel?.fail(error)
            throw Forms.badForm
        }
        guard let task else { try check(fields); throw noFile }
        // The body ended inside the file (a cut connection, a form without its closing boundary):
        // the service is told the stream failed, and keeps nothing of it.
        if !fileEnded, !passed.withLockedValue({ $0 }) {
            channel?.fail(Forms.badForm)
            _ = try? await task.value
            throw Forms.badForm
        }
        let answer = try await task.value
        return (fields, answer)
    }
}
