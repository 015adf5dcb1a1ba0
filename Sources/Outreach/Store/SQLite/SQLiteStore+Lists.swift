extension SQLiteStore {
    public func createList(
        name: String, doubleOptIn: Bool, isPublic: Bool, details: ListDetails
    ) throws -> MailingList {
        try write { db in
            if try db.prepare("SELECT 1 FROM lists WHERE name = ?").rows([.text(name)], { _ in 1 }).first != nil {
                throw StoreError.listExists(name)
            }
            try db.prepare(
                """
                INSERT INTO lists(name, double_opt_in, created_at, title, title_translations, data, thank_you_url,
                    form_fields, is_public) VALUES(?,?,?,?,?,?,?,?,?)
                """
            ).run(
                [.text(name), .integer(doubleOptIn ? 1 : 0), .integer(WallClock.nowMillis())] + Self.detailsRow(details)
                    + [.integer(isPublic ? 1 : 0)]
            )
            guard let list = try Self.readList(db, name: name) else { throw StoreError.unknownList(name) }
            return list
        }
    }

    public func updateList(named name: String, details: ListDetails) throws -> MailingList {
        try write { db in
            try db.prepare(
                "UPDATE lists SET title = ?, title_translations = ?, data = ?, thank_you_url = ?, form_fields = ? WHERE name = ?"
            )
            .run(Self.detailsRow(details) + [.text(name)])
            guard db.changes == 1, let l = try Self.readList(db, name: name) else { throw StoreError.unknownList(name) }
            return l
        }
    }

    @discardableResult
    public func setListPublic(named name: String, isPublic: Bool) throws -> MailingList {
        try write { db in
            try db.prepare("UPDATE lists SET is_public = ? WHERE name = ?").run([
                .integer(isPublic ? 1 : 0), .text(name),
            ])
            guard db.changes == 1, let l = try Self.readList(db, name: name) else { throw StoreError.unknownList(name) }
            return l
        }
    }

    /// title, title_translations, data, thank_you_url, form_fields.
    static func detailsRow(_ d: ListDetails) -> [SQLiteValue] {
        [
            SQLiteValue(d.title),
            .text(LocalizedTitle("", translations: d.titleTranslations).translationsJSON.serialized),
            .text(d.data.serialized), SQLiteValue(d.thankYouURL),
            .text(JSON.array(d.formFields.map(JSON.string)).serialized),
        ]
    }

    static func readList(_ db: SQLiteDatabase, name: String) throws -> MailingList? {
        guard
            var l = try db.prepare(
                """
                SELECT id, name, double_opt_in, title, title_translations, data, thank_you_url, form_fields, is_public
                FROM lists WHERE name = ?
                """
            )
            .rows(
                [.text(name)],
                {
                    var details = Self.readListDetails($0, from: 3)
                    details.thankYouURL = $0.optionalText(6)
                    details.formFields = ListDetails.formFields(json: $0.text(7))
                    var l = MailingList(id: $0.int(0), name: $0.text(1), doubleOptIn: $0.int(2) != 0, details: details)
                    l.isPublic = $0.int(8) != 0
                    return l
                }
            )
            .first
        else { return nil }
        for (state, n) in try db.prepare("SELECT state, COUNT(*) FROM memberships WHERE list_id = ? GROUP BY state")
            .rows([.integer(l.id)], { ($0.text(0), Int($0.int(1))) })
        {
            if let s = MembershipState(rawValue: state) { l.counts[s] = n }
        }
        return l
    }

    public func list(named name: String) throws -> MailingList? {
        try with { db in try Self.readList(db, name: name) }
    }

    public func lists() throws -> [MailingList] {
        try with { db in
            let names = try db.prepare("SELECT name FROM lists ORDER BY name").rows { $0.text(0) }
            return try names.compactMap { try Self.readList(db, name: $0) }
        }
    }

    @discardableResult
    public func setMembership(
        list: String, contactIDs: [Int64], state: MembershipState, consent: Consent,
        by authority: ConsentAuthority
    ) throws -> MembershipChanges {
        try write { db in
            try Self.setMembership(
                db, list: list, contactIDs: contactIDs, state: state, consent: consent, by: authority)
        }
    }

    /// Applies `MembershipDecision` to each contact, logs every change with the state it left,
    /// and cancels at once the pending list mail of whoever left. A refusal throws, so the
    /// caller's transaction (the whole command) changes nothing.
    @discardableResult
    static func setMembership(
        _ db: SQLiteDatabase, list: String, contactIDs: [Int64], state: MembershipState,
        consent: Consent, by authority: ConsentAuthority
    ) throws -> MembershipChanges {
        guard
            let listID = try db.prepare("SELECT id FROM lists WHERE name = ?").rows([.text(list)], { $0.int(0) }).first
        else {
            throw StoreError.unknownList(list)
        }
        let now = WallClock.nowMillis()
        let current = try db.prepare("SELECT state, updated_at FROM memberships WHERE list_id = ? AND contact_id = ?")
        let upsert = try db.prepare(
            """
            INSERT INTO memberships(list_id, contact_id, state, consent_source, consent_evidence, updated_at) VALUES(?,?,?,?,?,?)
            ON CONFLICT(list_id, contact_id) DO UPDATE SET state=excluded.state, consent_source=excluded.consent_source,
            consent_evidence=excluded.consent_evidence, updated_at=excluded.updated_at, pending_fields=NULL
            """)
        let pending = try db.prepare("SELECT pending_fields FROM memberships WHERE list_id = ? AND contact_id = ?")
        let log = try db.prepare(
            "INSERT INTO consent_log(list_id, contact_id, state, source, evidence, at, from_state) VALUES(?,?,?,?,?,?,?)"
        )
        var out = MembershipChanges()
        for id in contactIDs {
            let row = try current.rows([.integer(listID), .integer(id)], { ($0.text(0), $0.int(1)) }).first
            let from = row.flatMap { MembershipState(rawValue: $0.0) }
            switch MembershipDecision.decide(current: from, changedAt: row?.1, requested: state, by: authority) {
            case .unchanged:
                out.unchanged.append(id)
                continue
            case .keptUnsubscribed:
                out.keptUnsubscribed.append(id)
                continue
            case .refused:
                throw StoreError.resubscribeRefused(list: list, contact: try contactLabel(db, id), since: row?.1 ?? now)
            case .apply:
                break
            }
            // The person's own confirmation writes what their sign-up form said (`SignUpRequest.fields`);
            // any other change drops it.
            var formValues: [String: String] = [:]
            if state == .subscribed, case .personConfirmed(let issuedAt) = authority {
                formValues = SignUpForm.confirmedValues(
                    pending: try pending.rows([.integer(listID), .integer(id)], { $0.optionalText(0) }).first ?? nil,
                    issuedAt: issuedAt)
            }
            try upsert.run([
                .integer(listID), .integer(id), .text(state.rawValue), .text(consent.source),
                SQLiteValue(consent.evidence), .integer(now),
            ])
            try fillFormFields(db, contactID: id, formValues, confirmed: true)
            try log.run([
                .integer(listID), .integer(id), .text(state.rawValue), .text(consent.source),
                SQLiteValue(consent.evidence), .integer(now), SQLiteValue(from?.rawValue),
            ])
            out.changed.append(id)
        }
        if state == .unsubscribed, !out.changed.isEmpty {
            out.cancelledDeliveries = try cancelListMail(db, list: list, contactIDs: out.changed, now: now)
        }
        if state == .subscribed, !out.changed.isEmpty {
            try joinEvents(db, list: list, members: .ids(out.changed), now: now)
        }
        return out
    }

    /// The contact's email, else phone, else id: how a refusal names them.
    static func contactLabel(_ db: SQLiteDatabase, _ id: Int64) throws -> String {
        try db.prepare("SELECT COALESCE(email, phone, CAST(id AS TEXT)) FROM contacts WHERE id = ?")
            .rows([.integer(id)], { $0.text(0) }).first ?? String(id)
    }

    public func memberships(contactID: Int64) throws -> [(
        list: String, state: MembershipState, consent: Consent, at: Int64
    )] {
        try with { db in
            try db.prepare(
                """
                SELECT l.name, m.state, m.consent_source, m.consent_evidence, m.updated_at FROM memberships m
                JOIN lists l ON l.id = m.list_id WHERE m.contact_id = ? ORDER BY l.name
                """
            ).rows([.integer(contactID)]) {
                (
                    list: $0.text(0), state: MembershipState(rawValue: $0.text(1)) ?? .pending,
                    consent: Consent(source: $0.text(2), evidence: $0.optionalText(3)), at: $0.int(4)
                )
            }
        }
    }

    public func suppress(address: String, reason: SuppressionReason, detail: String?) throws {
        _ = try write { db in try Self.suppress(db, address: address, reason: reason, detail: detail) }
    }

    /// Records the suppression and, in the same transaction, cancels every pending delivery to the
    /// address (an address belongs to one kind of channel). Transactional mail ignores only the
    /// `unsubscribed` kind, so that kind cancels list mail alone.
    @discardableResult
    static func suppress(_ db: SQLiteDatabase, address: String, reason: SuppressionReason, detail: String?) throws
        -> Int
    {
        let now = WallClock.nowMillis()
        let normalized = normalizedAddress(address)
        // A stronger reason replaces a weaker one (`SuppressionReason.strength`): an address
        // unsubscribed from all list mail that later bounces gets the bounce, which stops
        // transactional mail too; a bounced one that complains gets the complaint, which only the
        // person's own request lifts. No reason ever weakens an entry.
        try db.prepare(
            """
            INSERT INTO suppressions(address, reason, detail, created_at) VALUES(?1,?2,?3,?4)
            ON CONFLICT(address) DO UPDATE SET reason = excluded.reason, detail = excluded.detail, created_at = excluded.created_at
            WHERE (SELECT value ->> 1 FROM json_each(?5) WHERE value ->> 0 = suppressions.reason) < ?6
            """
        ).run([
            .text(normalized), .text(reason.rawValue), SQLiteValue(detail), .integer(now), .text(Self.strengths),
            .integer(Int64(reason.strength)),
        ])
        try db.prepare(
            """
            UPDATE deliveries SET state = 'cancelled', cancel_reason = 'suppressed', last_error = 'suppressed: ' || ?2,
                updated_at = ?3
            WHERE address IN (?1, ?4) AND state IN ('queued','failed')
              AND (?2 <> 'unsubscribed' OR message_id IN (SELECT id FROM messages WHERE kind = 'list'))
            """
        ).run([.text(normalized), .text(reason.rawValue), .integer(now), .text(address)])
        return db.changes
    }

    /// `[["unsubscribed",0],["bounce",1],…]`: `SuppressionReason.strength` for the SQL that compares them.
    static let strengths = JSON.array(
        SuppressionReason.allCases.map { .array([.string($0.rawValue), JSON($0.strength)]) }
    ).serialized

    static func normalizedAddress(_ a: String) -> String { a.utf8.contains(UInt8(ascii: "@")) ? a.lowercased() : a }

    public func suppression(for address: String) throws -> SuppressionReason? {
        try with { db in try Self.suppression(db, address) }
    }

    /// What the suppression list holds, read once per transaction so that per-address lookups
    /// can skip what cannot match: nothing at all, or no erased person's hash.
    enum SuppressionKinds {
        case none, plain, withErased

        static func read(_ db: SQLiteDatabase) throws -> SuppressionKinds {
            guard try db.prepare(literal: "SELECT 1 FROM suppressions LIMIT 1").rows([], { _ in 1 }).first != nil else {
                return .none
            }
            return try anyErased(db) ? .withErased : .plain
        }
    }

    static func suppression(_ db: SQLiteDatabase, _ address: String, kinds: SuppressionKinds = .withErased) throws
        -> SuppressionReason?
    {
        switch kinds {
        case .none:
            return nil
        case .plain:
            let q = try db.prepare(literal: "SELECT reason FROM suppressions WHERE address = ?")
            return try q.rows([.text(normalizedAddress(address))]) { SuppressionReason(rawValue: $0.text(0)) }.first
                ?? nil
        case .withErased:
            let q = try db.prepare(literal: "SELECT reason FROM suppressions WHERE address = ? OR address = ? LIMIT 1")
            return try q.rows([.text(normalizedAddress(address)), .text(erasedKey(address))]) {
                SuppressionReason(rawValue: $0.text(0))
            }.first ?? nil
        }
    }

    /// Whether any erased person's hash is on the suppression list.
    static func anyErased(_ db: SQLiteDatabase) throws -> Bool {
        try db.prepare(literal: "SELECT 1 FROM suppressions WHERE address >= 'sha256:' AND address < 'sha256;' LIMIT 1")
            .rows { _ in 1 }.first != nil
    }
}
