import Foundation

extension PostgresStore {
    static let contactColumns = "id, email, phone, name, locale, timezone, attributes, preferred_channel"

    static func readContact(_ r: PostgresRow, offset: Int = 0) throws -> Contact {
        var attrs: [String: String] = [:]
        if case .object(let o)? = try? JSON.parse(r.text(offset + 6)) {
            for (k, v) in o { if case .string(let sv) = v { attrs[k] = sv } }
        }
        return Contact(
            id: try r.int(offset), email: r.optionalText(offset + 1), phone: r.optionalText(offset + 2),
            name: r.optionalText(offset + 3), locale: r.optionalText(offset + 4),
            timeZone: r.optionalText(offset + 5), attributes: attrs,
            preferredChannel: r.optionalText(offset + 7).flatMap(ChannelPreference.init))
    }

    static func contact(_ db: PostgresConnection, where column: String, _ value: PostgresValue) throws -> Contact? {
        try db.rows("SELECT \(contactColumns) FROM contacts WHERE \(column) = $1", [value]) { try readContact($0) }
            .first
    }

    /// The contacts of these ids, by id, in one statement (absent ones left out).
    static func contacts(_ db: PostgresConnection, ids: [Int64]) throws -> [Int64: Contact] {
        guard !ids.isEmpty else { return [:] }
        let sql = "SELECT \(contactColumns) FROM contacts WHERE id = ANY($1::bigint[])"
        let found = try db.rows(sql, [.bigints(ids)]) { try readContact($0) }
        var out: [Int64: Contact] = [:]
        for c in found { if let id = c.id { out[id] = c } }
        return out
    }

    public func upsertContacts(_ contacts: [Contact]) throws -> ImportCounts {
        try write { db in try Self.upsert(contacts.map(ContactRow.init), db: db) }
    }

