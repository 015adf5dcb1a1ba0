import Foundation

extension SQLiteStore {
    static let eventColumns = """
        id, name, title, list_name, channels, start, time_zone, duration, rrule, exdates, reminders, location, uid, sequence, state,
        invitation_message_id, reminder_message_ids, created_at, updated_at, title_translations, data,
        online, prefer
        """

    static func readEvent(_ s: SQLiteStatement) throws -> Event {
        let strings = { (i: Int32) in ((try? JSON.parse(s.text(i)))?.arrayValue ?? []).compactMap(\.stringValue) }
        let channels = ((try? JSON.parse(s.text(4)))?.arrayValue ?? []).compactMap { j -> CampaignChannel? in
            guard let n = j["name"]?.stringValue,
                let a = j["address"]?.stringValue.flatMap(CampaignChannel.Address.init)
            else { return nil }
            return CampaignChannel(name: n, address: a)
        }
        let rrule = s.isNull(8) ? nil : s.text(8)
        let schedule = try EventSchedule(
            start: s.text(5), timeZone: s.text(6), duration: s.text(7), rrule: rrule,
            exdates: strings(9), reminders: strings(10))
        var e = Event(
            name: s.text(1), title: s.text(2), list: s.text(3), channels: channels, schedule: schedule,
            location: s.isNull(11) ? nil : s.text(11), uid: s.text(12))
        e.id = s.int(0)
        e.sequence = Int(s.int(13))
        e.state = Event.State(rawValue: s.text(14)) ?? .active
        e.invitationMessageID = s.optionalInt(15)
        e.reminderMessageIDs = ((try? JSON.parse(s.text(16)))?.arrayValue ?? []).compactMap {
            $0.intValue.map(Int64.init)
        }
        e.createdAt = s.int(17)
        e.updatedAt = s.int(18)
        e.titleTranslations = LocalizedTitle("", translationsJSON: try? JSON.parse(s.text(19))).translations
        e.data = (try? JSON.parse(s.text(20))).flatMap { $0.objectValue != nil ? $0 : nil } ?? .object([:])
        e.online = s.int(21) != 0
        e.prefer = ChannelPreference(rawValue: s.text(22)) ?? .email
        return e
    }

    static func eventRow(_ e: Event) -> [SQLiteValue] {
        let t = e.schedule.texts
        let channels = JSON.array(
            e.channels.map { ["name": .string($0.name), "address": .string($0.address.rawValue)] }
        ).serialized
        return [
            .text(e.title), .text(e.list), .text(channels), .text(t.start), .text(t.timeZone), .text(t.duration),
            SQLiteValue(t.rrule),
            .text(JSON.array(t.exdates.map { .string($0) }).serialized),
            .text(JSON.array(t.reminders.map { .string($0) }).serialized),
            SQLiteValue(e.location), .text(e.titles.translationsJSON.serialized), .text(e.data.serialized),
            .integer(e.online ? 1 : 0), .text(e.prefer.rawValue),
        ]
    }

    /// Stores a new event and queues its invitation (now), one delivery per subscribed member and
    /// channel, in one transaction. Its reminders are fanned out when they fall due.
    public func createEvent(_ event: Event, templates: EventTemplates = EventTemplates(), now: Int64) throws -> (
        Event, EventQueued
    ) {
        try write { db in
            if try db.prepare("SELECT 1 FROM events WHERE name = ?").rows([.text(event.name)], { _ in 1 }).first != nil
            {
                throw EventStoreError.exists(event.name)
            }
            guard
                try db.prepare("SELECT 1 FROM lists WHERE name = ?").rows([.text(event.list)], { _ in 1 }).first != nil
            else {
                throw StoreError.unknownList(event.list)
            }
            try db.prepare(
                """
                INSERT INTO events(title, list_name, channels, start, time_zone, duration, rrule, exdates, reminders, location,
                                   title_translations, data, online, prefer, name, uid, sequence, state, created_at, updated_at)
                VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,'active',?,?)
                """
            ).run(Self.eventRow(event) + [.text(event.name), .text(event.uid), .integer(now), .integer(now)])
            var e = event
            e.id = db.lastInsertRowID
            e.sequence = 0
            e.state = .active
            var out = EventQueued()
            try Self.storeInvitation(db, &e, send: true, templates: templates, now: now, into: &out)
            out.schedule(e, now: now)
            return (e, out)
        }
    }

    public func event(named name: String) throws -> Event? {
        try with { db in
            try db.prepare("SELECT \(Self.eventColumns) FROM events WHERE name = ?").rows([.text(name)], Self.readEvent)
                .first
        }
    }

