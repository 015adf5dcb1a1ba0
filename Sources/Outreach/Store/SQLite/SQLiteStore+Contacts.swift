import Foundation

extension SQLiteStore {
    static let contactColumns = "id, email, phone, name, locale, timezone, attributes, preferred_channel"

    static func readContact(_ s: SQLiteStatement, offset: Int32 = 0) -> Contact {
        var attrs: [String: String] = [:]
        if case .object(let o)? = try? JSON.parse(s.text(offset + 6)) {
            for (k, v) in o { if case .string(let sv) = v { attrs[k] = sv } }
        }
        return Contact(
            id: s.int(offset), email: s.optionalText(offset + 1), phone: s.optionalText(offset + 2),
            name: s.optionalText(offset + 3), locale: s.optionalText(offset + 4),
            timeZone: s.optionalText(offset + 5), attributes: attrs,
            preferredChannel: s.optionalText(offset + 7).flatMap(ChannelPreference.init))
    }

    public func upsertContacts(_ contacts: [Contact]) throws -> ImportCounts {
        try write { db in try Self.upsert(contacts.map(ContactRow.init), db: db) }
    }

    static func upsert(_ rows: [ContactRow], db: SQLiteDatabase) throws -> ImportCounts {
        var counts = ImportCounts()
        let now = WallClock.nowMillis()
        let byEmail = try db.prepare("SELECT \(contactColumns) FROM contacts WHERE email = ?")
        let byPhone = try db.prepare("SELECT \(contactColumns) FROM contacts WHERE phone = ?")
        let insert = try db.prepare(
            "INSERT INTO contacts(email, phone, name, locale, timezone, attributes, created_at, updated_at, preferred_channel) VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING"
        )
        let erased = try db.prepare("SELECT 1 FROM suppressions WHERE address = ?")
        let anyErased = try anyErased(db)
        let update = try db.prepare(
            "UPDATE contacts SET email=?, phone=?, name=?, locale=?, timezone=?, attributes=?, updated_at=?, preferred_channel=? WHERE id=?"
        )
        for row in rows {
            // Most rows of an import are new: try the insert first, look up only on a conflict.
            try insert.bind(1, row.contact.email)
            try insert.bind(2, row.contact.phone)
            try insert.bind(3, row.contact.name)
            try insert.bind(4, row.contact.locale)
            try insert.bind(5, row.contact.timeZone)
            try insert.bind(6, row.attributesJSON)
            try insert.bind(7, now)
            try insert.bind(8, now)
            try insert.bind(9, row.contact.preferredChannel?.rawValue)
            try insert.runBound()
            if db.changes > 0 {
                let id = db.lastInsertRowID
                counts.inserted += 1
                counts.ids.append(id)
                if counts.firstInsertedID == nil { counts.firstInsertedID = id }
                counts.lastInsertedID = id
                // Someone erased and imported again stays unreachable: their hash becomes a plain entry.
                if anyErased {
                    for a in [row.contact.email, row.contact.phone].compactMap({ $0 })
                    where try erased.rows([.text(erasedKey(a))], { _ in 1 }).first != nil {
                        try suppress(db, address: a, reason: .erased, detail: "imported again after erasure")
                    }
                }
                continue
            }
            let c = row.contact
            var existing: Contact?
            if let e = c.email { existing = try byEmail.rows([.text(e)]) { readContact($0) }.first }
            if existing == nil, let p = c.phone { existing = try byPhone.rows([.text(p)]) { readContact($0) }.first }
            guard var old = existing else { continue }
            let before = old
            old.email = c.email ?? old.email
            old.phone = c.phone ?? old.phone
            old.name = c.name ?? old.name
            old.locale = c.locale ?? old.locale
            old.timeZone = c.timeZone ?? old.timeZone
            old.preferredChannel = c.preferredChannel ?? old.preferredChannel
            old.attributes.merge(row.attributes) { $1 }
            if old == before {
                counts.unchanged += 1
            } else {
                try update.run([
                    SQLiteValue(old.email), SQLiteValue(old.phone), SQLiteValue(old.name), SQLiteValue(old.locale),
                    SQLiteValue(old.timeZone), .text(old.attributesJSON), .integer(now),
                    SQLiteValue(old.preferredChannel?.rawValue), .integer(old.id!),
                ])
                counts.updated += 1
            }
            counts.ids.append(old.id!)
            counts.existingIDs.append(old.id!)
        }
        return counts
    }

