import Foundation

/// Events as SQLite keeps them: the schedule as its canonical texts, the invitation and reminders
/// as list messages fanned out to the list. JSON in `messages.data` is read as `data::jsonb`.
extension PostgresStore: EventStore {
    static let eventColumns = """
        id, name, title, list_name, channels, start, time_zone, duration, rrule, exdates, reminders, location, uid,
        sequence, state, invitation_message_id, reminder_message_ids, created_at, updated_at, title_translations, data,
        online, prefer
        """

    static func readEvent(_ r: PostgresRow) throws -> Event {
        let strings = { (i: Int) in ((try? JSON.parse(r.text(i)))?.arrayValue ?? []).compactMap(\.stringValue) }
        let channels = ((try? JSON.parse(r.text(4)))?.arrayValue ?? []).compactMap { j -> CampaignChannel? in
            guard let n = j["name"]?.stringValue,
                let a = j["address"]?.stringValue.flatMap(CampaignChannel.Address.init)
            else { return nil }
            return CampaignChannel(name: n, address: a)
        }
        let schedule = try EventSchedule(
            start: r.text(5), timeZone: r.text(6), duration: r.text(7), rrule: r.optionalText(8),
            exdates: strings(9), reminders: strings(10))
        var e = Event(
            name: r.text(1), title: r.text(2), list: r.text(3), channels: channels, schedule: schedule,
            location: r.optionalText(11), uid: r.text(12))
        e.id = try r.int(0)
        e.sequence = Int(try r.int(13))
        e.state = Event.State(rawValue: r.text(14)) ?? .active
        e.invitationMessageID = try r.optionalInt(15)
        e.reminderMessageIDs = ((try? JSON.parse(r.text(16)))?.arrayValue ?? []).compactMap {
            $0.intValue.map(Int64.init)
        }
        e.createdAt = try r.int(17)
        e.updatedAt = try r.int(18)
        e.titleTranslations = LocalizedTitle("", translationsJSON: try? JSON.parse(r.text(19))).translations
        e.data = (try? JSON.parse(r.text(20))).flatMap { $0.objectValue != nil ? $0 : nil } ?? .object([:])
        e.online = try r.bool(21)
        e.prefer = ChannelPreference(rawValue: r.text(22)) ?? .email
        return e
    }

    /// $1…$13: title, list, channels, start, time zone, duration, rrule, exdates, reminders, location,
    /// title translations, data, online; $14: prefer.
    static func eventRow(_ e: Event) -> [PostgresValue] {
        let t = e.schedule.texts
        let channels = JSON.array(
            e.channels.map { ["name": .string($0.name), "address": .string($0.address.rawValue)] }
        ).serialized
        return [
            .text(e.title), .text(e.list), .text(channels), .text(t.start), .text(t.timeZone), .text(t.duration),
            PostgresValue(t.rrule), .text(JSON.array(t.exdates.map { .string($0) }).serialized),
            .text(JSON.array(t.reminders.map { .string($0) }).serialized), PostgresValue(e.location),
            .text(e.titles.translationsJSON.serialized), .text(e.data.serialized), .boolean(e.online),
            .text(e.prefer.rawValue),
        ]
    }

    static func event(_ db: PostgresConnection, where column: String, _ value: PostgresValue) throws -> Event? {
        try db.rows("SELECT \(eventColumns) FROM events WHERE \(column) = $1 FOR UPDATE", [value], readEvent).first
    }

    public func createEvent(_ event: Event, templates: EventTemplates, now: Int64) throws -> (Event, EventQueued) {
        let (e, out) = try write { db -> EventAndQueued in
            guard try Self.listID(db, event.list) != nil else { throw StoreError.unknownList(event.list) }
            guard
                let id = try db.rows(
                    """
                    INSERT INTO events(title, list_name, channels, start, time_zone, duration, rrule, exdates,
                        reminders, location, title_translations, data, online, prefer, name, uid, sequence, state,
                        created_at, updated_at)
                    VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 0, 'active', $17, $17)
                    ON CONFLICT(name) DO NOTHING RETURNING id
                    """, Self.eventRow(event) + [.text(event.name), .text(event.uid), .integer(now)], { try $0.int(0) }
                ).first
            else { throw EventStoreError.exists(event.name) }
            var e = event
            e.id = id
            e.sequence = 0
            e.state = .active
            var out = EventQueued()
            try Self.storeInvitation(db, &e, send: true, templates: templates, now: now, into: &out)
            out.schedule(e, now: now)
            return EventAndQueued(event: e, queued: out)
        }.pair
        return (e, out)
    }