    public func events() throws -> [Event] {
        try with { db in try db.prepare("SELECT \(Self.eventColumns) FROM events ORDER BY id").rows([], Self.readEvent)
        }
    }

    /// Stores a changed time or place: SEQUENCE + 1, the reminders fanned out but not yet sent that
    /// the new schedule no longer has cancelled, the update (`templates.update`, saying what
    /// changed) queued to the audience, the invitation of the new state kept for people who join
    /// later, earlier invitations and updates not yet sent superseded. `event.sequence` must be
    /// the one that was read.
    public func updateEvent(_ event: Event, templates: EventTemplates = EventTemplates(), now: Int64) throws -> (
        Event, EventQueued
    ) {
        try write { db in
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
            return (e, out)
        }
    }

    /// The event's row, written back with its changes and its new sequence.
    static func storeChanged(_ db: SQLiteDatabase, _ e: Event, now: Int64) throws {
        try db.prepare(
            """
            UPDATE events SET title=?, list_name=?, channels=?, start=?, time_zone=?, duration=?, rrule=?, exdates=?, reminders=?, location=?,
                              title_translations=?, data=?, online=?, prefer=?, sequence=?, updated_at=? WHERE id=?
            """
        ).run(Self.eventRow(e) + [.integer(Int64(e.sequence)), .integer(now), .integer(e.id!)])
    }

    /// Invitations and updates of the event still waiting to be sent (`queued`, `failed`) when
    /// `notice`, a newer update, was fanned out: each person's is cancelled (`superseded`) and
    /// their delivery of `notice` is moved to what they should get instead, so they get one
    /// message. Who waited for an update gets `notice` saying what changed since the state that
    /// update started from (a copy of `notice` with that `previous`); who waited for an invitation
    /// never had one, and gets the current invitation. Returns the deliveries superseded.
    static func supersede(
        _ db: SQLiteDatabase, _ e: Event, notice: Int64, data: JSON, template: String, now: Int64
    ) throws -> Int {
        let waiting = try db.prepare(
            """
            SELECT m.id, m.data FROM messages m
            WHERE m.event_id = ? AND m.id NOT IN (?, ?) AND json_extract(m.data, '$.event.role') IN ('invitation', 'update')
              AND EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.state IN ('queued', 'failed'))
            ORDER BY m.id
            """
        ).rows([.integer(e.id!), .integer(notice), .integer(e.invitationMessageID ?? notice)]) {
            (id: $0.int(0), data: (try? JSON.parse($0.text(1))) ?? .object([:]))
        }
        let move = try db.prepare(
            """
            UPDATE deliveries SET message_id = ?1 WHERE message_id = ?2 AND EXISTS (
                SELECT 1 FROM deliveries p WHERE p.message_id = ?3 AND p.state IN ('queued', 'failed')
                AND p.channel = deliveries.channel AND p.address = deliveries.address)
            """)
        let cancel = try db.prepare(
            """
            UPDATE deliveries SET state = 'cancelled', cancel_reason = 'superseded',
                last_error = 'superseded by a newer update', updated_at = ?1
            WHERE message_id = ?2 AND state IN ('queued', 'failed')
            """)
        var superseded = 0
        for w in waiting {
            var target = e.invitationMessageID ?? notice
            if let copy = Event.supersedingNotice(data, waiting: w.data) {
                target = try enqueue(
                    db, Message(template: template, data: copy, kind: .list, listName: e.list, eventID: e.id),
                    deliveries: [], idempotency: nil
                ).messageID
                try db.prepare("UPDATE messages SET event_id = ? WHERE id = ?").run([.integer(e.id!), .integer(target)])
            }
            try move.run([.integer(target), .integer(notice), .integer(w.id)])
            try cancel.run([.integer(now), .integer(w.id)])
            superseded += db.changes
        }
        return superseded
    }

    /// Cancels the event: SEQUENCE + 1, state cancelled, its reminders, invitations and updates not
    /// yet sent cancelled (nobody gets an invitation and its cancellation), a `METHOD:CANCEL`
    /// message queued to the audience.
    public func cancelEvent(named name: String, templates: EventTemplates = EventTemplates(), now: Int64) throws -> (
        Event, EventQueued
    ) {
        try write { db in
            guard
                var e = try db.prepare("SELECT \(Self.eventColumns) FROM events WHERE name = ?").rows(
                    [.text(name)], Self.readEvent
                ).first
            else {
                throw EventStoreError.unknown(name)
            }
            guard e.state == .active else { throw EventStoreError.cancelled(name) }
            var out = EventQueued()
            out.cancelledReminders = try Self.cancelPending(db, e, roles: [.reminder], now: now)
            out.cancelledNotices = try Self.cancelPending(db, e, roles: [.invitation, .update], now: now)
            e.sequence += 1
            e.state = .cancelled
            try db.prepare("UPDATE events SET sequence=?, state='cancelled', updated_at=? WHERE id=?")
                .run([.integer(Int64(e.sequence)), .integer(now), .integer(e.id!)])
            let (_, fan) = try Self.queueEventMessage(
                db, e, template: templates.cancellation,
                data: e.messageData(role: .cancellation, occurrence: nil), at: now, now: now)
            out.invitation = fan
            return (e, out)
        }
    }

