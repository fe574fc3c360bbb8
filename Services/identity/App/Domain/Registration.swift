import Foundation

/// The rights-request form (appendix 1 of the manual), as submitted for registration.
public struct Registration: Codable, Sendable {
    public var nationalId: String
    public var title: String
    public var firstNameTh: String
    public var lastNameTh: String
    public var firstNameEn: String
    public var lastNameEn: String
    public var staffKind: String
    public var position: String
    public var officePhone: String
    public var mobile: String
    public var unitCode: Int
    public var province: String
    public var email: String
    public var username: String
    public var password: String

    public init(nationalId: String, title: String, firstNameTh: String, lastNameTh: String, firstNameEn: String,
                lastNameEn: String, staffKind: String, position: String, officePhone: String, mobile: String,
                unitCode: Int, province: String, email: String, username: String, password: String) {
        self.nationalId = nationalId; self.title = title; self.firstNameTh = firstNameTh; self.lastNameTh = lastNameTh
        self.firstNameEn = firstNameEn; self.lastNameEn = lastNameEn; self.staffKind = staffKind; self.position = position
        self.officePhone = officePhone; self.mobile = mobile; self.unitCode = unitCode; self.province = province
        self.email = email; self.username = username; self.password = password
    }

    /// Staff kinds of the form: ข้าราชการ / พนักงานราชการ, ลูกจ้างประจำ / ลูกจ้างชั่วคราว, จ้างเหมาบริการ.
    public static let staffKinds: [(String, String)] = [
        ("civil_servant", "ข้าราชการ"),
        ("government_employee", "พนักงานราชการ/ลูกจ้างประจำ"),
        ("temporary_employee", "ลูกจ้างชั่วคราว/จ้างเหมาบริการ"),
    ]

    /// Field → Thai message for every field that is not acceptable; empty when all are.
    public func problems() -> [String: String] {
        var p: [String: String] = [:]
        func required(_ key: String, _ value: String, max: Int = 100) {
            let v = value.trimmingCharacters(in: .whitespaces)
            if v.isEmpty { p[key] = "กรุณากรอกข้อมูล" } else if v.count > max { p[key] = "ยาวเกิน \(max) ตัวอักษร" }
        }
        if NationalID(nationalId) == nil { p["nationalId"] = "เลขประจำตัวประชาชนไม่ถูกต้อง (13 หลัก ตรวจสอบหลักสุดท้ายแล้วไม่ตรง)" }
        required("title", title, max: 40)
        required("firstNameTh", firstNameTh); required("lastNameTh", lastNameTh)
        required("firstNameEn", firstNameEn); required("lastNameEn", lastNameEn)
        for (key, value) in [("firstNameEn", firstNameEn), ("lastNameEn", lastNameEn)]
        where p[key] == nil && !value.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == " " || $0 == "-" || $0 == "." || $0 == "'") }) {
            p[key] = "กรอกเป็นภาษาอังกฤษ"
        }
        if !Self.staffKinds.contains(where: { $0.0 == staffKind }) { p["staffKind"] = "กรุณาเลือกประเภทบุคลากร" }
        required("position", position)
        for (key, value) in [("officePhone", officePhone), ("mobile", mobile)] {
            let digits = value.filter(\.isNumber)
            if digits.count < 9 || digits.count > 10 || !value.allSatisfy({ $0.isNumber || $0 == "-" || $0 == " " }) {
                p[key] = "หมายเลขโทรศัพท์ไม่ถูกต้อง"
            }
        }
        required("province", province, max: 60)
        let at = email.firstIndex(of: "@")
        if email.count > 200 || at == nil || !email[at!...].contains(".") || email.contains(" ") { p["email"] = "อีเมลไม่ถูกต้อง" }
        if username.count < 4 || username.count > 40
            || !username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            p["username"] = "ชื่อผู้ใช้ 4–40 ตัว ใช้ a–z 0–9 . _ - เท่านั้น"
        }
        if let problem = PasswordPolicy.problem(with: password, username: username) { p["password"] = problem }
        return p
    }
}