    /// An event and what storing it queued (a tuple with an `Event` crosses the lock as this).
    struct EventAndQueued: Sendable {
        var event: Event
        var queued: EventQueued
        var pair: (Event, EventQueued) { (event, queued) }
    }

    public func event(named name: String) throws -> Event? {
        try with { db in
            try db.rows("SELECT \(Self.eventColumns) FROM events WHERE name = $1", [.text(name)], Self.readEvent).first
        }
    }

    public func events() throws -> [Event] {
        try with { db in try db.rows("SELECT \(Self.eventColumns) FROM events ORDER BY id", [], Self.readEvent) }
    }

    /// As SQLite's: SEQUENCE + 1, the reminders not yet sent that the new schedule no longer has
    /// cancelled, the update queued, the invitation of the new state kept for people who join
    /// later, earlier invitations and updates not yet sent superseded.
    public func updateEvent(_ event: Event, templates: EventTemplates, now: Int64) throws -> (Event, EventQueued) {
        try write { db -> EventAndQueued in
            let current = try Self.storedForChange(db, event)
            var e = event
            e.invitationMessageID = current.invitationMessageID
            e.reminderMessageIDs = current.reminderMessageIDs
            e.sequence += 1
            var out = EventQueued()
            out.cancelledReminders = try Self.cancelStaleReminders(db, &e, now: now)
            try Self.storeChanged(db, e, now: now)
            let notice = e.messageData(role: .update, occurrence: nil, previous: current)
            let (noticeID, fan) = try Self.queueEventMessage(
                db, e, template: templates.update, data: notice, at: now, now: now)
            out.invitation = fan
            try Self.storeInvitation(db, &e, send: false, templates: templates, now: now, into: &out)
            out.schedule(e, now: now)
            out.superseded = try Self.supersede(
                db, e, notice: noticeID, data: notice, template: templates.update, now: now)
            return EventAndQueued(event: e, queued: out)
        }.pair
    }

    /// The event's row, written back with its changes and its new sequence.
    static func storeChanged(_ db: PostgresConnection, _ e: Event, now: Int64) throws {
        try db.query(
            """
            UPDATE events SET title = $1, list_name = $2, channels = $3, start = $4, time_zone = $5,
                duration = $6, rrule = $7, exdates = $8, reminders = $9, location = $10,
                title_translations = $11, data = $12, online = $13, prefer = $14, sequence = $15, updated_at = $16
            WHERE id = $17
            """, Self.eventRow(e) + [.integer(Int64(e.sequence)), .integer(now), .integer(e.id!)])
    }

    /// As SQLite's `supersede`: each person's invitation or update of the event still waiting is
    /// cancelled (`superseded`) and their delivery of `notice` moved to what they should get instead.
    static func supersede(
        _ db: PostgresConnection, _ e: Event, notice: Int64, data: JSON, template: String, now: Int64
    ) throws -> Int {
        let waiting = try db.rows(
            """
            SELECT m.id, m.data FROM messages m
            WHERE m.event_id = $1 AND m.id <> ALL($2::bigint[])
              AND (m.data::jsonb -> 'event' ->> 'role') IN ('invitation', 'update')
              AND EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.state IN ('queued', 'failed'))
            ORDER BY m.id
            """, [.integer(e.id!), .bigints([notice, e.invitationMessageID ?? notice])]
        ) { (id: try $0.int(0), data: (try? JSON.parse($0.text(1))) ?? .object([:])) }
        var superseded = 0
        for w in waiting {
            var target = e.invitationMessageID ?? notice
            if let copy = Event.supersedingNotice(data, waiting: w.data) {
                target = try enqueue(
                    db, Message(template: template, data: copy, kind: .list, listName: e.list, eventID: e.id),
                    deliveries: [], idempotency: nil
                ).messageID
            }
            try db.query(
                """
                UPDATE deliveries SET message_id = $1 WHERE message_id = $2 AND EXISTS (
                    SELECT 1 FROM deliveries p WHERE p.message_id = $3 AND p.state IN ('queued', 'failed')
                    AND p.channel = deliveries.channel AND p.address = deliveries.address)
                """, [.integer(target), .integer(notice), .integer(w.id)])
            superseded += try db.query(
                """
                UPDATE deliveries SET state = 'cancelled', cancel_reason = 'superseded',
                    last_error = 'superseded by a newer update', updated_at = $1
                WHERE message_id = $2 AND state IN ('queued', 'failed')
                """, [.integer(now), .integer(w.id)]
            ).affected
        }
        return superseded
    }

