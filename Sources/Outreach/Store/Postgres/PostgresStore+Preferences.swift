extension PostgresStore {
    @discardableResult
    public func setListPublic(named name: String, isPublic: Bool) throws -> MailingList {
        try write { db in
            let changed = try db.query(
                "UPDATE lists SET is_public = $1 WHERE name = $2", [.boolean(isPublic), .text(name)]
            ).affected
            guard changed == 1, let l = try Self.readList(db, name: name) else { throw StoreError.unknownList(name) }
            return l
        }
    }

    @discardableResult
    public func setContactPreferences(
        contactID: Int64, locale: String?, preferredChannel: ChannelPreference?, consent: Consent
    ) throws -> [String] {
        try write { db in
            guard
                let (oldLocale, oldChannel) = try db.rows(
                    "SELECT locale, preferred_channel FROM contacts WHERE id = $1 FOR UPDATE", [.integer(contactID)],
                    { ($0.optionalText(0), $0.optionalText(1)) }
                ).first
            else { throw StoreError.unknownContact(String(contactID)) }
            let now = WallClock.nowMillis()
            var changed: [String] = []
            for (field, new, old) in [
                ("locale", locale, oldLocale), ("preferred_channel", preferredChannel?.rawValue, oldChannel),
            ] {
                guard let new, new != old else { continue }
                try db.query(
                    "UPDATE contacts SET \(field) = $1, updated_at = $2 WHERE id = $3",
                    [.text(new), .integer(now), .integer(contactID)])
                try db.query(
                    """
                    INSERT INTO preference_log(contact_id, field, value, from_value, source, evidence, at)
                    VALUES($1, $2, $3, $4, $5, $6, $7)
                    """,
                    [
                        .integer(contactID), .text(field), .text(new), PostgresValue(old), .text(consent.source),
                        PostgresValue(consent.evidence), .integer(now),
                    ])
                changed.append(field)
            }
            return changed
        }
    }

    /// The contact's logged preference changes, oldest first, as `export` shows them.
    static func preferenceExport(_ db: PostgresConnection, contactID: Int64) throws -> [JSON] {
        try db.rows(
            """
            SELECT field, value, from_value, source, evidence, at FROM preference_log
            WHERE contact_id = $1 ORDER BY id
            """, [.integer(contactID)]
        ) { r -> JSON in
            var o: [String: JSON] = [
                "field": .string(r.text(0)), "source": .string(r.text(3)),
                "at": .string(WallClock.rfc3339(try r.int(5))),
            ]
            if let v = r.optionalText(1) { o["value"] = .string(v) }
            if let f = r.optionalText(2) { o["from"] = .string(f) }
            if let e = r.optionalText(4) { o["evidence"] = .string(e) }
            return .object(o)
        }
    }
}
