import Foundation
import Hummingbird

extension Request {
    /// The JSON body as `T`, no larger than `limit` bytes: a 413 problem when larger, a 400
    /// problem when it is not `T`. The one way every service reads a JSON body.
    public func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int = 64 * 1024) async throws -> T {
        let buffer: ByteBuffer
        do { buffer = try await body.collect(upTo: limit) } catch {
            throw Problem(status: .contentTooLarge, detail: "ข้อมูลมีขนาดใหญ่เกินไป")
        }
        do { return try JSONDecoder.kpi.decode(T.self, from: Data(buffer: buffer)) } catch {
            throw Problem(status: .badRequest, detail: "ข้อมูลไม่อยู่ในรูปแบบที่ถูกต้อง")
        }
    }
}
