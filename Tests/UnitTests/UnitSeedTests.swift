import IdentityService
import KPIEvents
import Testing

@Suite struct UnitSeedTests {
    @Test func theManualsThirtyFourUnitsLoad() throws {
        let units = try IdentityService.seedUnits()
        #expect(units.count == 34)
        #expect(Set(units.map(\.code)).count == 34)
        #expect(units.first { $0.code == 74 }?.kind == .district)
        #expect(units.first { $0.code == 76 }?.nameTh == "หน่วยงานอื่น")
        #expect(units.filter { $0.kind == .school }.count == 32)
    }

    @Test func badLinesAreRefusedWithTheirLineNumber() {
        for (csv, line) in [("code,name_th,kind\n1,a,school\n1,b,school", 3), ("code,name_th,kind\nx,a,school", 2),
                            ("code,name_th,kind\n1,a,castle", 2), ("code,name_th,kind\n1,,school", 2), ("code,name_th,kind\n1,a", 2)] {
            #expect { try UnitCSV.parse(csv) } throws: { ($0 as? UnitCSV.LineError)?.line == line }
        }
    }
}
