/// Which part of an event definition a value came from; names the CLI option the user typed.
public enum EventField: String, Sendable, Equatable {
    case start, timeZone, duration, rrule, exdate, remind
    /// `events update --no-exdate`: an exception to drop.
    case noExdate
    /// `events cancel --occurrence`: the one occurrence to cancel.
    case occurrence

    /// The command-line option for this field, used to say where an error is.
    public var option: String {
        switch self {
        case .start: "--start"
        case .timeZone: "--tz"
        case .duration: "--duration"
        case .rrule: "--rrule"
        case .exdate: "--exdate"
        case .remind: "--remind"
        case .noExdate: "--no-exdate"
        case .occurrence: "--occurrence"
        }
    }
}

/// A bad event definition: which field and what is wrong with it.
public enum EventError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `value` given for `field` cannot be used; `reason` says what to write instead.
    case invalid(field: EventField, value: String, reason: String)

    public var field: EventField {
        switch self {
        case .invalid(let field, _, _): field
        }
    }

    public var description: String {
        switch self {
        case .invalid(let field, _, let reason): "\(field.option): \(reason)"
        }
    }
}
