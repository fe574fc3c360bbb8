import AsyncAlgorithms
import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// A form with files (an indicator's document, a report's evidence), read as it arrives and
/// never gathered: text fields are kept as they come; each file's bytes go on to a service
/// through a channel that hands over one piece at a time, so the gateway holds at most two
/// pieces (`piece`) of a file, however large it is. A file's own fields (its slot, its
/// description) come before it in the form, as the page puts them.
struct FileUpload {
    /// The text fields read before this file.
    var fields: [String: String]
    /// The name of the form's file input ("file", "file3").
    var input: String
    /// The file's name as the browser gave it.
    var fileName: String

    static func tooLarge(_ limit: Int64) -> PageError {
        PageError(status: .contentTooLarge, messageTh: "ไฟล์มีขนาดใหญ่เกิน \(limit / 1024 / 1024) MB กรุณาลดขนาดไฟล์แล้วส่งใหม่")
    }

    /// How much of a file the gateway gathers before handing it to the service's stream: the
    /// most it holds of a file, whatever the file's size.
    static let piece = 256 * 1024

    static let noFile = PageError(status: .unprocessableContent, messageTh: "กรุณาเลือกไฟล์")

    /// Reads the form. `check` sees the fields before any byte of a file is passed on (say,
    /// the CSRF token); `pass` gets each file's bytes as a stream, one file after another, and
    /// its answers are returned in order. When `pass` answers before its file ended (a
    /// refusal), reading stops there. More than `limit` bytes in one file is a 413 page, and the
    /// stream `pass` reads fails. A file input left empty is no file.
    static func read<Answer: Sendable>(_ request: Request, limit: Int64, check: ([String: String]) throws -> Void,
                                       pass: @escaping @Sendable (FileUpload, AsyncThrowingChannel<ByteBuffer, any Error>) async throws -> Answer)
        async throws -> (fields: [String: String], answers: [Answer]) {
        guard let boundary = Forms.boundary(of: request), var scanner = MultipartScanner(boundary: boundary) else { throw Forms.badForm }

        var fields: [String: String] = [:], fieldBytes = 0, checked = false
        var headers: [(String, String)] = [], text: [UInt8] = []
        var part: (name: String, fileName: String?)?
        var answers: [Answer] = []
        // The file being passed on: its channel, the task sending it, whether that task ended.
        var channel: AsyncThrowingChannel<ByteBuffer, any Error>?
        var task: Task<Answer, any Error>?
        var passed = NIOLockedValueBox(false)
        var size: Int64 = 0
        var pending = ByteBuffer()
        var stoppedEarly = false
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
                for event in try scanner.execute(chunk) {
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
                            if !checked { try check(fields); checked = true }
                            let pipe = AsyncThrowingChannel<ByteBuffer, any Error>()
                            let done = NIOLockedValueBox(false)
                            channel = pipe; passed = done; size = 0
                            let upload = FileUpload(fields: fields, input: p.name, fileName: fileName)
                            task = Task {
                                // However the service ends (even before reading it all), the
                                // sender below is released and sees that it is over.
                                defer { done.withLockedValue { $0 = true }; pipe.finish() }
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
                        if pending.readableBytes == 0 { pending = bytes } else { var copy = bytes; pending.writeBuffer(&copy) }
                        if pending.readableBytes >= piece {
                            await channel?.send(pending)
                            pending = ByteBuffer()
                            if passed.withLockedValue({ $0 }) {
                                // The service answered before the file ended (a refusal): stop here.
                                if let task { answers.append(try await task.value) }
                                task = nil
                                stoppedEarly = true
                                break reading
                            }
                        }
                    case .end:
                        let p = try current()
                        if p.fileName == nil || p.fileName == "" {
                            fields[p.name] = try Forms.text(text)
                        } else if let running = task {
                            if pending.readableBytes > 0 { await channel?.send(pending); pending = ByteBuffer() }
                            channel?.finish()
                            answers.append(try await running.value)
                            task = nil; channel = nil
                        }
                        headers.removeAll(); text.removeAll(); part = nil
                    }
                }
            }
        } catch let error as PageError {
            channel?.fail(error)
            throw error
        } catch {
            channel?.fail(error)
            throw Forms.badForm
        }
        // The body ended inside a file (a cut connection, a form without its closing boundary):
        // the service is told the stream failed, and keeps nothing of it.
        if let task {
            channel?.fail(Forms.badForm)
            _ = try? await task.value
            throw Forms.badForm
        }
        // A form cut off after its last whole part is still a cut-off form.
        if !stoppedEarly && !scanner.complete { throw Forms.badForm }
        if !checked { try check(fields) }
        return (fields, answers)
    }
}
