import Foundation

extension TemplateComposer {
    /// For an event message, replaces `event` in the context with what the template sees for this
    /// recipient (`EventMessageInfo.templateValue`): written in `locale`, the variant's, told by the
    /// place's clock or (online) by theirs, their zone being their contact's.
    func addEvent(_ c: ClaimedDelivery, locale: String?, to o: inout [String: JSON]) {
        guard let info = EventMessageInfo(c.message.data), let occurrence = Self.occurrence(info, c) else { return }
        let zone = (c.delivery.timeZone ?? c.contact?.timeZone).flatMap(TimeZone.init(identifier:))
        o["event"] = info.templateValue(
            occurrence, locale: locale, readerZone: zone, defaultLocale: config.defaultLocale,
            asOf: Date(timeIntervalSince1970: Double(c.delivery.createdAt) / 1000))
    }

    /// The occurrence a message is about: a cancelled occurrence or a reminder's own, else the next
    /// one still to end.
    static func occurrence(_ info: EventMessageInfo, _ c: ClaimedDelivery) -> EventOccurrence? {
        if let cancelled = info.cancelledOccurrence { return info.schedule.instance(at: cancelled) }
        let created = Date(timeIntervalSince1970: Double(c.delivery.createdAt) / 1000)
        if let index = info.occurrence {
            return info.schedule.occurrences(endingAfter: created).first { $0.index == index }
                ?? info.schedule.occurrences().first { $0.index == index }
        }
        return info.schedule.occurrences(endingAfter: created).first ?? info.schedule.occurrences().first
    }

    /// The iCalendar part of an invitation, update (`METHOD:REQUEST`) or cancellation (`METHOD:CANCEL`,
    /// with `RECURRENCE-ID` when it is about one occurrence) to one email recipient; nil for other messages.
    func calendarPart(_ c: ClaimedDelivery, locale: String?) -> CalendarPart? {
        guard let info = EventMessageInfo(c.message.data), info.role != .reminder,
            let organizer = CalendarAddress(parsing: config.senderFrom)
        else { return nil }
        let method: CalendarInvitation.Method = info.role == .cancellation ? .cancel : .request
        let invitation = CalendarInvitation(
            method: method, uid: info.uid, sequence: info.sequence,
            stamp: Date(timeIntervalSince1970: Double(c.delivery.createdAt) / 1000), schedule: info.schedule,
            summary: info.titles.text(for: locale), location: info.location, organizer: organizer,
            attendees: [CalendarAddress(email: c.delivery.address, name: c.delivery.name ?? c.contact?.name)],
            recurrenceID: info.cancelledOccurrence)
        return CalendarPart(method: method.rawValue, ics: invitation.ics)
    }
}
