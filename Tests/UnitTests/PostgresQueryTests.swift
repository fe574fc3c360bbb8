import Foundation
import KPIPostgres
import Testing

@Suite struct PostgresQueryTests {
    @Test func aSearchPatternTakesWildcardsLiterally() {
        #expect(PostgresQuery.containsPattern("50%_a\\b") == "%50\\%\\_a\\\\b%")
    }

    @Test func interpolatedValuesBecomeBindParameters() {
        let name = "x'; DROP TABLE units; --"
        let code = 7
        let q: PostgresQuery = "SELECT * FROM units WHERE name_th = \(name) AND code = \(code)"
        #expect(q.sql == "SELECT * FROM units WHERE name_th = $1 AND code = $2")
        #expect(q.binds == [name, "7"])
    }

    @Test func optionalNilBindsAsNull() {
        let subject: String? = nil
        let q: PostgresQuery = "INSERT INTO t VALUES (\(subject), \(true))"
        #expect(q.sql == "INSERT INTO t VALUES ($1, $2)")
        #expect(q.binds == [nil, "t"])
    }

    @Test func unescapedTextIsSplicedVisibly() {
        let q: PostgresQuery = "CREATE SCHEMA \(unescaped: "identity")"
        #expect(q.sql == "CREATE SCHEMA identity" && q.binds.isEmpty)
    }

    @Test func rowsDecodeIntoTypedTuples() throws {
        let row = PostgresRow(columns: ["code", "name", "active", "note"], values: ["74", "สำนักงาน", "t", nil])
        let (code, name, active, note) = try row.decode((Int, String, Bool, String?).self)
        #expect(code == 74 && name == "สำนักงาน" && active && note == nil)
        #expect(throws: PostgresError.self) { try row.decode(String.self, at: 3) }
        #expect(throws: PostgresError.self) { try row.decode(Int.self, at: 1) }
    }

    @Test func byteaRoundTripsInHexForm() throws {
        let bytes = PostgresBytes([0, 1, 0xAB, 0xFF])
        #expect(bytes.postgresText == "\\x0001abff")
        #expect(try PostgresBytes.decode(postgresText: "\\x0001ABff") == bytes)
        #expect(throws: PostgresError.self) { try PostgresBytes.decode(postgresText: "\\x0g") }
    }

    @Test func timestampsDecodeFromUTCText() throws {
        let date = try Date.decode(postgresText: "2026-11-25 22:10:48.25+00")
        #expect(date.timeIntervalSince1970 == 1_795_644_648.25)
        #expect(try Date.decode(postgresText: "2026-11-25 22:10:48+00").timeIntervalSince1970 == 1_795_644_648)
        // Leap day, before 1970, a B.E.-looking year, another offset; and what is not a timestamp.
        #expect(try Date.decode(postgresText: "2024-02-29 00:00:00+00").timeIntervalSince1970 == 1_709_164_800)
        #expect(try Date.decode(postgresText: "1969-12-31 23:59:59.5+00").timeIntervalSince1970 == -0.5)
        #expect(try Date.decode(postgresText: "2567-10-01 00:00:00+00").timeIntervalSince1970 == 18_863_107_200)
        #expect(try Date.decode(postgresText: "2026-11-26 05:10:48+07").timeIntervalSince1970 == 1_795_644_648)
        for bad in ["", "2026-13-01 00:00:00+00", "yesterday", "2026-11-25T2x:10:48+00"] {
            #expect(throws: PostgresError.self) { try Date.decode(postgresText: bad) }
        }
    }

    @Test func transientErrorsAreToldFromPermanentOnes() {
        #expect(PostgresError.connection("gone").isTransient)
        #expect(PostgresError.query(message: "", sqlState: "08006").isTransient)
        #expect(!PostgresError.query(message: "", sqlState: "23505").isTransient)
        #expect(!PostgresError.query(message: "", sqlState: "42501").isTransient)
    }
}
