import KPIContracts

/// The kinds of user the system knows, with the rights each gets on approval by default.
public enum UserKind: String, Codable, Sendable, CaseIterable {
    case schoolReporter = "school_reporter"
    case districtStaff = "district_staff"
    case administrator

    public var defaultRights: Set<Right> {
        switch self {
        case .schoolReporter: [.view, .viewSummary, .report]
        case .districtStaff: [.view, .viewSummary, .defineIndicators, .openRounds, .ownIndicators, .review, .manageFiles, .seeAllUnits]
        case .administrator: Set(Right.allCases)
        }
    }

    /// A school's staff report; the district office's and other units' staff work on indicators.
    public static func forUnitKind(_ kind: String) -> UserKind { kind == "school" ? .schoolReporter : .districtStaff }
}
