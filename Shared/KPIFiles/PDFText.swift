import Foundation
import NIOPosix

extension FileStore {
    /// The text of a stored PDF (poppler's `pdftotext`, first 100 pages, at most `limit` bytes
    /// of UTF-8), for searching evidence: "" when pdftotext fails on the file or takes longer
    /// than `seconds` (a hostile file cannot hold the service); nil when pdftotext cannot be run
    /// at all (not installed), so the file is read once it is. Runs off Swift's cooperative pool.
    public func pdfText(sha256: String, limit: Int = 256 * 1024, seconds: Double = 20) async -> String? {
        let file = path(sha256)
        return try? await Self.blocking { () -> String? in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
            p.arguments = ["-q", "-enc", "UTF-8", "-l", "100", file, "-"]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            let timer = DispatchWorkItem { if p.isRunning { p.terminate() } }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: timer)
            var text = Data()
            while let chunk = try out.fileHandleForReading.read(upToCount: 64 * 1024), !chunk.isEmpty {
                if text.count < limit { text.append(chunk.prefix(limit - text.count)) }
            }
            p.waitUntilExit()
            timer.cancel()
            guard p.terminationReason == .exit, p.terminationStatus == 0 else { return "" }
            // Cut at a character boundary; drop NUL and form feeds (pages).
            return String(decoding: text, as: UTF8.self).replacingOccurrences(of: "\u{0}", with: "").replacingOccurrences(of: "\u{0C}", with: "\n")
        }
    }
}
