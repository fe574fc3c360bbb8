import Foundation

/// What the statistics service answers and the gateway shows: one definition for both.

/// One round's counters on the indicator list (M6, B1): "[sent/reviewed/assigned] --- [self
/// average, review average]", and how many were sent on time and late.
public struct RoundFigures: Codable, Sendable, Equatable {
    public var indicatorId: UUID
    public var seq: Int
    public var assigned: Int
    public var sent: Int
    public var reviewed: Int
    public var onTime: Int
    public var late: Int
    public var selfAverage: Double?
    public var reviewAverage: Double?

    public init(indicatorId: UUID, seq: Int, assigned: Int, sent: Int, reviewed: Int, onTime: Int, late: Int,
                selfAverage: Double?, reviewAverage: Double?) {
        self.indicatorId = indicatorId; self.seq = seq; self.assigned = assigned; self.sent = sent; self.reviewed = reviewed
        self.onTime = onTime; self.late = late; self.selfAverage = selfAverage; self.reviewAverage = reviewAverage
    }

    /// As the manual writes it: "[2/2/32] --- [3.5, 3]" ("-" for an average of nothing).
    public var counters: String {
        "[\(sent)/\(reviewed)/\(assigned)] --- [\(Self.average(selfAverage)), \(Self.average(reviewAverage))]"
    }

    /// An average as the manual shows it: at most two decimals, no trailing zeros.
    public static func average(_ value: Double?) -> String {
        guard let value else { return "-" }
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%g", rounded)
    }
}

/// An indicator's criteria levels (เกณฑ์): "[2] --> [3] --> [4] --> [5]" is 2, 3, 4, 5; a score
/// reaches the highest level not above it. Results are coloured by the level reached (B6).
public struct CriteriaLevels: Codable, Sendable, Equatable {
    public var levels: [Double]

    public init(_ levels: [Double]) { self.levels = levels }

    /// The numbers of the criteria text, in order, as long as they rise (text around them, such
    /// as "ระดับ" or "ร้อยละ", is ignored).
    public init(parsing text: String) {
        var found: [Double] = [], current = ""
        for ch in text + " " {
            if ch.isASCII && (ch.isNumber || (ch == "." && !current.isEmpty && !current.contains("."))) { current.append(ch); continue }
            if let v = Double(current.hasSuffix(".") ? String(current.dropLast()) : current), found.last.map({ v > $0 }) ?? true { found.append(v) }
            current = ""
        }
        levels = found
    }

    /// The index (0-based) of the highest level `score` reaches, nil below the first or without levels.
    public func reached(_ score: Double) -> Int? {
        levels.lastIndex { score >= $0 }
    }

    /// A colour band for `score`: "band-0" below the first level, up to "band-4" at the last, so
    /// that any number of levels maps onto five colours.
    public func band(_ score: Double) -> String {
        guard !levels.isEmpty else { return "band-none" }
        guard let i = reached(score) else { return "band-0" }
        if levels.count == 1 { return "band-4" }
        return "band-\(1 + Int((Double(i) / Double(levels.count - 1) * 3).rounded()))"
    }
}

