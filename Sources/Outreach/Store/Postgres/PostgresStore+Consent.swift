extension PostgresStore {
    public func createList(
        name: String, doubleOptIn: Bool, isPublic: Bool, details: ListDetails
    ) throws -> MailingList {
        try write { db in
            // ON CONFLICT: a name taken meanwhile by another node is refused the same way.
            guard
                let id = try db.rows(
                    """
                    INSERT INTO lists(name, double_opt_in, created_at, title, title_translations, data, thank_you_url,
                        form_fields, is_public)
                    VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    ON CONFLICT(name) DO NOTHING RETURNING id
                    """,
                    [.text(name), .boolean(doubleOptIn), .integer(WallClock.nowMillis())] + Self.detailsRow(details)
                        + [.boolean(isPublic)],
                    { try $0.int(0) }
                ).first
            else { throw StoreError.listExists(name) }
            guard let list = try Self.readList(db, name: name), list.id == id else {
                throw StoreError.unknownList(name)
            }
            return list
        }
    }

    public func updateList(named name: String, details: ListDetails) throws -> MailingList {
        try write { db in
            let changed = try db.query(
                """
                UPDATE lists SET title = $1, title_translations = $2, data = $3, thank_you_url = $4, form_fields = $5
                WHERE name = $6
                """,
                Self.detailsRow(details) + [.text(name)]
            ).affected
            guard changed == 1, let l = try Self.readList(db, name: name) else { throw StoreError.unknownList(name) }
            return l
        }
    }

    /// title, title_translations, data, thank_you_url, form_fields.
    static func detailsRow(_ d: ListDetails) -> [PostgresValue] {
        [
            PostgresValue(d.title),
            .text(LocalizedTitle("", translations: d.titleTranslations).translationsJSON.serialized),
            .text(d.data.serialized), PostgresValue(d.thankYouURL),
            .text(JSON.array(d.formFields.map(JSON.string)).serialized),
        ]
    }

    static func listID(_ db: PostgresConnection, _ name: String) throws -> Int64? {
        try db.rows("SELECT id FROM lists WHERE name = $1", [.text(name)]) { try $0.int(0) }.first
    }

    static func readList(_ db: PostgresConnection, name: String) throws -> MailingList? {
        guard
            var l = try db.rows(
                """
                SELECT id, name, double_opt_in, title, title_translations, data, thank_you_url, form_fields, is_public
                FROM lists WHERE name = $1
                """,
                [.text(name)],
                {
                    var details = readListDetails($0, from: 3)
                    details.thankYouURL = $0.optionalText(6)
                    details.formFields = ListDetails.formFields(json: $0.text(7))
                    var l = MailingList(
                        id: try $0.int(0), name: $0.text(1), doubleOptIn: try $0.bool(2), details: details)
                    l.isPublic = try $0.bool(8)
                    return l
                }
            ).first
        else { return nil }
        for r in try db.query(
            "SELECT state, COUNT(*) FROM memberships WHERE list_id = $1 GROUP BY state", [.integer(l.id)]
        ).rows {
            if let s = MembershipState(rawValue: r.text(0)) { l.counts[s] = Int(try r.int(1)) }
        }
        return l
    }

    public func list(named name: String) throws -> MailingList? {
        try with { db in try Self.readList(db, name: name) }
    }

    public func lists() throws -> [MailingList] {
        try with { db in
            try db.rows("SELECT name FROM lists ORDER BY name COLLATE \"C\"") { $0.text(0) }.compactMap {
                try Self.readList(db, name: $0)
            }
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

    /// As SQLite's: `MembershipDecision` per contact, each change logged with the state it left,
    /// the pending list mail of whoever left cancelled. The membership row is locked while it is
    /// decided (`FOR UPDATE`), so two nodes changing one person's membership take turns.
    @discardableResult
    static func setMembership(
        _ db: PostgresConnection, list: String, contactIDs: [Int64], state: MembershipState,
        consent: Consent, by authority: ConsentAuthority
    ) throws -> MembershipChanges {
        guard let listID = try listID(db, list) else { throw StoreError.unknownList(list) }
        let now = WallClock.nowMillis()
        var out = MembershipChanges()
        for id in contactIDs {
            let row = try db.rows(
                "SELECT state, updated_at, pending_fields FROM memberships WHERE list_id = $1 AND contact_id = $2 FOR UPDATE",
                [.integer(listID), .integer(id)]
            ) { ($0.text(0), try $0.int(1), $0.optionalText(2)) }.first
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
            try db.query(
                """
                INSERT INTO memberships(list_id, contact_id, state, consent_source, consent_evidence, updated_at)
                VALUES($1, $2, $3, $4, $5, $6)
                ON CONFLICT(list_id, contact_id) DO UPDATE SET state = excluded.state,
                    consent_source = excluded.consent_source, consent_evidence = excluded.consent_evidence,
                    updated_at = excluded.updated_at, pending_fields = NULL
                """,
                [
                    .integer(listID), .integer(id), .text(state.rawValue), .text(consent.source),
                    PostgresValue(consent.evidence), .integer(now),
                ])
            // As SQLite's: the person's own confirmation writes what their sign-up form said.
            if state == .subscribed, case .personConfirmed(let issuedAt) = authority {
                try fillFormFields(
                    db, contactID: id, SignUpForm.confirmedValues(pending: row?.2, issuedAt: issuedAt), confirmed: true)
            }
            try db.query(
                """
                INSERT INTO consent_log(list_id, contact_id, state, source, evidence, at, from_state)
                VALUES($1, $2, $3, $4, $5, $6, $7)
                """,
                [
                    .integer(listID), .integer(id), .text(state.rawValue), .text(consent.source),
                    PostgresValue(consent.evidence), .integer(now), PostgresValue(from?.rawValue),
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
    static func contactLabel(_ db: PostgresConnection, _ id: Int64) throws -> String {
        try db.rows("SELECT COALESCE(email, phone, id::text) FROM contacts WHERE id = $1", [.integer(id)]) {
            $0.text(0)
        }.first ?? String(id)
    }

    /// Cancels the pending list mail of `list` to contacts who just left it, found by address
    /// (the partial index of pending deliveries); a delivery to an attribute is caught at the claim.
    static func cancelListMail(_ db: PostgresConnection, list: String, contactIDs: [Int64], now: Int64) throws -> Int {
        try db.query(
            """
            UPDATE deliveries d SET state = 'cancelled', cancel_reason = 'unsubscribed', updated_at = $1
            FROM contacts c
            WHERE c.id = ANY($2::bigint[]) AND d.contact_id = c.id AND d.address IN (c.email, c.phone)
              AND d.state IN ('queued', 'failed')
              AND EXISTS (SELECT 1 FROM messages m WHERE m.id = d.message_id AND m.list_name = $3 AND m.kind = 'list')
            """, [.integer(now), .bigints(contactIDs), .text(list)]
        ).affected
    }

    public func memberships(contactID: Int64) throws -> [(
        list: String, state: MembershipState, consent: Consent, at: Int64
    )] {
        let rows = try with { db in
            try db.query(
                """
                SELECT l.name, m.state, m.consent_source, m.consent_evidence, m.updated_at FROM memberships m
                JOIN lists l ON l.id = m.list_id WHERE m.contact_id = $1 ORDER BY l.name COLLATE "C"
                """, [.integer(contactID)]
            ).rows
        }
        return try rows.map {
            (
                list: $0.text(0), state: MembershipState(rawValue: $0.text(1)) ?? .pending,
                consent: Consent(source: $0.text(2), evidence: $0.optionalText(3)), at: try $0.int(4)
            )
        }
    }

    public func signUp(_ request: SignUpRequest) throws -> SignUpOutcome {
        try write { db in
            guard let list = try Self.readList(db, name: request.list) else {
                throw StoreError.unknownList(request.list)
            }
            var c = request.contact
            // Only the address the confirmation goes to finds the person.
            var existing: Contact?
            if let e = c.email {
                existing = try Self.contact(db, where: "email", .text(e))
                if existing == nil, let p = c.phone, try Self.contact(db, where: "phone", .text(p)) != nil {
                    c.phone = nil
                }
            } else if let p = c.phone {
                existing = try Self.contact(db, where: "phone", .text(p))
            }
            let id: Int64
            if let eid = existing?.id {
                id = eid
            } else {
                if !list.doubleOptIn {
                    c.attributes = SignUpForm.merge(request.fields, into: c.attributes, confirmed: true)
                }
                guard let nid = try Self.upsert([ContactRow(c)], db: db).ids.first else {
                    throw StoreError.unknownContact(c.email ?? c.phone ?? "")
                }
                id = nid
            }
            let current =
                try db.rows(
                    "SELECT state FROM memberships WHERE list_id = $1 AND contact_id = $2 FOR UPDATE",
                    [.integer(list.id), .integer(id)]
                ) { MembershipState(rawValue: $0.text(0)) }.first ?? nil
            if current == .subscribed {
                try Self.fillFormFields(db, contactID: id, request.fields, confirmed: false)
                return .alreadySubscribed(contactID: id)
            }
            guard SignUpOutcome.needsConfirmation(doubleOptIn: list.doubleOptIn, current: current) else {
                if existing != nil { try Self.fillFormFields(db, contactID: id, request.fields, confirmed: false) }
                try Self.setMembership(
                    db, list: list.name, contactIDs: [id], state: .subscribed, consent: request.consent, by: .signUpForm
                )
                return .subscribed(contactID: id)
            }
            guard var confirmation = request.confirmation else {
                throw StoreError.noConfirmationChannel(list: list.name)
            }
            try Self.setMembership(
                db, list: list.name, contactIDs: [id], state: .pending, consent: request.consent, by: .signUpForm)
            try db.query(
                "UPDATE memberships SET pending_fields = $1 WHERE list_id = $2 AND contact_id = $3",
                [
                    PostgresValue(SignUpForm.pendingJSON(request.fields, at: WallClock.nowMillis())),
                    .integer(list.id), .integer(id),
                ])
            confirmation.delivery.contactID = id
            let queued = try Self.enqueue(
                db, confirmation.message, deliveries: [confirmation.delivery], idempotency: nil)
            return .confirmationQueued(contactID: id, deliveryIDs: queued.deliveryIDs)
        }
    }

    /// As SQLite's: a sign-up form's values written to the contact's attributes (`SignUpForm.merge`).
    static func fillFormFields(_ db: PostgresConnection, contactID: Int64, _ values: [String: String], confirmed: Bool)
        throws
    {
        guard !values.isEmpty,
            let text = try db.rows(
                "SELECT attributes FROM contacts WHERE id = $1", [.integer(contactID)], { $0.text(0) }
            )
            .first
        else { return }
        let attributes = SignUpForm.attributes(json: text)
        let merged = SignUpForm.merge(values, into: attributes, confirmed: confirmed)
        guard merged != attributes else { return }
        try db.query(
            "UPDATE contacts SET attributes = $1, updated_at = $2 WHERE id = $3",
            [
                .text(JSON.object(merged.mapValues(JSON.string)).serialized), .integer(WallClock.nowMillis()),
                .integer(contactID),
            ])
    }

    public func suppress(address: String, reason: SuppressionReason, detail: String?) throws {
        _ = try write { db in try Self.suppress(db, address: address, reason: reason, detail: detail) }
    }

    /// Records the suppression and cancels the pending deliveries it stops, in the caller's
    /// transaction; a stronger reason replaces a weaker one (`SuppressionReason.strength`), none
    /// ever weakens an entry. Returns how many deliveries were cancelled.
    @discardableResult
    static func suppress(_ db: PostgresConnection, address: String, reason: SuppressionReason, detail: String?) throws
        -> Int
    {
        let now = WallClock.nowMillis()
        let normalized = SQLiteStore.normalizedAddress(address)
        try db.query(
            """
            INSERT INTO suppressions(address, reason, detail, created_at) VALUES($1, $2, $3, $4)
            ON CONFLICT(address) DO UPDATE SET reason = excluded.reason, detail = excluded.detail,
                created_at = excluded.created_at
            WHERE (SELECT (v ->> 1)::int FROM jsonb_array_elements($5::jsonb) v WHERE v ->> 0 = suppressions.reason) < $6
            """,
            [
                .text(normalized), .text(reason.rawValue), PostgresValue(detail), .integer(now),
                .text(SQLiteStore.strengths), .integer(Int64(reason.strength)),
            ])
        return try db.query(
            """
            UPDATE deliveries SET state = 'cancelled', cancel_reason = 'suppressed', last_error = 'suppressed: ' || $2::text,
                updated_at = $3
            WHERE address IN ($1, $4) AND state IN ('queued', 'failed')
              AND ($2::text <> 'unsubscribed' OR message_id IN (SELECT id FROM messages WHERE kind = 'list'))
            """, [.text(normalized), .text(reason.rawValue), .integer(now), .text(address)]
        ).affected
    }

    public func suppression(for address: String) throws -> SuppressionReason? {
        try with { db in try Self.suppression(db, address) }
    }

    /// The reason an address (or an erased person's hash of it) is suppressed.
    static func suppression(_ db: PostgresConnection, _ address: String) throws -> SuppressionReason? {
        try db.rows(
            "SELECT reason FROM suppressions WHERE address = $1 OR address = $2 LIMIT 1",
            [.text(SQLiteStore.normalizedAddress(address)), .text(SQLiteStore.erasedKey(address))]
        ) { SuppressionReason(rawValue: $0.text(0)) }.first ?? nil
    }

    /// Whether any erased person's hash is on the suppression list.
    static func anyErased(_ db: PostgresConnection) throws -> Bool {
        try !db.query("SELECT 1 FROM suppressions WHERE address LIKE 'sha256:%' LIMIT 1").rows.isEmpty
    }
}
