import Foundation

/// Password rules: 8 to 128 characters, not one of the most common passwords, not the username.
public enum PasswordPolicy {
    public static let minLength = 8
    public static let maxLength = 128

    /// nil when acceptable, else the Thai message to show.
    public static func problem(with password: String, username: String) -> String? {
        if password.count < minLength { return "รหัสผ่านต้องมีอย่างน้อย \(minLength) ตัวอักษร" }
        if password.count > maxLength { return "รหัสผ่านยาวได้ไม่เกิน \(maxLength) ตัวอักษร" }
        let lower = password.lowercased()
        if CommonPasswords.all.contains(lower) { return "รหัสผ่านนี้ถูกใช้บ่อยเกินไป เดาได้ง่าย กรุณาตั้งรหัสผ่านอื่น" }
        if !username.isEmpty, lower.contains(username.lowercased()) { return "รหัสผ่านต้องไม่มีชื่อผู้ใช้อยู่ในนั้น" }
        return nil
    }
}