/// The all-rounds matrix of one indicator (M11): units × rounds, a page of units at a time.
public struct Matrix: Codable, Sendable, Equatable {
    public struct Indicator: Codable, Sendable, Equatable {
        public var id: UUID, yearBE: Int, areaCode: Int, number: String, nameTh: String, typeNameTh: String, criteria: String
        public var levels: [Double]
        public init(id: UUID, yearBE: Int, areaCode: Int, number: String, nameTh: String, typeNameTh: String, criteria: String, levels: [Double]) {
            self.id = id; self.yearBE = yearBE; self.areaCode = areaCode; self.number = number; self.nameTh = nameTh
            self.typeNameTh = typeNameTh; self.criteria = criteria; self.levels = levels
        }
    }
    public struct Round: Codable, Sendable, Equatable {
        public var seq: Int, labelTh: String, dueOn: String?
        public init(seq: Int, labelTh: String, dueOn: String?) { self.seq = seq; self.labelTh = labelTh; self.dueOn = dueOn }
    }
    /// One unit's report in one round. `state`: nil (nothing sent: "รอส่ง"), draft, returned,
    /// waiting ("รอตรวจ") or reviewed. People are named by user id; the gateway adds names.
    public struct Cell: Codable, Sendable, Equatable {
        public var seq: Int
        public var assigned: Bool
        public var state: String?
        public var selfScore: Double?
        public var reviewScore: Double?
        public var late: Bool
        public var reporter: String?
        public var reviewer: String?
        public var confirmedAt: Date?
        public var reviewedAt: Date?
        public init(seq: Int, assigned: Bool, state: String?, selfScore: Double?, reviewScore: Double?, late: Bool, reporter: String?,
                    reviewer: String?, confirmedAt: Date?, reviewedAt: Date?) {
            self.seq = seq; self.assigned = assigned; self.state = state; self.selfScore = selfScore; self.reviewScore = reviewScore
            self.late = late; self.reporter = reporter; self.reviewer = reviewer; self.confirmedAt = confirmedAt; self.reviewedAt = reviewedAt
        }
    }
    public struct Row: Codable, Sendable, Equatable {
        public var unitCode: Int, unitNameTh: String, cells: [Cell]
        public init(unitCode: Int, unitNameTh: String, cells: [Cell]) { self.unitCode = unitCode; self.unitNameTh = unitNameTh; self.cells = cells }
    }

    public var indicator: Indicator
    public var rounds: [Round]
    public var rows: [Row]
    /// Units in the whole matrix; `rows` holds those from `offset`, at most `pageSize`.
    public var total: Int
    public var offset: Int
    public var pageSize: Int

    public init(indicator: Indicator, rounds: [Round], rows: [Row], total: Int, offset: Int, pageSize: Int) {
        self.indicator = indicator; self.rounds = rounds; self.rows = rows; self.total = total; self.offset = offset; self.pageSize = pageSize
    }
}

/// The annual summary "สรุปรายงานผล (รายปี)" (M19, M21) of one area office (its indicators and
/// units) or of the nation (its areas): what was due, sent, reviewed and what remains
/// ("ผลรวม ผลคงเหลือ"), and each unit's weighted result.
///
/// A unit's result on an indicator is the average of its review scores over the reviewed
/// rounds, put on the 1–5 scale by the indicator type's range (a percentage of 75 is 4); the
/// unit's weighted result is Σ weight × result / Σ weight over the indicators with a result.
public struct AnnualSummary: Codable, Sendable, Equatable {
    /// Report slots: assigned to a unit, sent (confirmed, waiting or reviewed), reviewed, sent
    /// late, and what remains: assigned and not sent, of which `overdue` past the due date.
    public struct Totals: Codable, Sendable, Equatable {
        public var assigned: Int, sent: Int, reviewed: Int, late: Int, missing: Int, overdue: Int
        public init(assigned: Int, sent: Int, reviewed: Int, late: Int, missing: Int, overdue: Int) {
            self.assigned = assigned; self.sent = sent; self.reviewed = reviewed; self.late = late; self.missing = missing; self.overdue = overdue
        }
        /// Share of the assigned slots sent, 0–100 (nil with nothing assigned).
        public var sentPercent: Double? { assigned == 0 ? nil : Double(min(sent, assigned)) * 100 / Double(assigned) }
    }
    public struct IndicatorLine: Codable, Sendable, Equatable {
        public var id: UUID, number: String, nameTh: String, typeNameTh: String, weight: Double, criteria: String, levels: [Double]
        public var totals: Totals
        public var selfAverage: Double?, reviewAverage: Double?
        public init(id: UUID, number: String, nameTh: String, typeNameTh: String, weight: Double, criteria: String, levels: [Double],
                    totals: Totals, selfAverage: Double?, reviewAverage: Double?) {
            self.id = id; self.number = number; self.nameTh = nameTh; self.typeNameTh = typeNameTh; self.weight = weight; self.criteria = criteria
            self.levels = levels; self.totals = totals; self.selfAverage = selfAverage; self.reviewAverage = reviewAverage
        }
    }
    public struct UnitLine: Codable, Sendable, Equatable {
        public var unitCode: Int, nameTh: String
        public var totals: Totals
        /// The weighted result on the 1–5 scale (nil: nothing reviewed yet).
        public var result: Double?
        public init(unitCode: Int, nameTh: String, totals: Totals, result: Double?) {
            self.unitCode = unitCode; self.nameTh = nameTh; self.totals = totals; self.result = result
        }
        /// Behind: something assigned is still not sent after its due date.
        public var behind: Bool { totals.overdue > 0 }
    }
    public struct AreaLine: Codable, Sendable, Equatable {
        public var areaCode: Int, nameTh: String, units: Int
        public var totals: Totals
        /// The weighted result of all its units' results together, on the 1–5 scale.
        public var result: Double?
        public init(areaCode: Int, nameTh: String, units: Int, totals: Totals, result: Double?) {
            self.areaCode = areaCode; self.nameTh = nameTh; self.units = units; self.totals = totals; self.result = result
        }
    }

