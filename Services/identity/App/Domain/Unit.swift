import KPIEvents

/// A unit (หน่วยงาน), identified by its numeric code, never by its name. Codes are unique
/// nationally: the manual's 34 units keep theirs (1–76, in the area of สพม.กำแพงเพชร, 74);
/// the nation (สพฐ.) is 0. Every unit but the nation belongs to an area office (`areaCode`;
/// an area office's is its own code).
public struct OrgUnit: Codable, Sendable, Equatable {
    public var code: Int
    public var nameTh: String
    public var kind: UnitKind
    public var areaCode: Int?
    public var active: Bool
    public var version: Int

    public init(code: Int, nameTh: String, kind: UnitKind, areaCode: Int?, active: Bool = true, version: Int = 1) {
        self.code = code; self.nameTh = nameTh; self.kind = kind; self.areaCode = areaCode; self.active = active; self.version = version
    }

    public static let nationCode = 0
    public static let nationName = "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"

    public var createdEvent: UnitCreatedV1 {
        UnitCreatedV1(code: code, nameTh: nameTh, kind: kind, areaCode: areaCode, active: active, version: version)
    }

    public var updatedEvent: UnitUpdatedV1 {
        UnitUpdatedV1(code: code, nameTh: nameTh, kind: kind, areaCode: areaCode, active: active, version: version)
    }
}

/// Reads the seed list (`code,name_th,kind,area`), as in `Seed/units.csv`: the nation first
/// (no area), then area offices (their own code as area), then their units.
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
            func fail(_ reason: String) -> LineError { LineError(line: index + 1, reason: reason) }
            guard fields.count == 4 else { throw fail("expected 4 fields, got \(fields.count)") }
            guard let code = Int(fields[0]), code >= 0 else { throw fail("code is not a number of 0 or more") }
            guard !fields[1].isEmpty else { throw fail("name is empty") }
            guard let kind = UnitKind(rawValue: fields[2]) else { throw fail("unknown kind \(fields[2])") }
            let area = Int(fields[3])
            switch kind {
            case .nation: guard fields[3].isEmpty else { throw fail("the nation has no area") }
            case .district: guard area == code else { throw fail("an area office is its own area") }
            case .school, .other:
                guard let area, units.contains(where: { $0.code == area && $0.kind == .district }) else {
                    throw fail("area \(fields[3]) is not an area office listed above")
                }
            }
            guard seen.insert(code).inserted else { throw fail("code \(code) appears twice") }
            units.append(OrgUnit(code: code, nameTh: fields[1], kind: kind, areaCode: area))
        }
        return units
    }
}
