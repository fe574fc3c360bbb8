import KPIEvents

/// A unit (หน่วยงาน), identified by its numeric code, never by its name.
public struct OrgUnit: Codable, Sendable, Equatable {
    public var code: Int
    public var nameTh: String
    public var kind: UnitKind
    public var active: Bool
    public var version: Int

    public init(code: Int, nameTh: String, kind: UnitKind, active: Bool = true, version: Int = 1) {
        self.code = code; self.nameTh = nameTh; self.kind = kind; self.active = active; self.version = version
    }

    public var createdEvent: UnitCreatedV1 {
        UnitCreatedV1(code: code, nameTh: nameTh, kind: kind, active: active, version: version)
    }
}

/// Reads the seed list (`code,name_th,kind`), as in `Seed/units.csv`.
public enum UnitCSV {
    public struct LineError: Error, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "units.csv line \(line): \(reason)" }
    }

    public static func parse(_ text: String) throws -> [OrgUnit] {
        var units: [OrgUnit] = []
        var seen = Set<Int>()
        for (index, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if index == 0 || line.isEmpty { continue }  // header
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3 else { throw LineError(line: index + 1, reason: "expected 3 fields, got \(fields.count)") }
            guard let code = Int(fields[0]), code > 0 else { throw LineError(line: index + 1, reason: "code is not a positive number") }
            guard !fields[1].isEmpty else { throw LineError(line: index + 1, reason: "name is empty") }
            guard let kind = UnitKind(rawValue: fields[2]) else { throw LineError(line: index + 1, reason: "unknown kind \(fields[2])") }
            guard seen.insert(code).inserted else { throw LineError(line: index + 1, reason: "code \(code) appears twice") }
            units.append(OrgUnit(code: code, nameTh: fields[1], kind: kind))
        }
        return units
    }
}

import Foundation
