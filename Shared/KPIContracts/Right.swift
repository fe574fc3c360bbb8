/// What a user may do: the one list every service shares (identity grants rights, the gateway
/// shows menus by them, each service checks them on the actor the gateway signed). Each right
/// is checked by the service that owns the data, and again at the gateway (menu and routes).
public enum Right: String, Codable, Sendable, CaseIterable, Comparable {
    /// See the indicator list and the menu of a chosen year (manual flag 1.1 M).
    case view
    /// See the annual summary (1.2 S).
    case viewSummary = "view_summary"
    /// Report evidence and self-assessment for one's own unit (2 School).
    case report
    /// Define and edit indicators (3.1 Create).
    case defineIndicators = "define_indicators"
    /// Open rounds and assign units (3.2 Open).
    case openRounds = "open_rounds"
    /// Be responsible for indicators of one's workgroup (4.1 Owner).
    case ownIndicators = "own_indicators"
    /// Review confirmed reports and score them (4.2 Proof).
    case review
    /// Administer users, rights and units (5 SA).
    case administer
    /// Answer password requests (6 AReply).
    case answerRequests = "answer_requests"
    /// Manage indicator files: attach and delete (7.1 File, 7.2 Upload).
    case manageFiles = "manage_files"
    /// See other units' reports (9 Friends).
    case seeAllUnits = "see_all_units"

    /// The manual's column heading for this right (its user list shows these flags).
    public var manualFlag: String {
        switch self {
        case .view: "1.1 M"
        case .viewSummary: "1.2 S"
        case .report: "2 School"
        case .defineIndicators: "3.1 Create"
        case .openRounds: "3.2 Open"
        case .ownIndicators: "4.1 Owner"
        case .review: "4.2 Proof"
        case .administer: "5 SA"
        case .answerRequests: "6 AReply"
        case .manageFiles: "7.1 File / 7.2 Upload"
        case .seeAllUnits: "9 Friends"
        }
    }

    public var labelTh: String {
        switch self {
        case .view: "ดูตัวชี้วัด"
        case .viewSummary: "ดูสรุปรายงานผล"
        case .report: "รายงานข้อมูลตัวชี้วัดของหน่วยงาน"
        case .defineIndicators: "กำหนดตัวชี้วัด"
        case .openRounds: "เปิดรอบและกำหนดหน่วยงาน"
        case .ownIndicators: "ผู้รับผิดชอบตัวชี้วัด"
        case .review: "ตรวจและให้คะแนน"
        case .administer: "ผู้ดูแลระบบ"
        case .answerRequests: "ตอบคำขอรหัสผ่าน"
        case .manageFiles: "จัดการไฟล์ตัวชี้วัด"
        case .seeAllUnits: "ดูรายงานของหน่วยงานอื่น"
        }
    }

    public static func < (a: Right, b: Right) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