    public func cancelEvent(named name: String, templates: EventTemplates, now: Int64) throws -> (Event, EventQueued) {
        try write { db -> EventAndQueued in
            guard var e = try Self.event(db, where: "name", .text(name)) else { throw EventStoreError.unknown(name) }
            guard e.state == .active else { throw EventStoreError.cancelled(name) }
            var out = EventQueued()
            out.cancelledReminders = try Self.cancelPending(db, e, roles: [.reminder], now: now)
            out.cancelledNotices = try Self.cancelPending(db, e, roles: [.invitation, .update], now: now)
            e.sequence += 1
            e.state = .cancelled
            try db.query(
                "UPDATE events SET sequence = $1, state = 'cancelled', updated_at = $2 WHERE id = $3",
                [.integer(Int64(e.sequence)), .integer(now), .integer(e.id!)])
            let (_, fan) = try Self.queueEventMessage(
                db, e, template: templates.cancellation, data: e.messageData(role: .cancellation, occurrence: nil),
                at: now, now: now)
            out.invitation = fan
            return EventAndQueued(event: e, queued: out)
        }.pair
    }

    /// As SQLite's: one occurrence cancelled — SEQUENCE + 1, the exception stored, a `METHOD:CANCEL`
    /// for it queued to the audience, its reminders not yet sent cancelled, and an
    /// invitation of the new schedule kept for people who join later (queued to nobody now).
    public func cancelOccurrence(_ event: Event, occurrence: LocalDateTime, templates: EventTemplates, now: Int64)
        throws -> (Event, EventQueued)
    {
        try write { db -> EventAndQueued in
            var e = try Self.currentForChange(db, event)
            e.sequence += 1
            var out = EventQueued()
            out.cancelledReminders = try Self.cancelStaleReminders(db, &e, now: now)
            try Self.storeChanged(db, e, now: now)
            let (_, fan) = try Self.queueEventMessage(
                db, e, template: templates.cancellation,
                data: e.messageData(role: .cancellation, occurrence: nil, cancelledOccurrence: occurrence), at: now,
                now: now)
            out.invitation = fan
            try Self.storeInvitation(db, &e, send: false, templates: templates, now: now, into: &out)
            out.schedule(e, now: now)
            return EventAndQueued(event: e, queued: out)
        }.pair
    }

    /// The stored event `event` was read from (locked), after checking it is still active and
    /// nobody changed it since it was read.
    static func storedForChange(_ db: PostgresConnection, _ event: Event) throws -> Event {
        guard let id = event.id, let current = try Self.event(db, where: "id", .integer(id)) else {
            throw EventStoreError.unknown(event.name)
        }
        guard current.state == .active else { throw EventStoreError.cancelled(event.name) }
        guard current.sequence == event.sequence else { throw EventStoreError.changed(event.name) }
        return current
    }

    /// `event` with the message ids of the stored one (see `storedForChange`).
    static func currentForChange(_ db: PostgresConnection, _ event: Event) throws -> Event {
        let current = try storedForChange(db, event)
        var e = event
        e.invitationMessageID = current.invitationMessageID
        e.reminderMessageIDs = current.reminderMessageIDs
        return e
    }

    /// The invitation of the event as it now is: fanned out to the list now (`send`: a new event),
    /// or kept for people who join later and for whoever an update finds still waiting for one.
    static func storeInvitation(
        _ db: PostgresConnection, _ e: inout Event, send: Bool, templates: EventTemplates, now: Int64,
        into out: inout EventQueued
    ) throws {
        let data = e.messageData(role: .invitation, occurrence: nil)
        let invitation: Int64
        if send {
            let (id, fan) = try queueEventMessage(db, e, template: templates.invitation, data: data, at: now, now: now)
            invitation = id
            out.invitation = fan
        } else {
            let m = Message(template: templates.invitation, data: data, kind: .list, listName: e.list, eventID: e.id)
            invitation = try Self.enqueue(db, m, deliveries: [], idempotency: nil).messageID
        }
        e.invitationMessageID = invitation
        try db.query(
            "UPDATE events SET invitation_message_id = $1 WHERE id = $2", [.integer(invitation), .integer(e.id!)])
    }

