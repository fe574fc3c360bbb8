import Hummingbird
import KPIRuntime

/// The page language: Thai first, English on request (cookie `kpi_lang`). The task-local lets
/// every page function translate without passing the language around.
enum Language: String, Sendable {
    case th, en
    @TaskLocal static var current: Language = .th
}

/// The English of a Thai UI text; the Thai itself when no translation is known.
func t(_ thai: String) -> String {
    guard Language.current == .en else { return thai }
    return english[thai] ?? thai
}

struct LanguageMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let lang = request.cookies["kpi_lang"].flatMap { Language(rawValue: $0.value) } ?? .th
        return try await Language.$current.withValue(lang) { try await next(request, context) }
    }
}

/// Where a `next=` parameter may send the browser: only to one of our own pages. Anything a
/// browser could read as another site (`//host`, `/\host`, `/\t/host`, a scheme) becomes "/".
enum LocalRedirect {
    /// The first path segments of the gateway's pages.
    static let pages: Set<Substring> = ["signin", "register", "year", "password", "forgot", "units", "admin", "sessions"]

    static func target(_ next: String?) -> String {
        guard let next, next.hasPrefix("/") else { return "/" }
        let (path, query) = next.firstIndex(of: "?").map { (next[..<$0], next[next.index(after: $0)...]) } ?? (Substring(next), "")
        let pathChars = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_-")
        let queryChars = pathChars.union("=&.")
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard path.allSatisfy(pathChars.contains), query.allSatisfy(queryChars.contains),
              !path.contains("//"), path == "/" || segments.first.map(pages.contains) == true else { return "/" }
        return query.isEmpty ? String(path) : "\(path)?\(query)"
    }
}