    /// Cancels one occurrence: SEQUENCE + 1, the new exception stored, a `METHOD:CANCEL` for that
    /// occurrence queued to the audience, its reminders fanned out but not yet sent cancelled, and
    /// an invitation of the new schedule kept for people who join later (queued to nobody now).
    public func cancelOccurrence(
        _ event: Event, occurrence: LocalDateTime, templates: EventTemplates = EventTemplates(), now: Int64
    ) throws -> (Event, EventQueued) {
        try write { db in
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
            return (e, out)
        }
    }

    /// The stored event `event` was read from, after checking it is still active and nobody
    /// changed it since it was read.
    static func storedForChange(_ db: SQLiteDatabase, _ event: Event) throws -> Event {
        guard let id = event.id,
            let current = try db.prepare("SELECT \(Self.eventColumns) FROM events WHERE id = ?").rows(
                [.integer(id)], Self.readEvent
            ).first
        else {
            throw EventStoreError.unknown(event.name)
        }
        guard current.state == .active else { throw EventStoreError.cancelled(event.name) }
        guard current.sequence == event.sequence else { throw EventStoreError.changed(event.name) }
        return current
    }

    /// `event` with the message ids of the stored one (see `storedForChange`).
    static func currentForChange(_ db: SQLiteDatabase, _ event: Event) throws -> Event {
        let current = try storedForChange(db, event)
        var e = event
        e.invitationMessageID = current.invitationMessageID
        e.reminderMessageIDs = current.reminderMessageIDs
        return e
    }

    /// The invitation of the event as it now is: fanned out to the list now (`send`: a new event),
    /// or kept for people who join later and for whoever an update finds still waiting for one
    /// (after a change, which sends its own message).
    static func storeInvitation(
        _ db: SQLiteDatabase, _ e: inout Event, send: Bool, templates: EventTemplates, now: Int64,
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
            try db.prepare("UPDATE messages SET event_id = ? WHERE id = ?").run([.integer(e.id!), .integer(invitation)])
        }
        e.invitationMessageID = invitation
        try db.prepare("UPDATE events SET invitation_message_id=? WHERE id=?").run([
            .integer(invitation), .integer(e.id!),
        ])
    }

    /// Cancels the event's deliveries of the given roles that have not gone out yet
    /// (`event-changed`).
    static func cancelPending(_ db: SQLiteDatabase, _ e: Event, roles: [EventMessageRole], now: Int64) throws -> Int {
        try db.prepare(
            """
            UPDATE deliveries SET state='cancelled', cancel_reason='event-changed', last_error='event changed', updated_at=?
            WHERE state IN ('queued','failed') AND message_id IN (
                SELECT id FROM messages WHERE event_id = ?
                AND json_extract(data, '$.event.role') IN (SELECT value FROM json_each(?)))
            """
        ).run([.integer(now), .integer(e.id!), .text(JSON.array(roles.map { .string($0.rawValue) }).serialized)])
        return db.changes
    }

    /// Stores one event message and fans it out to the list's subscribed members on every channel
    /// (a room channel gets one post), not before `at`.
    /// `counting`: whether to count the members no channel reaches (once, with the invitation).
    static func queueEventMessage(
        _ db: SQLiteDatabase, _ e: Event, template: String, data: JSON, at: Int64, now: Int64, counting: Bool = true
    ) throws -> (Int64, FanOut) {
        let m = Message(template: template, data: data, kind: .list, listName: e.list, eventID: e.id)
        let mid = try enqueue(db, m, deliveries: [], idempotency: nil).messageID
        try db.prepare("UPDATE messages SET event_id = ? WHERE id = ?").run([.integer(e.id!), .integer(mid)])
        let out = try fanOut(
            db, messageID: mid, list: e.list, segment: Segment(), channels: e.channels, at: at, now: now,
            prefer: e.prefer, countUnreached: counting)
        return (mid, out)
    }
}
