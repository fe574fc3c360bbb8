/// Events that the identity service publishes on `kpi.identity.v1`.

/// What kind of unit. Units form a tree: the nation (สพฐ., code 0), the area offices
/// (สำนักงานเขตพื้นที่การศึกษา, kind `district`), and in each area its schools and other units.
public enum UnitKind: String, Codable, Sendable, CaseIterable {
    case school, district, other, nation
}

/// An event that carries a unit's whole state (created and updated alike), so projections
/// keep units with one handler for both.
public protocol UnitStateEvent: DomainEvent {
    var code: Int { get }
    var nameTh: String { get }
    var kind: UnitKind { get }
    /// The area office the unit belongs to (an area office's is its own code); nil for the
    /// nation, and in events written before units had areas.
    var areaCode: Int? { get }
    var active: Bool { get }
    var version: Int { get }
}

extension UnitStateEvent {
    /// The area figures roll up to: the unit's area office, or the nation (0).
    public var rollupArea: Int { areaCode ?? 0 }
}

/// A unit was added (at first start from the seed list, or by an administrator).
public struct UnitCreatedV1: UnitStateEvent, Equatable {
    public static let eventType = "th.kpi.identity.unit.created.v1"
    public static let topic = Topics.identity

    public var code: Int
    public var nameTh: String
    public var kind: UnitKind
    public var areaCode: Int?
    public var active: Bool
    /// Increases by one with every change of the unit; projections keep the newest.
    public var version: Int

    public init(code: Int, nameTh: String, kind: UnitKind, areaCode: Int?, active: Bool, version: Int) {
        self.code = code; self.nameTh = nameTh; self.kind = kind; self.areaCode = areaCode; self.active = active; self.version = version
    }

    public var aggregateId: String { "unit-\(code)" }
}

/// A unit was renamed, re-kinded, moved to an area, deactivated or reactivated. Carries the
/// whole new state.
public struct UnitUpdatedV1: UnitStateEvent, Equatable {
    public static let eventType = "th.kpi.identity.unit.updated.v1"
    public static let topic = Topics.identity

    public var code: Int
    public var nameTh: String
    public var kind: UnitKind
    public var areaCode: Int?
    public var active: Bool
    public var version: Int

    public init(code: Int, nameTh: String, kind: UnitKind, areaCode: Int?, active: Bool, version: Int) {
        self.code = code; self.nameTh = nameTh; self.kind = kind; self.areaCode = areaCode; self.active = active; self.version = version
    }

    public var aggregateId: String { "unit-\(code)" }
}