    /// Finds a contact by id, email (case-insensitive) or phone.
    public func contact(matching key: String) throws -> Contact? {
        try with { db in
            if let id = Int64(key), !key.hasPrefix("+") {
                if let c = try db.prepare("SELECT \(Self.contactColumns) FROM contacts WHERE id = ?").rows(
                    [.integer(id)], { Self.readContact($0) }
                ).first {
                    return c
                }
            }
            if key.contains("@") {
                return try db.prepare("SELECT \(Self.contactColumns) FROM contacts WHERE email = ?").rows([
                    .text(key.lowercased())
                ]) { Self.readContact($0) }.first
            }
            return try db.prepare("SELECT \(Self.contactColumns) FROM contacts WHERE phone = ?").rows([.text(key)]) {
                Self.readContact($0)
            }.first
        }
    }

    /// Every attribute name, by a walk of the contacts on the reading connection (the writer goes on).
    public func attributeKeys() throws -> [String] {
        try reading { db in
            try db.prepare(
                "SELECT DISTINCT j.key FROM contacts c, json_each(c.attributes) j WHERE c.attributes <> '{}' ORDER BY 1"
            ).rows([]) { $0.text(0) }
        }
    }

    public func contacts(inList list: String?, limit: Int?) throws -> [Contact] {
        try with { db in
            let lim = Int64(limit ?? Int(Int32.max))
            if let list {
                guard try db.prepare("SELECT 1 FROM lists WHERE name = ?").rows([.text(list)], { _ in 1 }).first != nil
                else {
                    throw StoreError.unknownList(list)
                }
                return try db.prepare(
                    """
                    SELECT \(Self.contactColumns.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
                    FROM contacts c JOIN memberships m ON m.contact_id = c.id JOIN lists l ON l.id = m.list_id
                    WHERE l.name = ? AND m.state = 'subscribed' ORDER BY c.id LIMIT ?
                    """
                ).rows([.text(list), .integer(lim)]) { Self.readContact($0) }
            }
            return try db.prepare("SELECT \(Self.contactColumns) FROM contacts ORDER BY id LIMIT ?").rows([
                .integer(lim)
            ]) { Self.readContact($0) }
        }
    }

    /// The form an erased address is remembered in: a hash, so it can be matched but not read.
    public static func erasedKey(_ address: String) -> String {
        "sha256:" + Crypto.hex(Crypto.sha256(Array(address.lowercased().utf8)))
    }