    /// Cancels the event's deliveries of the given roles that have not gone out yet (`event-changed`).
    static func cancelPending(_ db: PostgresConnection, _ e: Event, roles: [EventMessageRole], now: Int64) throws
        -> Int
    {
        try db.query(
            """
            UPDATE deliveries SET state = 'cancelled', cancel_reason = 'event-changed', last_error = 'event changed',
                updated_at = $1
            WHERE state IN ('queued', 'failed') AND message_id IN (
                SELECT id FROM messages WHERE event_id = $2 AND (data::jsonb -> 'event' ->> 'role') = ANY($3::text[]))
            """, [.integer(now), .integer(e.id!), .texts(roles.map(\.rawValue))]
        ).affected
    }

    /// Stores one event message and fans it out to the list's subscribed members on every channel.
    static func queueEventMessage(
        _ db: PostgresConnection, _ e: Event, template: String, data: JSON, at: Int64, now: Int64,
        counting: Bool = true
    ) throws -> (Int64, FanOut) {
        let m = Message(template: template, data: data, kind: .list, listName: e.list, eventID: e.id)
        let mid = try enqueue(db, m, deliveries: [], idempotency: nil).messageID
        let out = try fanOut(
            db, messageID: mid, list: e.list, segment: Segment(), channels: e.channels, at: at, now: now,
            prefer: e.prefer, countUnreached: counting)
        return (mid, out)
    }

    /// The event's current reminder messages: which reminder each is (`Event.reminderKey`), and its template.
    static func reminderMessages(_ db: PostgresConnection, _ e: Event) throws -> [(
        id: Int64, key: String, template: String
    )] {
        try db.rows(
            """
            SELECT id, (data::jsonb -> 'event' ->> 'occurrence'), (data::jsonb ->> 'reminder'), template
            FROM messages WHERE id = ANY($1::bigint[]) ORDER BY id
            """, [.bigints(e.reminderMessageIDs)]
        ) {
            (
                id: try $0.int(0), key: Event.reminderKey(occurrence: Int(try $0.int(1)), offset: $0.text(2)),
                template: $0.text(3)
            )
        }
    }

    /// As SQLite's `joinEvents`: people who just became subscribed members of `list` get its
    /// events still ahead — the current invitation now (reminders fan out to the members of their moment).
    @discardableResult
    static func joinEvents(_ db: PostgresConnection, list: String, members: MemberRange, now: Int64) throws -> Int {
        let events = try db.rows(
            "SELECT \(eventColumns) FROM events WHERE state = 'active' AND list_name = $1", [.text(list)], readEvent)
        let moment = Date(timeIntervalSince1970: Double(now) / 1000)
        var queued = 0
        for e in events where !e.schedule.occurrences(endingAfter: moment).isEmpty {
            if let invitation = e.invitationMessageID {
                queued += try requeueLeft(db, messageID: invitation, members: members, at: now, now: now)
                queued += try fanOut(
                    db, messageID: invitation, list: list, segment: Segment(), channels: e.channels, at: now, now: now,
                    only: members, prefer: e.prefer
                ).queued
            }
        }
        return queued
    }

    /// Someone who left and came back: the deliveries their leaving cancelled are queued again.
    static func requeueLeft(_ db: PostgresConnection, messageID: Int64, members: MemberRange, at: Int64, now: Int64)
        throws -> Int
    {
        guard case .ids(let ids) = members else { return 0 }  // contacts just created have never left
        return try db.query(
            """
            UPDATE deliveries SET state = 'queued', cancel_reason = NULL, last_error = NULL, next_attempt_at = $1,
                updated_at = $2
            WHERE message_id = $3 AND state = 'cancelled' AND cancel_reason IN ('unsubscribed', 'not-subscribed')
              AND contact_id = ANY($4::bigint[])
            """, [.integer(at), .integer(now), .integer(messageID), .bigints(ids)]
        ).affected
    }
}
