/// A day of the week, with its RFC 5545 two-letter code.
public enum Weekday: String, Sendable, Hashable, CaseIterable {
    case monday = "MO", tuesday = "TU", wednesday = "WE", thursday = "TH", friday = "FR", saturday = "SA", sunday = "SU"

    /// Monday first, as ISO 8601 counts.
    static let all: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday, .sunday]

    /// 0 for Monday … 6 for Sunday.
    var isoIndex: Int { Weekday.all.firstIndex(of: self)! }

    /// English name, for error messages.
    var name: String {
        switch self {
        case .monday: "Monday"
        case .tuesday: "Tuesday"
        case .wednesday: "Wednesday"
        case .thursday: "Thursday"
        case .friday: "Friday"
        case .saturday: "Saturday"
        case .sunday: "Sunday"
        }
    }
}