    @discardableResult
    public func eraseContact(id: Int64) throws -> [(id: Int64, channel: String)] {
        let copies = try write { db -> [(id: Int64, channel: String)] in
            guard
                let c = try db.prepare("SELECT \(Self.contactColumns) FROM contacts WHERE id = ?").rows(
                    [.integer(id)], { Self.readContact($0) }
                ).first
            else {
                throw StoreError.unknownContact(String(id))
            }
            let now = WallClock.nowMillis()
            let addresses = [c.email, c.phone].compactMap { $0 }
            // Every pending delivery to the person: theirs as a contact, and any sent to their
            // address without naming the contact (a trigger's ad-hoc recipient).
            let cancel = try db.prepare(
                """
                UPDATE deliveries SET state = 'cancelled', cancel_reason = 'erased', updated_at = ?
                WHERE address = ? AND state IN ('queued','failed')
                """)
            for a in addresses { try cancel.run([.integer(now), .text(a)]) }
            let theirs = try db.prepare(
                "SELECT id, channel FROM deliveries WHERE contact_id = ? OR address IN (SELECT value FROM json_each(?))"
            )
            .rows([.integer(id), .text(JSON.array(addresses.map { .string($0) }).serialized)]) {
                (id: $0.int(0), channel: $0.text(1))
            }
            for address in addresses {
                try db.prepare("DELETE FROM suppressions WHERE address = ?").run([.text(address)])
                try db.prepare(
                    "INSERT OR REPLACE INTO suppressions(address, reason, detail, created_at) VALUES(?, 'erased', NULL, ?)"
                )
                .run([.text(Self.erasedKey(address)), .integer(now)])
            }
            // A transactional message sent only to them may carry them in its data (a trigger's
            // fields, a confirmation link): it goes with them.
            try db.prepare(
                """
                UPDATE messages SET data = '{}' WHERE kind = 'transactional' AND id IN (
                    SELECT message_id FROM deliveries WHERE id IN (SELECT value FROM json_each(?1)))
                  AND NOT EXISTS (SELECT 1 FROM deliveries o WHERE o.message_id = messages.id
                                  AND o.id NOT IN (SELECT value FROM json_each(?1)))
                """
            ).run([.text(JSON.array(theirs.map { JSON(Int($0.id)) }).serialized)])
            // Events about them for [hooks]: waiting ones go, queued ones lose their data.
            try Self.forgetHookEvents(db, contactID: id, addresses: addresses, now: now)
            // Deliveries keep their state for statistics, but no longer say who they were for
            // ("erased:ID": a message's deliveries are unique per channel and address).
            let forget = try db.prepare(
                """
                UPDATE deliveries SET address = 'erased:' || id, name = NULL, contact_id = NULL, last_error = NULL,
                    provider_id = NULL, cancel_reason = CASE WHEN state IN ('queued','failed') THEN 'erased' ELSE cancel_reason END,
                    state = CASE WHEN state IN ('queued','failed') THEN 'cancelled' ELSE state END
                WHERE id = ?
                """)
            for d in theirs { try forget.run([.integer(d.id)]) }
            try Self.eraseBounces(db, addresses: addresses, deliveryIDs: theirs.map(\.id))
            try db.prepare("DELETE FROM consent_log WHERE contact_id = ?").run([.integer(id)])
            try db.prepare("DELETE FROM preference_log WHERE contact_id = ?").run([.integer(id)])
            try db.prepare("DELETE FROM memberships WHERE contact_id = ?").run([.integer(id)])
            try db.prepare("DELETE FROM contacts WHERE id = ?").run([.integer(id)])
            return theirs
        }
        // `secure_delete` zeroed what was deleted, in the log; the checkpoint puts those pages
        // into the database file and empties the log, once no reader holds an older snapshot.
        try checkpointTruncating(deadlineMillis: 5_000)
        return copies
    }
}

extension SQLiteStore {
    /// Upserts contacts as `next` hands them over and subscribes them to `list`, all in one
    /// transaction; commits only if `shouldCommit` says so at the end (no bad row), else rolls back
    /// and returns nil. So an import is all or nothing even while it streams.
    public func importContacts(
        list: String?, source: String, next: () throws -> [ContactRow]?, shouldCommit: () -> Bool,
        progress: (Int) -> Void
    ) throws -> ImportCounts? {
        do {
            // Memberships reference the list looked up and contacts selected in this transaction.
            return try write(checkingReferences: false, syncing: true) { db in
                var total = ImportCounts()
                var done = 0
                while let chunk = try next() {
                    let c = try Self.upsert(chunk, db: db)
                    total.inserted += c.inserted
                    total.updated += c.updated
                    total.unchanged += c.unchanged
                    if let list {
                        total.keptUnsubscribed += try Self.subscribeImported(db, list: list, counts: c, source: source)
                    }
                    done += chunk.count
                    progress(done)
                }
                guard shouldCommit() else { throw ImportRolledBack() }
                return total
            }
        } catch is ImportRolledBack {
            return nil
        }
    }

    /// Convenience for contacts already in memory.
    public func importContacts(_ contacts: [Contact], list: String?, source: String) throws -> ImportCounts {
        var pending: [ContactRow]? = contacts.map(ContactRow.init)
        return try importContacts(
            list: list, source: source,
            next: {
                defer { pending = nil }; return pending
            },
            shouldCommit: { true }, progress: { _ in })!
    }
}

struct ImportRolledBack: Error {}

