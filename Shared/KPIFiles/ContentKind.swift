import Foundation

/// What a stored file is, decided by its bytes and never by its name or the type the browser
/// declared: PDF, images, Word/Excel/PowerPoint (old and new) and OpenDocument. Anything else
/// is refused, so a page or a script can never be uploaded and later served as one.
public enum ContentKind: String, Codable, Sendable, CaseIterable {
    case pdf, png, jpeg, gif, webp
    /// An OLE compound file: Word, Excel or PowerPoint before 2007 (which one, the name tells).
    case msOffice = "ms-office"
    case docx, xlsx, pptx
    case odt, ods, odp, odg

    /// The type a download is served as. An old Office file takes its type from its name's
    /// extension when that is one of the three, else it is served as bytes.
    public func mediaType(fileName: String) -> String {
        switch self {
        case .pdf: "application/pdf"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .msOffice:
            switch (fileName as NSString).pathExtension.lowercased() {
            case "doc": "application/msword"
            case "xls": "application/vnd.ms-excel"
            case "ppt": "application/vnd.ms-powerpoint"
            default: "application/octet-stream"
            }
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case .odt: "application/vnd.oasis.opendocument.text"
        case .ods: "application/vnd.oasis.opendocument.spreadsheet"
        case .odp: "application/vnd.oasis.opendocument.presentation"
        case .odg: "application/vnd.oasis.opendocument.graphics"
        }
    }

    /// The Thai message for a file that is none of these.
    public static let refusedTh = "รับเฉพาะไฟล์ PDF รูปภาพ (JPG, PNG, GIF, WebP) Word Excel PowerPoint หรือ OpenDocument"

    /// The kind of a file from its first bytes; a ZIP file (the Office and OpenDocument formats
    /// are ZIP archives) is told by its entry names, which `zipEntries` reads.
    public static func sniff(head: [UInt8], zipEntries: () throws -> ZipEntries?) rethrows -> ContentKind? {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .msOffice }
        guard starts([0x50, 0x4B, 0x03, 0x04]), let zip = try zipEntries() else { return nil }
        // OpenDocument: the first entry is "mimetype", stored, holding the type (ODF 1.2 §3.3).
        switch zip.mimetype {
        case "application/vnd.oasis.opendocument.text": return .odt
        case "application/vnd.oasis.opendocument.spreadsheet": return .ods
        case "application/vnd.oasis.opendocument.presentation": return .odp
        case "application/vnd.oasis.opendocument.graphics": return .odg
        default: break
        }
        // Office Open XML: a content types part and the main part of its application.
        guard zip.names.contains("[Content_Types].xml") else { return nil }
        if zip.names.contains("word/document.xml") { return .docx }
        if zip.names.contains("xl/workbook.xml") { return .xlsx }
        if zip.names.contains("ppt/presentation.xml") { return .pptx }
        return nil
    }
}

/// The entry names of a ZIP archive, from its central directory, and the content of a stored
/// first entry named "mimetype" (OpenDocument).
public struct ZipEntries: Sendable, Equatable {
    public var names: Set<String>
    public var mimetype: String?

    /// Reads the archive through `read(offset, length)`; nil when it is not a well-formed ZIP.
    /// Bounded: at most 64 KiB for the end record and 4 MiB of central directory.
    public static func read(size: Int64, _ read: (Int64, Int) throws -> [UInt8]) throws -> ZipEntries? {
        guard size >= 22 else { return nil }
        let tailLength = Int(min(size, 22 + 65_535))
        let tail = try read(size - Int64(tailLength), tailLength)
        // The end of central directory record: its signature, searched from the end (a comment may follow it).
        guard let eocd = stride(from: tail.count - 22, through: 0, by: -1).first(where: { u32(tail, $0) == 0x0605_4B50 }) else { return nil }
        let count = Int(u16(tail, eocd + 10)), cdSize = Int(u32(tail, eocd + 12)), cdOffset = Int64(u32(tail, eocd + 16))
        guard cdSize <= 4 * 1024 * 1024, cdOffset + Int64(cdSize) <= size else { return nil }
        let cd = try read(cdOffset, cdSize)
        var names = Set<String>(), at = 0
        for _ in 0..<count {
            guard at + 46 <= cd.count, u32(cd, at) == 0x0201_4B50 else { return nil }
            let nameLength = Int(u16(cd, at + 28)), extra = Int(u16(cd, at + 30)), comment = Int(u16(cd, at + 32))
            guard at + 46 + nameLength <= cd.count else { return nil }
            names.insert(String(decoding: cd[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self))
            at += 46 + nameLength + extra + comment
        }
        // The first local entry, for OpenDocument's "mimetype" (stored, so its bytes are the text).
        var mimetype: String?
        let local = try read(0, Int(min(size, 30 + 8 + 100)))
        if local.count >= 30, u16(local, 8) == 0 {
            let nameLength = Int(u16(local, 26)), extra = Int(u16(local, 28)), length = Int(u32(local, 18))
            if nameLength == 8, local.count >= 38, String(decoding: local[30..<38], as: UTF8.self) == "mimetype", length <= 100 {
                let start = 38 + extra
                if let text = try? read(Int64(start), length), text.count == length { mimetype = String(decoding: text, as: UTF8.self) }
            }
        }
        return ZipEntries(names: names, mimetype: mimetype)
    }

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { i + 2 <= b.count ? UInt16(b[i]) | UInt16(b[i + 1]) << 8 : 0 }
    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 { i + 4 <= b.count ? UInt32(u16(b, i)) | UInt32(u16(b, i + 2)) << 16 : 0 }
}
