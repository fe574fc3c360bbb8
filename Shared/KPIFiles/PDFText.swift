import Foundation
import KPIConcurrency
import NIOPosix

extension FileStore {
    /// One extraction at a time per process, queued: reading text is background work and must
    /// not take the cores from the requests (20 uploads at once start one pdftotext at a time).
    static let textGate = Gate(limit: 1, maxWaiting: 100_000, timeout: .seconds(24 * 3600))

    /// The text of a stored PDF (poppler's `pdftotext`, first 100 pages, at most `limit` bytes
    /// of UTF-8), for searching evidence: "" when pdftotext fails on the file or takes longer
    /// than `seconds` (a hostile file cannot hold the service); nil when pdftotext cannot be run
    /// at all (not installed), so the file is read once it is. Runs off Swift's cooperative pool,
    /// at the lowest CPU priority (`nice -n 19`).
    public func pdfText(sha256: String, limit: Int = 256 * 1024, seconds: Double = 20) async -> String? {
        let file = path(sha256)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else { return nil }
        return try? await Self.textGate.withSlot { try await Self.blocking { () -> String? in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
            p.arguments = ["-n", "19", "/usr/bin/pdftotext", "-q", "-enc", "UTF-8", "-l", "100", file, "-"]
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
        } }
    }
}