extension SQLiteStore {
    /// Subscribes what one import chunk touched. A new contact's id is above every id that existed
    /// before it, so new contacts' memberships and consent records are written by one INSERT…SELECT
    /// each; contacts that existed go through `setMembership`, which leaves a subscription alone.
    /// Returns how many existing members stayed unsubscribed.
    static func subscribeImported(_ db: SQLiteDatabase, list: String, counts c: ImportCounts, source: String) throws
        -> Int
    {
        guard
            let listID = try db.prepare("SELECT id FROM lists WHERE name = ?").rows([.text(list)], { $0.int(0) }).first
        else {
            throw StoreError.unknownList(list)
        }
        if let first = c.firstInsertedID, let last = c.lastInsertedID {
            let values: [SQLiteValue] = [
                .integer(listID), .text(source), .integer(WallClock.nowMillis()), .integer(first), .integer(last),
            ]
            try db.prepare(
                """
                INSERT INTO memberships(list_id, contact_id, state, consent_source, consent_evidence, updated_at)
                SELECT ?1, id, 'subscribed', ?2, NULL, ?3 FROM contacts WHERE id BETWEEN ?4 AND ?5
                """
            ).run(values)
            try db.prepare(
                """
                INSERT INTO consent_log(list_id, contact_id, state, source, evidence, at)
                SELECT ?1, id, 'subscribed', ?2, NULL, ?3 FROM contacts WHERE id BETWEEN ?4 AND ?5
                """
            ).run(values)
            try joinEvents(db, list: list, members: .between(first, last), now: WallClock.nowMillis())
        }
        if !c.existingIDs.isEmpty {
            return try setMembership(
                db, list: list, contactIDs: c.existingIDs, state: .subscribed,
                consent: Consent(source: source), by: .importer
            ).keptUnsubscribed.count
        }
        return 0
    }
}

extension SQLiteStore {
    /// Everything held about one contact, for `contacts export`.
    public func export(contactID: Int64) throws -> JSON {
        try with { db in
            guard
                let c = try db.prepare("SELECT \(Self.contactColumns) FROM contacts WHERE id = ?").rows(
                    [.integer(contactID)], { Self.readContact($0) }
                ).first
            else {
                throw StoreError.unknownContact(String(contactID))
            }
            let consent = try db.prepare(
                """
                SELECT l.name, g.state, g.source, g.evidence, g.at, g.from_state FROM consent_log g JOIN lists l ON l.id = g.list_id
                WHERE g.contact_id = ? ORDER BY g.id
                """
            ).rows([.integer(contactID)]) { s -> JSON in
                var o: [String: JSON] = [
                    "list": .string(s.text(0)), "state": .string(s.text(1)), "source": .string(s.text(2)),
                    "at": .string(WallClock.rfc3339(s.int(4))),
                ]
                if let e = s.optionalText(3) { o["evidence"] = .string(e) }
                if let f = s.optionalText(5) { o["from"] = .string(f) }
                return .object(o)
            }
            let memberships = try db.prepare(
                "SELECT l.name, m.state FROM memberships m JOIN lists l ON l.id = m.list_id WHERE m.contact_id = ?"
            )
            .rows([.integer(contactID)]) { JSON.object(["list": .string($0.text(0)), "state": .string($0.text(1))]) }
            let addresses = [c.email, c.phone].compactMap { $0 }
            let suppressions = try addresses.compactMap { try Self.suppressionEntry(db, address: $0)?.json }
            let deliveries = try db.prepare(
                "SELECT \(Self.deliveryColumns) FROM deliveries d WHERE d.contact_id = ? ORDER BY d.id"
            )
            .rows([.integer(contactID)], Self.readDelivery).map(\.json)
            let out: [String: JSON] = [
                "contact": c.json, "memberships": .array(memberships), "consent": .array(consent),
                "suppressions": .array(suppressions), "deliveries": .array(deliveries),
                "preferences": .array(try Self.preferenceExport(db, contactID: contactID)),
            ]
            return .object(
                out.merging(try Self.bounceExport(db, addresses: addresses, contactID: contactID)) { a, _ in a })
        }
    }
}