    public var yearBE: Int
    /// nil: the nation, compared by area.
    public var areaCode: Int?
    public var areaNameTh: String
    public var totals: Totals
    /// The weighted result of every unit's results together, on the 1–5 scale.
    public var result: Double?
    public var indicators: [IndicatorLine]
    /// A page of the units (`unitsPage` from `unitsOffset`, of `unitsTotal`; all of them when
    /// asked for `units=all`), the units behind only when asked for `behind=1`.
    public var units: [UnitLine]
    public var areas: [AreaLine]
    public var unitsTotal: Int?
    public var unitsOffset: Int?
    /// How many units are behind (overdue), whatever the page.
    public var behindTotal: Int?

    /// Units per page: an area office with thousands of units still gives a page a phone opens.
    public static let unitsPage = 200

    public init(yearBE: Int, areaCode: Int?, areaNameTh: String = "", totals: Totals, result: Double?, indicators: [IndicatorLine], units: [UnitLine],
                areas: [AreaLine], unitsTotal: Int? = nil, unitsOffset: Int? = nil, behindTotal: Int? = nil) {
        self.yearBE = yearBE; self.areaCode = areaCode; self.areaNameTh = areaNameTh; self.totals = totals; self.result = result; self.indicators = indicators
        self.units = units; self.areas = areas; self.unitsTotal = unitsTotal; self.unitsOffset = unitsOffset; self.behindTotal = behindTotal
    }

    /// The 1–5 scale's levels, for colouring weighted results (the manual's "[2] --> [3] --> [4] --> [5]").
    public static let resultLevels = CriteriaLevels([2, 3, 4, 5])

    /// `score` of a type scored from `min` to `max`, on the 1–5 scale.
    public static func onFivePointScale(_ score: Double, min: Double?, max: Double?) -> Double {
        guard let min, let max, max > min else { return score }
        return 1 + 4 * (score - min) / (max - min)
    }

    /// Σ weight × result / Σ weight over the (weight, result) pairs; nil for none.
    public static func weighted(_ results: [(weight: Double, result: Double)]) -> Double? {
        let total = results.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return nil }
        return results.reduce(0) { $0 + $1.weight * $1.result } / total
    }
}

/// What the annual summary takes into account: indicators whose D1–D4 contain the given text
/// and of the given workgroup.
public struct SummaryFilter: Codable, Sendable, Equatable {
    public var d1: String, d2: String, d3: String, d4: String
    public var workgroup: Int?
    public init(d1: String = "", d2: String = "", d3: String = "", d4: String = "", workgroup: Int? = nil) {
        self.d1 = d1; self.d2 = d2; self.d3 = d3; self.d4 = d4; self.workgroup = workgroup
    }
}