enum LanguageRoutes {
    static func register(on router: Router<ServiceRequestContext>, secureCookies: Bool) {
        router.get("/lang/:code") { request, context in
            let lang = context.parameters.get("code").flatMap(Language.init(rawValue:)) ?? .th
            // Back to the page the link was on, only within this site.
            let target = LocalRedirect.target(request.uri.queryParameters.get("next").map { String($0) })
            var response = Response.redirect(to: target, type: .found)
            response.setCookie(try Cookie.validated(name: "kpi_lang", value: lang.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                                                    secure: secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }
    }
}

/// Thai UI text → English. Every `{{#t}}…{{/t}}` of the templates has an entry (a unit test
/// checks); text without one shows in Thai.
let english: [String: String] = [
    "ปิดปีแล้ว": "Closed", "เปิดปี": "Open the year", "ปิดปี": "Close the year", "คัดลอกตัวชี้วัดไปปี": "Copy the indicators to",
    "กำหนดการ": "Schedule", "เลยวันปิดรับแล้ว รอบนี้ไม่รับรายงาน ยกเว้นหน่วยงานที่ได้รับการขยายเวลา":
        "The cut-off has passed: the round takes no report except from units with an extension",
    "วันเปิดรอบ": "Opens on", "วันครบกำหนด": "Due on", "วันปิดรับ": "Cut-off", "บันทึกกำหนดการ": "Save the schedule",
    "การขยายเวลา": "Extensions", "ถึง": "until", "ยังไม่มีการขยายเวลา": "No extensions", "ขยายเวลาถึง": "Extended until",
    "ขยายเวลา": "Extend", "บันทึกกำหนดการแล้ว": "Schedule saved", "บันทึกการขยายเวลาแล้ว": "Extension saved",
    "ครบกำหนด": "due", "ปิดรับ": "cut-off",
    "กำหนดหน่วยงานที่รายงาน": "Units that report", "กำหนดการรายงานของช่วง": "Reporting round", "หน่วยงานที่กำหนดแล้ว": "Assigned units",
    "มีการรายงานแล้ว": "Has reported", "ยังไม่ได้รับรายงาน": "No report yet", "ลบ": "Remove", "เลือกหน่วยงาน": "Choose units",
    "ใช้กับทุกรอบของตัวชี้วัดนี้": "Apply to every round of this indicator", "บันทึกการเปลี่ยนแปลง": "Save changes",
    "เลือกโรงเรียนทั้งหมด": "Select all schools", "กลับรายการตัวชี้วัด": "Back to the indicators",
    "บันทึกการเปลี่ยนแปลงแล้ว": "Changes saved",
    "กรอง": "Filter", "กลุ่มงาน": "Workgroup", "กำหนดตัวชี้วัด": "Define an indicator", "แก้ไขตัวชี้วัด": "Edit the indicator",
    "ค่า ratio วัดสัมประสิทธิ์": "Weight (ratio)", "ค่าเฉลี่ย": "averages", "ตัวชี้วัด": "Indicators", "ทุกกลุ่มงาน": "All workgroups",
    "ประเภทตัวชี้วัด": "Indicator type", "ปิด": "Close", "เปิด": "Open", "ยกเลิก": "Cancel",
    "มีรอบที่เปิดแล้ว จึงเปลี่ยนลักษณะการเปิดใช้งานไม่ได้": "A round has been opened, so the round mode cannot change",
    "ยังไม่มีตัวชี้วัดในปีนี้": "No indicators in this year yet", "ยืนยันปิดรอบ": "Close the round",
    "ยื่น/ตรวจ/ทั้งหมด": "submitted/reviewed/assigned", "รอบ": "Rounds", "รายการตัวชี้วัด แยกตามประเภท": "Indicators by type",
    "ลบไฟล์": "Delete the file", "เลือกไฟล์": "Choose a file", "รูปภาพ": "images", "ไม่เกิน": "at most", "แนบไฟล์": "Attach a file",
    "คำอธิบายตัวชี้วัด": "Indicator description", "เครื่องมือประเมินระดับคุณภาพ": "Quality assessment tool", "เอกสารอื่น": "Other documents",
    "แนบไฟล์แล้ว": "The file is attached.", "ลบไฟล์แล้ว": "The file is deleted.", "ไม่พบไฟล์นี้": "File not found.",
    "กรุณาเลือกไฟล์": "Please choose a file.", "ไฟล์ที่แนบไว้ไม่เปลี่ยนเมื่อบันทึกแบบฟอร์มนี้": "saving this form leaves the attached files as they are",
    "รายงานผลตัวชี้วัด": "Indicator report", "รอบรายงาน": "Reporting round", "หน่วยงานผู้รายงาน": "Reporting unit",
    "ส่งหลังวันครบกำหนด": "sent after the due date",
    "แนบหลักฐานได้ 10 ช่อง ช่องละ 1 ไฟล์พร้อมคำอธิบาย": "Up to 10 pieces of evidence, each one file with its description",
    "หลักฐานที่": "Evidence", "ผู้ส่งไฟล์": "Sent by", "คำอธิบายหลักฐาน": "Description of the evidence", "เปลี่ยนไฟล์": "Replace the file",
    "ไฟล์": "File", "ประเมินตนเอง": "Self-assessment", "ยังไม่ยืนยันผลตัวชี้วัด": "Not confirmed yet", "ยืนยันผลตัวชี้วัด": "Confirm the result",
    "นำเข้าเอกสารและข้อมูล": "Send files and data", "ยืนยันข้อมูลแล้ว รอการตรวจสอบ": "Confirmed, waiting for review",
    "ยกเลิกผลการยืนยัน": "Cancel the confirmation", "ประวัติรายงาน": "Report history", "ขั้นตอน": "Step", "จำนวนเต็ม": "whole numbers",
    "ตรวจสอบข้อมูลแล้ว": "Reviewed", "แนบหลักฐาน": "Evidence attached", "ลบหลักฐาน": "Evidence removed", "ยืนยันผล": "Confirmed",
    "บันทึกรายงานแล้ว": "The report is saved.", "ลบหลักฐานแล้ว": "The evidence is removed.",
    "ยกเลิกผลการยืนยันแล้ว": "The confirmation is cancelled.", "รายงาน": "Report", "ไม่พบรายงานนี้": "Report not found.",
    "ไม่พบหลักฐานนี้": "Evidence not found.", "กรุณากรอกคะแนนเป็นตัวเลข": "Please enter the score as a number.",
    // Reviews (M10, M16, B2, B5)
    "ตรวจรายงาน": "Review reports", "รอตรวจ": "Waiting", "ตรวจแล้ว": "Reviewed", "ตรวจ": "Review", "ผู้ตรวจ": "Reviewer",
    "ผลการประเมิน": "Review score", "ความเห็น": "Comment", "ความเห็นผู้ตรวจ": "Reviewer's comment",
    "ความเห็น (จำเป็นเมื่อส่งกลับให้แก้ไข)": "Comment (required when returning for revision)",
    "บันทึกผลการตรวจ": "Save the review", "ส่งกลับให้แก้ไข": "Return for revision", "ยกเลิกผลการตรวจ": "Cancel the review",
    "ผู้ตรวจส่งกลับให้แก้ไข": "Returned for revision by the reviewer", "รายงานนี้ถูกแก้ไขหลังการตรวจครั้งก่อน": "This report changed after its last review.",
    "แก้ไขหลังการตรวจครั้งก่อน": "Changed after its last review", "อาจมีหลักฐานที่คัดลอกมา": "Possibly copied evidence",
    "อาจเป็นหลักฐานที่คัดลอกมา: ไฟล์เดียวกับที่ส่งโดย": "Possibly copied evidence: the same file was sent by",
    "ทุกตัวชี้วัด": "All indicators", "ทุกรอบ": "All rounds", "ดาวน์โหลดหลักฐานทั้งรอบ (ZIP)": "Download the round's evidence (ZIP)",
    "ยืนยันเมื่อ": "Confirmed on", "หลักฐาน": "Evidence", "ยังไม่มีรายงานที่ตรวจแล้ว": "No reviewed reports yet.",
    "ไม่มีรายงานที่รอตรวจ": "No reports are waiting for review.", "ให้คะแนนรายการที่เลือก (คะแนนเดียวกัน)": "Score the chosen reports (one score)",
    "บันทึกผลการตรวจรายการที่เลือก": "Save the review of the chosen reports", "ตรวจสอบข้อมูลแล้ว ผลการประเมิน :": "Reviewed. Review score:",
    "คะแนน": "points", "บันทึกผลการตรวจแล้ว": "The review is saved.", "ยกเลิกผลการตรวจแล้ว": "The review is cancelled.",
    "ส่งกลับให้หน่วยงานแก้ไขแล้ว": "Returned to the unit for revision.", "ตรวจและให้คะแนน": "Reviewed and scored",
    "ค้นหาในหลักฐาน": "Search the evidence", "ค้นหาในหลักฐาน (คำอธิบายและข้อความในไฟล์ PDF)": "Search the evidence (descriptions and PDF text)",
    "เปิดรายงาน": "Open the report", "ไม่พบหลักฐานที่มีคำนี้": "No evidence contains this text.",
    "กลับรายการรอตรวจ": "Back to the review queue",
    "รายการตัวชี้วัด": "Indicators", "ลักษณะการเปิดใช้งาน": "Round mode", "สถานะตัวชี้วัด": "Indicator status", "หมายเลข": "Number",
    "เกณฑ์": "Criteria", "เอกสารประกอบ": "Documents", "แก้ไข": "Edit", "โดย (กลุ่มงานที่รับผิดชอบ)": "By (owning workgroup)",
    "— ไม่ระบุ —": "— none —", "ปิดการมองเห็น": "Hidden", "ยังไม่เปิด": "not opened",
    "เมื่อปิดรอบแล้ว โรงเรียนจะรายงานผลในรอบนี้ไม่ได้ ควรปิดเฉพาะเมื่อแน่ใจ":
        "Once the round is closed, schools can no longer report in it. Close it only when you are sure.",
    "เลขตัวชี้วัด": "Indicator number", "ชื่อตัวชี้วัด": "Indicator name", "รายละเอียดตัวชี้วัด": "Indicator details",
    "เดือนที่ประเมิน / หมายเหตุ": "Assessment month / note", "เกณฑ์ (เช่น [2] --> [3] --> [4] --> [5])": "Criteria (e.g. [2] --> [3] --> [4] --> [5])",
    "รายเดือน": "Monthly", "รายไตรมาส": "Quarterly", "รายครึ่งปี": "Half-yearly", "1 ครั้ง": "Once", "ปิดรอบ": "Close a round",
    "ค้นหา (รหัสหรือชื่อหน่วยงาน)": "Search (unit code or name)", "สำนักงานเขตพื้นที่": "Area office", "ทุกเขตพื้นที่": "All areas",
    "ทุกประเภท": "All kinds", "หน้า": "Page", "ก่อนหน้า": "Previous", "ถัดไป": "Next", "ไม่พบหน่วยงานที่ค้นหา": "No unit matches",
    "1. เลือกหน่วยงานของท่าน": "1. Find your unit", "2. กรอกแบบคำขอสิทธิ์": "2. Fill in the rights-request form",
    "เลือกสำนักงานเขตพื้นที่หรือค้นหาหน่วยงานด้านบนก่อน": "Choose an area office or search for your unit above first",
    "แสดงบางส่วน": "Showing", "พิมพ์รหัสหรือชื่อเพื่อค้นหา": "type a code or name to search", "รหัสหน่วยงาน": "Unit code",
    "สพฐ.": "OBEC (nation)",
    "กลุ่มงาน (บุคลากรสำนักงานเขต)": "Workgroup (district office staff)", "ชื่อหน่วยงาน / ประเภท": "Unit name / kind",
    "ทั้งหมด": "In all", "บันทึกกลุ่มงาน": "Save workgroup", "รายละเอียด": "Details",
    "รีเซ็ตรหัสผ่านได้ที่หน้าบัญชีผู้ใช้ แล้วแจ้งรหัสชั่วคราวแก่ผู้ขอ":
        "Reset the password on the user's page, then give the temporary password to the person who asked",
    "ส่งคำขอถึงผู้ดูแลระบบแล้ว ผู้ดูแลระบบจะติดต่อกลับพร้อมรหัสผ่านชั่วคราว":
        "The request went to the administrators; one will contact you with a temporary password",
    "เปิดใช้งาน": "Activate", "ไม่พบบัญชี": "no such account", "— ไม่สังกัดกลุ่มงาน —": "— no workgroup —",
    "ระบบ": "System", "รออนุมัติ": "Waiting for approval", "รอการอนุมัติ": "Waiting for approval", "ลงทะเบียนแล้ว": "Registered",
    "เลขประจำตัวประชาชนซ้ำกับบัญชีอื่น": "National ID also on another account", "ID ซ้ำ": "Same ID",
    "เลขประจำตัวประชาชนนี้ซ้ำกับบัญชี": "This national ID is also on the accounts",
    "ตรวจสอบก่อนอนุมัติ บุคคลหนึ่งมีบัญชีที่ใช้งานได้บัญชีเดียว": "check before approving: a person may have one active account only",
    "อุปกรณ์ที่เข้าสู่ระบบด้วยบัญชีนี้": "Where this account is signed in", "เครื่องนี้": "This device",
    "ออกจากระบบเครื่องนั้น": "Sign that device out", "ออกจากระบบเครื่องนั้นแล้ว": "That device is signed out",
    "เข้าสู่ระบบเมื่อ": "Signed in", "ใช้งานล่าสุด": "Last used",
    "หน้าแรก": "Home", "หน่วยงาน": "Units", "เข้าสู่ระบบ": "Sign in", "ลงทะเบียน": "Register", "เลือกปี": "Choose year",
    "เปลี่ยนรหัสผ่าน": "Change password", "คำขอรหัสผ่าน": "Password requests", "จัดการผู้ใช้": "Users",
    "จัดการหน่วยงาน": "Manage units", "ออกจากระบบ": "Sign out",
    "ระบบรายงานตัวชี้วัด สำนักงานเขตพื้นที่การศึกษา": "Indicator reporting of the educational service area office",
    "ระบบรายงานผลการดำเนินงานตามตัวชี้วัด": "Indicator performance reporting",
    "KPI-Online: ตัวชี้วัด รอบรายงาน ผลการประเมินตนเอง และผลการตรวจของเขตพื้นที่":
        "KPI-Online: indicators, reporting rounds, self-assessments and the district's review scores",
    "ลงทะเบียนผู้ใช้งานใหม่": "Register a new user", "สวัสดี": "Hello", "ชื่อผู้ใช้": "Username", "ตำแหน่ง": "Position",
    "เลขประจำตัวประชาชน": "National ID", "ปี": "Year", "ปีงบประมาณ": "Fiscal year", "ยังไม่ได้เลือกปี": "No year chosen yet",
    "รหัสผ่าน": "Password", "ลืมรหัสผ่าน / ขอเปลี่ยนรหัสผ่าน": "Forgot password / request a change",
    "บัญชีของท่านรอการอนุมัติ": "Your account is waiting for approval",
    "ผู้ดูแลระบบจะตรวจสอบแบบคำขอสิทธิ์ที่ผู้อำนวยการรับรองแล้ว และอนุมัติบัญชี เมื่ออนุมัติแล้วท่านจึงจะเข้าสู่ระบบได้":
        "An administrator checks the rights-request form certified by your director and approves the account; then you can sign in.",
    "กลับหน้าแรก": "Back to the home page", "ลงทะเบียนเรียบร้อย": "Registered",
    "บัญชีของท่านรอผู้ดูแลระบบอนุมัติ เมื่ออนุมัติแล้วจึงเข้าสู่ระบบได้": "Your account waits for an administrator's approval; then you can sign in.",
    "ไปหน้าเข้าสู่ระบบ": "Go to sign in",
    "เลขประจำตัวประชาชน (13 หลัก)": "National ID (13 digits)", "คำนำหน้าชื่อ": "Title", "ชื่อ (ภาษาไทย)": "First name (Thai)",
    "นามสกุล (ภาษาไทย)": "Last name (Thai)", "ชื่อ (ภาษาอังกฤษ)": "First name (English)", "นามสกุล (ภาษาอังกฤษ)": "Last name (English)",
    "โทรศัพท์ที่ทำงาน": "Office phone", "โทรศัพท์มือถือ": "Mobile", "จังหวัด": "Province", "อีเมล": "E-mail",
    "ชื่อผู้ใช้ (a–z 0–9 . _ -)": "Username (a–z 0–9 . _ -)", "ประเภทบุคลากร": "Staff kind", "ข้าราชการ": "Civil servant",
    "พนักงานราชการ/ลูกจ้างประจำ": "Government employee / permanent employee",
    "ลูกจ้างชั่วคราว/จ้างเหมาบริการ": "Temporary employee / contractor", "หน่วยงาน (โรงเรียน)": "Unit (school)",
    "— เลือก —": "— choose —", "รหัสผ่าน (8–128 ตัวอักษร)": "Password (8–128 characters)",
    "แบบคำขอสิทธิ์ที่ผู้อำนวยการลงนามแล้ว (PDF หรือรูปภาพ ไม่เกิน 5 MB, ถ้ามี)":
        "Rights-request form signed by the director (PDF or image, up to 5 MB, optional)",
    "กรุณาแก้ไขข้อมูลที่ระบุ": "Please correct the marked fields", "ปี พ.ศ.": "Year (B.E.)", "ช่วงเวลา": "Period", "เลือก": "Choose",
    "ขออภัย": "Sorry", "เกิดข้อผิดพลาด": "Error", "รหัส": "Code", "ชื่อหน่วยงาน": "Unit name", "ประเภท": "Kind", "สถานะ": "Status",
    "ใช้งาน": "Active", "ปิดใช้งาน": "Inactive", "โรงเรียน": "School", "หน่วยงานอื่น": "Other unit",
    "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง": "Wrong username or password",
    "พยายามเข้าสู่ระบบผิดหลายครั้ง กรุณารอ 15 นาทีแล้วลองใหม่": "Too many failed attempts; wait 15 minutes and try again",
    "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาเปิดหน้าใหม่แล้วลองอีกครั้ง": "The form expired or is not valid; reload the page and try again",
    "บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้": "Your account may not use this page", "ไม่พบหน้าที่ต้องการ": "Page not found",
    "ระบบบางส่วนไม่ตอบสนองในขณะนี้ กรุณาลองใหม่ภายหลัง": "Part of the system is not answering; please try again later",
    "คำขอไม่ถูกต้อง": "Bad request", "รหัสผ่านปัจจุบัน": "Current password", "รหัสผ่านใหม่ (8–128 ตัวอักษร)": "New password (8–128 characters)",
    "เปลี่ยนรหัสผ่านแล้ว": "Password changed", "ขอเปลี่ยนรหัสผ่าน": "Request a password change", "เหตุผล": "Reason",
    "ลืมรหัสผ่าน": "Forgot password", "สงสัยว่ารหัสผ่านรั่วไหล": "Password may have leaked", "เลิกใช้รหัสผ่านร่วมกับผู้อื่น": "Stop sharing the password",
    "รายละเอียดเพิ่มเติม (ถ้ามี)": "Details (optional)", "ส่งคำขอ": "Send request",
    "รหัสผ่านของท่านเป็นรหัสชั่วคราว กรุณาตั้งรหัสผ่านใหม่ก่อนใช้งาน": "Your password is temporary; set a new one first",
    "ค้นหา": "Search", "ทุกสถานะ": "All statuses", "ทุกหน่วยงาน": "All units", "บัญชี": "accounts", "ชื่อ-นามสกุล": "Name",
    "อนุมัติ": "Approve", "ไม่อนุมัติ": "Reject", "เหตุผลที่ไม่อนุมัติ": "Reason for rejecting", "ปิดการใช้งาน": "Disable",
    "เปิดการใช้งาน": "Enable", "รีเซ็ตรหัสผ่าน": "Reset password", "สิทธิ์การใช้งาน": "Rights", "บันทึกสิทธิ์": "Save rights",
    "ประวัติการเปลี่ยนแปลง": "History of changes", "เวลา": "Time", "โดย": "By", "รายการ": "Item", "เดิม → ใหม่": "Old → new",
    "แบบคำขอสิทธิ์": "Rights-request form", "เปิดดูแบบคำขอที่แนบ": "Open the attached form", "ไม่ได้แนบ": "None attached",
    "ชื่อภาษาอังกฤษ": "Name in English", "โทรศัพท์": "Phone", "เพิ่มหน่วยงาน": "Add unit", "บันทึก": "Save",
    "คำขอเปลี่ยนรหัสผ่าน": "Password change requests", "เพิ่มปีงบประมาณ": "Add fiscal year", "ดำเนินการแล้ว": "Done", "ไม่มีคำขอที่รอดำเนินการ": "No open requests",
    // Figures (statistics): the indicator list's counters, the matrix, the annual summary.
    "ตรงเวลา": "on time", "ล่าช้า": "late", "แสดงข้อมูลทุกรอบรายงาน": "All rounds", "รอส่ง": "Not sent",
    "ส่งกลับแก้ไขแล้ว": "Returned for revision", "กำหนดส่ง": "due", "ส่งแล้ว (คะแนนประเมินตนเอง - ผู้ส่ง)": "Sent (self score - sender)",
    "ตรวจแล้ว (ผลการประเมิน - ผู้ตรวจ)": "Reviewed (review score - reviewer)", "ระดับตามเกณฑ์": "criteria level",
    "ยังไม่มีหน่วยงานที่ได้รับมอบหมายให้รายงานตัวชี้วัดนี้": "No unit reports on this indicator yet",
    "สรุปรายงานผล (รายปี)": "Annual summary", "สรุปรายงานผล": "Summary", "ทั้งประเทศ": "The nation", "เขตพื้นที่": "Area office",
    "แสดงผล": "Show", "ตัวกรอง": "Filters", "ผลรวม ผลคงเหลือ": "Totals and what remains",
    "รายงานที่ต้องส่ง": "Reports due", "ส่งแล้ว": "Sent", "คงเหลือ (ยังไม่ส่ง)": "Remaining (not sent)",
    "เลยกำหนดแล้ว": "Past the due date", "ผลถ่วงน้ำหนักของทั้งเขต (1–5)": "Weighted result of the area (1–5)",
    "ยังไม่มีรายงานในปีนี้": "No reports this year yet", "เปรียบเทียบเขตพื้นที่": "Areas compared", "คงเหลือ": "Remaining",
    "ผลถ่วงน้ำหนัก": "Weighted result", "รายตัวชี้วัด": "By indicator", "ลำดับ": "No.", "น้ำหนัก": "Weight",
    "ส่ง/ตรวจ/ทั้งหมด": "Sent/reviewed/all", "รายหน่วยงาน": "By unit", "แสดงทุกหน่วยงาน": "Show every unit",
    "เฉพาะหน่วยงานที่ค้างส่งเลยกำหนด": "Only units behind", "ค้างส่งเลยกำหนด": "Behind", "เลยกำหนด": "overdue",
    "ผลถ่วงน้ำหนัก = Σ (ค่าน้ำหนัก × ค่าเฉลี่ยผลการประเมินในระดับ 1–5) ÷ Σ ค่าน้ำหนัก ของตัวชี้วัดที่ตรวจแล้ว": "Weighted result = Σ (weight × average review score on the 1–5 scale) ÷ Σ weight, over reviewed indicators",
    "สถิติผลการรายงานตัวชี้วัด": "Indicator reporting statistics", "ความก้าวหน้าการรายงานรายเขตพื้นที่": "Reporting progress by area office",
    "ความก้าวหน้าการรายงานรายตัวชี้วัด": "Reporting progress by indicator",
    "แถบเข้ม: ส่งแล้ว · แถบอ่อน: ตรวจแล้ว (ร้อยละของรายงานที่ต้องส่ง) · ตัวเลขท้ายแถบ: ผลการประเมิน": "Dark bar: sent · light bar: reviewed (share of the reports due) · the number after a bar: the result",
    "สถิติ": "Statistics",
    "ดาวน์โหลด": "Download", "พิมพ์": "Print",
    "ถูกส่งกลับให้แก้ไข": "returned for revision", "เลยกำหนดส่ง": "overdue since", "รายงานที่รอตรวจ": "Reports waiting for review",
    "การแจ้งเตือน": "Reminders",
    "ข้อมูลในหน้านี้ปรับปรุงอัตโนมัติ": "This page updates by itself", "ปรับปรุงล่าสุดเมื่อ": "Updated at",
    "ยังไม่ได้อ่าน": "Unread", "ครบกำหนดส่ง": "due on", "ยังไม่มีการแจ้งเตือน": "No notices yet", "อ่านแล้วทั้งหมด": "Mark all read",
    "ใหม่": "New", "อ่านแล้ว": "Mark read", "ทำเครื่องหมายว่าอ่านแล้ว": "Marked as read",
    "ข้อความแจ้งเตือนที่ยังไม่ได้อ่าน": "Unread notices",
]
