import IdentityService
import KPIEvents
import Testing

@Suite struct UnitSeedTests {
    @Test func theNationAndTheManualsThirtyFourUnitsLoadAsATree() throws {
        let units = try IdentityService.seedUnits()
        #expect(units.count == 35)
        #expect(Set(units.map(\.code)).count == 35)
        #expect(units.first == OrgUnit(code: 0, nameTh: OrgUnit.nationName, kind: .nation, areaCode: nil))
        #expect(units.first { $0.code == 74 }.map { $0.kind == .district && $0.areaCode == 74 } == true)
        #expect(units.first { $0.code == 76 }?.nameTh == "หน่วยงานอื่น")
        #expect(units.filter { $0.kind == .school }.count == 32)
        #expect(units.filter { $0.kind != .nation }.allSatisfy { $0.areaCode == 74 }, "every unit of the manual is in สพม.กำแพงเพชร")
    }

    @Test func badLinesAreRefusedWithTheirLineNumber() {
        let head = "code,name_th,kind,area\n0,n,nation,\n9,o,district,9\n"
        for (csv, line) in [(head + "1,a,school,9\n1,b,school,9", 5), (head + "x,a,school,9", 4), (head + "1,a,castle,9", 4),
                            (head + "1,,school,9", 4), (head + "1,a,school", 4),
                            (head + "1,a,school,8", 4),          // no such area office
                            (head + "1,a,school,", 4),           // a school needs an area
                            (head + "8,b,district,9", 4),        // an area office is its own area
                            ("code,name_th,kind,area\n0,n,nation,5", 2)] {
            #expect { try UnitCSV.parse(csv) } throws: { ($0 as? UnitCSV.LineError)?.line == line }
        }
    }
}