/// What a signed-in person should act on now (B3), shown on their home page: their unit's
/// rounds that are open and not sent, due within two weeks or already overdue, and the reports
/// returned to it for revision; for reviewers, how many reports of their indicators wait.
public struct Reminders: Codable, Sendable, Equatable {
    public struct Due: Codable, Sendable, Equatable {
        public var indicatorId: UUID, seq: Int, number: String, nameTh: String, roundLabelTh: String, dueOn: String?
        public var overdue: Bool, returned: Bool
        public init(indicatorId: UUID, seq: Int, number: String, nameTh: String, roundLabelTh: String, dueOn: String?, overdue: Bool, returned: Bool) {
            self.indicatorId = indicatorId; self.seq = seq; self.number = number; self.nameTh = nameTh; self.roundLabelTh = roundLabelTh
            self.dueOn = dueOn; self.overdue = overdue; self.returned = returned
        }
    }
    public var toSend: [Due]
    /// nil for someone without the review right.
    public var waitingForReview: Int?
    public init(toSend: [Due], waitingForReview: Int?) { self.toSend = toSend; self.waitingForReview = waitingForReview }

    /// How many days ahead a due date makes a round a reminder.
    public static let aheadDays = 14
}

/// B9: which areas' figures changed since a time (statistics' `/public/changes`).
public struct FigureChanges: Codable, Sendable, Equatable {
    /// How far before `since` a reader asks again (a change stamped before a slower commit).
    public static let overlapMicros: Int64 = 5_000_000

    public struct Change: Codable, Sendable, Equatable, Hashable {
        public var areaCode: Int, yearBE: Int
        /// Microseconds since 1970.
        public var at: Int64
        public init(areaCode: Int, yearBE: Int, at: Int64) { self.areaCode = areaCode; self.yearBE = yearBE; self.at = at }
    }
    /// The database's time of the answer: the `since` of the next question.
    public var now: Int64
    public var changes: [Change]
    public init(now: Int64, changes: [Change]) { self.now = now; self.changes = changes }
}

/// B3: a person's notices as identity answers `GET /notices`: the latest 50, newest first.
public struct NoticeList: Codable, Sendable, Equatable {
    /// One thing a notice tells (the fields of statistics' `ReminderItemV1`).
    public struct Item: Codable, Sendable, Equatable {
        /// "due_soon", "overdue", "returned" or "waiting".
        public var kind: String
        public var indicatorId: UUID?
        public var seq: Int?
        public var number: String
        public var nameTh: String
        public var roundLabelTh: String
        public var dueOn: String?
        public var count: Int?
        public init(kind: String, indicatorId: UUID?, seq: Int?, number: String, nameTh: String, roundLabelTh: String, dueOn: String?,
                    count: Int?) {
            self.kind = kind; self.indicatorId = indicatorId; self.seq = seq; self.number = number; self.nameTh = nameTh
            self.roundLabelTh = roundLabelTh; self.dueOn = dueOn; self.count = count
        }
    }
    public struct Notice: Codable, Sendable, Equatable {
        public var id: UUID
        public var yearBE: Int
        /// "reporters" or "reviewers".
        public var audience: String
        public var items: [Item]
        public var createdAt: Date
        public var read: Bool
        public init(id: UUID, yearBE: Int, audience: String, items: [Item], createdAt: Date, read: Bool) {
            self.id = id; self.yearBE = yearBE; self.audience = audience; self.items = items; self.createdAt = createdAt; self.read = read
        }
    }
    public var unread: Int
    public var notices: [Notice]
    public init(unread: Int, notices: [Notice]) { self.unread = unread; self.notices = notices }
}
