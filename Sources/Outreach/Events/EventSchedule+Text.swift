extension EventSchedule {
    /// The schedule as the text values `init(start:timeZone:duration:rrule:exdates:reminders:)` reads,
    /// for storing; parsing them back gives an equal schedule.
    public var texts:
        (start: String, timeZone: String, duration: String, rrule: String?, exdates: [String], reminders: [String])
    {
        (
            "\(start)", timeZone.identifier, "\(duration)", rule?.icalendar, exceptions.map { "\($0)" },
            reminders.map(\.signed)
        )
    }
}