    /// As SQLite's: the insert first (most rows of an import are new), a lookup only on a conflict.
    /// `ON CONFLICT DO NOTHING` names no constraint, so a taken email or phone both land there.
    static func upsert(_ rows: [ContactRow], db: PostgresConnection) throws -> ImportCounts {
        var counts = ImportCounts()
        let now = WallClock.nowMillis()
        let anyErased = try anyErased(db)
        for row in rows {
            let c = row.contact
            let inserted = try db.rows(
                """
                INSERT INTO contacts(email, phone, name, locale, timezone, attributes, created_at, updated_at,
                    preferred_channel)
                VALUES($1, $2, $3, $4, $5, $6, $7, $7, $8) ON CONFLICT DO NOTHING RETURNING id
                """,
                [
                    PostgresValue(c.email), PostgresValue(c.phone), PostgresValue(c.name), PostgresValue(c.locale),
                    PostgresValue(c.timeZone), .text(row.attributesJSON), .integer(now),
                    PostgresValue(c.preferredChannel?.rawValue),
                ]
            ) { try $0.int(0) }.first
            if let id = inserted {
                counts.inserted += 1
                counts.ids.append(id)
                if counts.firstInsertedID == nil { counts.firstInsertedID = id }
                counts.lastInsertedID = id
                // Someone erased and imported again stays unreachable: their hash becomes a plain entry.
                if anyErased {
                    for a in [c.email, c.phone].compactMap({ $0 }) {
                        let hashed = try db.query(
                            "SELECT 1 FROM suppressions WHERE address = $1", [.text(SQLiteStore.erasedKey(a))])
                        if !hashed.rows.isEmpty {
                            try suppress(db, address: a, reason: .erased, detail: "imported again after erasure")
                        }
                    }
                }
                continue
            }
            var existing: Contact?
            if let e = c.email { existing = try contact(db, where: "email", .text(e)) }
            if existing == nil, let p = c.phone { existing = try contact(db, where: "phone", .text(p)) }
            guard var old = existing, let id = old.id else { continue }
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
                try db.query(
                    """
                    UPDATE contacts SET email = $1, phone = $2, name = $3, locale = $4, timezone = $5, attributes = $6,
                        updated_at = $7, preferred_channel = $9 WHERE id = $8
                    """,
                    [
                        PostgresValue(old.email), PostgresValue(old.phone), PostgresValue(old.name),
                        PostgresValue(old.locale), PostgresValue(old.timeZone), .text(old.attributesJSON),
                        .integer(now), .integer(id), PostgresValue(old.preferredChannel?.rawValue),
                    ])
                counts.updated += 1
            }
            counts.ids.append(id)
            counts.existingIDs.append(id)
        }
        return counts
    }

    public func contact(matching key: String) throws -> Contact? {
        try with { db in
            if let id = Int64(key), !key.hasPrefix("+"), let c = try Self.contact(db, where: "id", .integer(id)) {
                return c
            }
            if key.contains("@") { return try Self.contact(db, where: "email", .text(key.lowercased())) }
            return try Self.contact(db, where: "phone", .text(key))
        }
    }

    /// Every attribute name, in byte order (`COLLATE "C"`, as SQLite sorts, whatever the database's collation).
    public func attributeKeys() throws -> [String] {
        try with { db in
            try db.rows(
                """
                SELECT DISTINCT k COLLATE "C" FROM contacts c, jsonb_object_keys(c.attributes::jsonb) k
                WHERE c.attributes <> '{}' ORDER BY 1
                """
            ) { $0.text(0) }
        }
    }

    public func contacts(inList list: String?, limit: Int?) throws -> [Contact] {
        try with { db in
            let lim = Int64(limit ?? Int(Int32.max))
            guard let list else {
                return try db.rows("SELECT \(Self.contactColumns) FROM contacts ORDER BY id LIMIT $1", [.integer(lim)])
                {
                    try Self.readContact($0)
                }
            }
            guard try !db.query("SELECT 1 FROM lists WHERE name = $1", [.text(list)]).rows.isEmpty else {
                throw StoreError.unknownList(list)
            }
            return try db.rows(
                """
                SELECT c.id, c.email, c.phone, c.name, c.locale, c.timezone, c.attributes, c.preferred_channel
                FROM contacts c JOIN memberships m ON m.contact_id = c.id JOIN lists l ON l.id = m.list_id
                WHERE l.name = $1 AND m.state = 'subscribed' ORDER BY c.id LIMIT $2
                """, [.text(list), .integer(lim)]
            ) { try Self.readContact($0) }
        }
    }

    /// As SQLite's, in one transaction. What differs is the disk: PostgreSQL keeps a deleted (or
    /// updated) row's old version in its page until VACUUM removes it, and never zeroes it, where
    /// SQLite's `secure_delete` overwrites at once. Overwriting the columns before the delete
    /// would not help (an UPDATE writes a new version and leaves the old one), so after the commit
    /// the touched tables are vacuumed on a connection of their own: the old versions leave their
    /// pages, and their bytes stay only until new rows reuse the space (and in the WAL and backups
    /// until those are recycled: docs/scale-out.md). A VACUUM that fails (another node's open
    /// transaction still sees the rows, a lost connection) leaves the erase done; autovacuum
    /// removes the versions later.
    @discardableResult
    public func eraseContact(id: Int64) throws -> [(id: Int64, channel: String)] {
        let copies = try write { db -> [Copy] in
            guard let c = try Self.contact(db, where: "id", .integer(id)) else {
                throw StoreError.unknownContact(String(id))
            }
            let now = WallClock.nowMillis()
            let addresses = [c.email, c.phone].compactMap { $0 }
            try db.query(
                """
                UPDATE deliveries SET state = 'cancelled', cancel_reason = 'erased', updated_at = $1
                WHERE address = ANY($2::text[]) AND state IN ('queued', 'failed')
                """, [.integer(now), .texts(addresses)])
            let theirs = try db.rows(
                "SELECT id, channel FROM deliveries WHERE contact_id = $1 OR address = ANY($2::text[]) ORDER BY id",
                [.integer(id), .texts(addresses)]
            ) { Copy(id: try $0.int(0), channel: $0.text(1)) }
            for address in addresses {
                try db.query("DELETE FROM suppressions WHERE address = $1", [.text(address)])
                try db.query(
                    """
                    INSERT INTO suppressions(address, reason, detail, created_at) VALUES($1, 'erased', NULL, $2)
                    ON CONFLICT(address) DO UPDATE SET reason = 'erased', detail = NULL, created_at = excluded.created_at
                    """, [.text(SQLiteStore.erasedKey(address)), .integer(now)])
            }
            let ids = PostgresValue.bigints(theirs.map(\.id))
            // A transactional message sent only to them may carry them in its data: it goes with them.
            try db.query(
                """
                UPDATE messages SET data = '{}' WHERE kind = 'transactional'
                  AND id IN (SELECT message_id FROM deliveries WHERE id = ANY($1::bigint[]))
                  AND NOT EXISTS (SELECT 1 FROM deliveries o WHERE o.message_id = messages.id
                                  AND NOT (o.id = ANY($1::bigint[])))
                """, [ids])
            // Deliveries keep their state for statistics, but no longer say who they were for.
            try db.query(
                """
                UPDATE deliveries SET address = 'erased:' || id, name = NULL, contact_id = NULL, last_error = NULL,
                    provider_id = NULL,
                    cancel_reason = CASE WHEN state IN ('queued', 'failed') THEN 'erased' ELSE cancel_reason END,
                    state = CASE WHEN state IN ('queued', 'failed') THEN 'cancelled' ELSE state END
                WHERE id = ANY($1::bigint[])
                """, [ids])
            try Self.forgetHookEvents(db, contactID: id, addresses: addresses, now: now)
            try Self.eraseBounces(db, addresses: addresses, deliveryIDs: theirs.map(\.id))
            try db.query("DELETE FROM consent_log WHERE contact_id = $1", [.integer(id)])
            try db.query("DELETE FROM preference_log WHERE contact_id = $1", [.integer(id)])
            try db.query("DELETE FROM memberships WHERE contact_id = $1", [.integer(id)])
            try db.query("DELETE FROM contacts WHERE id = $1", [.integer(id)])
            return theirs
        }
        try? runApart("VACUUM \(Self.erasedTables.joined(separator: ", "))")
        return copies.map { (id: $0.id, channel: $0.channel) }
    }

    /// The tables an erase deletes or rewrites rows of: vacuumed after it.
    static let erasedTables = [
        "contacts", "memberships", "consent_log", "deliveries", "messages", "suppressions", "hook_events", "bounces",
        "bounce_scores", "suppression_removals",
    ]

    /// A delivery of an erased person (a tuple is not Sendable across the lock).
    struct Copy: Sendable {
        var id: Int64
        var channel: String
    }

    public func importContacts(
        list: String?, source: String, next: () throws -> [ContactRow]?, shouldCommit: () -> Bool,
        progress: (Int) -> Void
    ) throws -> ImportCounts? {
        do {
            return try write { db in
                var total = ImportCounts()
                var done = 0
                while let chunk = try next() {
                    let c = try Self.upsert(chunk, db: db)
                    total.inserted += c.inserted
                    total.updated += c.updated
                    total.unchanged += c.unchanged
                    total.ids += c.ids
                    total.existingIDs += c.existingIDs
                    if total.firstInsertedID == nil { total.firstInsertedID = c.firstInsertedID }
                    total.lastInsertedID = c.lastInsertedID ?? total.lastInsertedID
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

    /// Subscribes what one import chunk touched. Unlike SQLite's, new contacts are named by id,
    /// not by an id range: other nodes insert contacts at the same time, so one import's ids need
    /// not be consecutive.
    static func subscribeImported(_ db: PostgresConnection, list: String, counts c: ImportCounts, source: String)
        throws -> Int
    {
        guard let listID = try listID(db, list) else { throw StoreError.unknownList(list) }
        let existing = Set(c.existingIDs)
        let fresh = c.ids.filter { !existing.contains($0) }
        if !fresh.isEmpty {
            let values: [PostgresValue] = [
                .integer(listID), .text(source), .integer(WallClock.nowMillis()), .bigints(fresh),
            ]
            try db.query(
                """
                INSERT INTO memberships(list_id, contact_id, state, consent_source, consent_evidence, updated_at)
                SELECT $1, id, 'subscribed', $2, NULL, $3 FROM unnest($4::bigint[]) AS id
                """, values)
            try db.query(
                """
                INSERT INTO consent_log(list_id, contact_id, state, source, evidence, at)
                SELECT $1, id, 'subscribed', $2, NULL, $3 FROM unnest($4::bigint[]) AS id
                """, values)
            try joinEvents(db, list: list, members: .ids(fresh), now: WallClock.nowMillis())
        }
        if !c.existingIDs.isEmpty {
            return try setMembership(
                db, list: list, contactIDs: c.existingIDs, state: .subscribed, consent: Consent(source: source),
                by: .importer
            ).keptUnsubscribed.count
        }
        return 0
    }

    public func export(contactID: Int64) throws -> JSON {
        try with { db in
            guard let c = try Self.contact(db, where: "id", .integer(contactID)) else {
                throw StoreError.unknownContact(String(contactID))
            }
            let consent = try db.rows(
                """
                SELECT l.name, g.state, g.source, g.evidence, g.at, g.from_state
                FROM consent_log g JOIN lists l ON l.id = g.list_id WHERE g.contact_id = $1 ORDER BY g.id
                """, [.integer(contactID)]
            ) { r -> JSON in
                var o: [String: JSON] = [
                    "list": .string(r.text(0)), "state": .string(r.text(1)), "source": .string(r.text(2)),
                    "at": .string(WallClock.rfc3339(try r.int(4))),
                ]
                if let e = r.optionalText(3) { o["evidence"] = .string(e) }
                if let f = r.optionalText(5) { o["from"] = .string(f) }
                return .object(o)
            }
            let memberships = try db.rows(
                "SELECT l.name, m.state FROM memberships m JOIN lists l ON l.id = m.list_id WHERE m.contact_id = $1",
                [.integer(contactID)]
            ) { JSON.object(["list": .string($0.text(0)), "state": .string($0.text(1))]) }
            let addresses = [c.email, c.phone].compactMap { $0 }
            let suppressions = try addresses.compactMap { try Self.suppressionEntry(db, address: $0)?.json }
            let deliveries = try db.rows(
                "SELECT \(Self.deliveryColumns) FROM deliveries d WHERE d.contact_id = $1 ORDER BY d.id",
                [.integer(contactID)], Self.readDelivery
            ).map(\.json)
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
