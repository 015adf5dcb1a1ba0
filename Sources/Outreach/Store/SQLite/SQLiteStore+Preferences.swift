extension SQLiteStore {
    @discardableResult
    public func setContactPreferences(
        contactID: Int64, locale: String?, preferredChannel: ChannelPreference?, consent: Consent
    ) throws -> [String] {
        try write { db in
            guard
                let (oldLocale, oldChannel) = try db.prepare(
                    "SELECT locale, preferred_channel FROM contacts WHERE id = ?"
                ).rows([.integer(contactID)], { ($0.optionalText(0), $0.optionalText(1)) }).first
            else { throw StoreError.unknownContact(String(contactID)) }
            let now = WallClock.nowMillis()
            let log = try db.prepare(
                """
                INSERT INTO preference_log(contact_id, field, value, from_value, source, evidence, at)
                VALUES(?,?,?,?,?,?,?)
                """)
            var changed: [String] = []
            for (field, new, old) in [
                ("locale", locale, oldLocale), ("preferred_channel", preferredChannel?.rawValue, oldChannel),
            ] {
                guard let new, new != old else { continue }
                try db.prepare("UPDATE contacts SET \(field) = ?, updated_at = ? WHERE id = ?")
                    .run([.text(new), .integer(now), .integer(contactID)])
                try log.run([
                    .integer(contactID), .text(field), .text(new), SQLiteValue(old), .text(consent.source),
                    SQLiteValue(consent.evidence), .integer(now),
                ])
                changed.append(field)
            }
            return changed
        }
    }

    /// The contact's logged preference changes, oldest first, as `export` shows them.
    static func preferenceExport(_ db: SQLiteDatabase, contactID: Int64) throws -> [JSON] {
        try db.prepare(
            "SELECT field, value, from_value, source, evidence, at FROM preference_log WHERE contact_id = ? ORDER BY id"
        ).rows([.integer(contactID)]) { s -> JSON in
            var o: [String: JSON] = [
                "field": .string(s.text(0)), "source": .string(s.text(3)), "at": .string(WallClock.rfc3339(s.int(5))),
            ]
            if let v = s.optionalText(1) { o["value"] = .string(v) }
            if let f = s.optionalText(2) { o["from"] = .string(f) }
            if let e = s.optionalText(4) { o["evidence"] = .string(e) }
            return .object(o)
        }
    }
}
