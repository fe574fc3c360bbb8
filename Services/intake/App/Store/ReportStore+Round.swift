import Foundation
import KPIContracts
import KPIFiles
import KPIPostgres
import KPIRuntime

/// A round's evidence as a whole, for reviewers: every file as one ZIP (B5), and the search of
/// descriptions and PDF text, with the text read into `evidence_text` after each upload.
extension ReportStore {
    /// Who may take a whole round's evidence: within the area, reviewers and those who see
    /// other units' reports (a unit's own people read their own report only).
    static func mayReadRound(_ actor: Actor, area: Int) -> Bool {
        actor.reaches(area: area) && (actor.has(.review) || actor.has(.seeAllUnits))
    }

    /// B5: every file the units sent for one round (confirmed or reviewed reports), for the
    /// area's reviewers and those who see other units' reports, as ZIP entries
    /// "<unit code> <unit name>/<slot> - <file name>"; nil when intake knows no such round.
    public func roundEvidence(indicator: UUID, seq: Int, actor: Actor) async throws -> (name: String, items: [ZipStream.Item]) {
        try await db.transaction { tx in
            guard let round = try await tx.query("""
                SELECT i.area_code, i.number, r.label_th FROM view_indicators i JOIN view_rounds r ON r.indicator_id = i.id AND r.seq = \(seq)
                WHERE i.id = \(indicator)
                """).decode((Int, String, String).self).first,
                  Self.mayReadRound(actor, area: round.0) else { throw Self.notFound }
            let rows = try await tx.query("""
                SELECT rp.unit_code, coalesce(u.name_th, ''), e.slot, e.file_name, e.sha256, e.size, e.added_at
                FROM reports rp \(unescaped: Self.outcomeJoin)
                JOIN evidence e ON e.report_id = rp.id
                LEFT JOIN unit_directory u ON u.code = rp.unit_code
                WHERE rp.indicator_id = \(indicator) AND rp.seq = \(seq) AND \(unescaped: Self.effectiveState) <> 'draft'
                ORDER BY rp.unit_code, e.slot
                """).decode((Int, String, Int, String, String, Int64, Date).self)
            let items = rows.map { r in
                // "/" would make a folder of a unit's name; the file names are clean already.
                ZipStream.Item(path: "\(r.0) \(r.1.replacingOccurrences(of: "/", with: "-"))/\(r.2) - \(r.3)", sha256: r.4, size: r.5, modified: r.6)
            }
            return ("\(round.1) \(round.2).zip", items)
        }
    }

    // MARK: - Searching evidence

    /// Reads a PDF's text into `evidence_text` once per content (empty when it has none).
    public func index(sha256: String) async {
        guard (try? await db.query("SELECT 1 FROM evidence_text WHERE sha256 = \(sha256)").first) == nil,
              let text = await files.pdfText(sha256: sha256) else { return }
        _ = try? await db.execute("INSERT INTO evidence_text (sha256, text) VALUES (\(sha256), \(text)) ON CONFLICT DO NOTHING")
    }

    /// PDFs kept whose text was not read yet (intake stopped in between, or pdftotext was missing).
    public func indexMissing() async {
        let missing = (try? await db.query("""
            SELECT DISTINCT e.sha256 FROM evidence e LEFT JOIN evidence_text t ON t.sha256 = e.sha256
            WHERE e.content_kind = 'pdf' AND t.sha256 IS NULL LIMIT 1000
            """).map { try $0.decode(String.self, at: 0) }) ?? []
        for sha in missing { await index(sha256: sha) }
    }

    /// One piece of evidence that matched a search.
    public struct Found: Codable, Sendable, Equatable {
        public var unitCode: Int, unitNameTh: String, seq: Int, roundLabelTh: String, slot: Int, fileName: String, description: String
        /// The text around the first match in the file, when the match is in the file.
        public var excerpt: String?
    }

    /// Reviewers search a round's (or every round's) evidence of an indicator: the descriptions
    /// and the text of PDF files, by substring (Thai has no spaces between words), case aside.
    public func search(indicator: UUID, seq: Int?, text: String, actor: Actor) async throws -> [Found] {
        let q = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard q.count >= 2, q.count <= 100 else { throw Problem.invalid(["q": "กรุณาพิมพ์คำค้น 2 ถึง 100 ตัวอักษร"]) }
        let pattern = "%" + q.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        return try await db.transaction { tx in
            guard let area = try await tx.query("SELECT area_code FROM view_indicators WHERE id = \(indicator)").first?.decode(Int.self, at: 0),
                  Self.mayReadRound(actor, area: area) else { throw Self.notFound }
            return try await tx.query("""
                SELECT rp.unit_code, coalesce(u.name_th, ''), rp.seq, coalesce(r.label_th, ''), e.slot, e.file_name, e.description,
                       CASE WHEN t.text ILIKE \(pattern) THEN substring(t.text FROM greatest(1, strpos(lower(t.text), lower(\(q))) - 80) FOR 200) END
                FROM reports rp \(unescaped: Self.outcomeJoin)
                JOIN evidence e ON e.report_id = rp.id
                LEFT JOIN evidence_text t ON t.sha256 = e.sha256
                LEFT JOIN unit_directory u ON u.code = rp.unit_code
                LEFT JOIN view_rounds r ON r.indicator_id = rp.indicator_id AND r.seq = rp.seq
                WHERE rp.indicator_id = \(indicator) AND (\(seq)::int IS NULL OR rp.seq = \(seq))
                  AND \(unescaped: Self.effectiveState) <> 'draft'
                  AND (e.description ILIKE \(pattern) OR t.text ILIKE \(pattern))
                ORDER BY rp.seq, rp.unit_code, e.slot LIMIT 200
                """).decode((Int, String, Int, String, Int, String, String, String?).self).map {
                    Found(unitCode: $0.0, unitNameTh: $0.1, seq: $0.2, roundLabelTh: $0.3, slot: $0.4, fileName: $0.5, description: $0.6,
                          excerpt: $0.7.map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") })
                }
        }
    }
}
