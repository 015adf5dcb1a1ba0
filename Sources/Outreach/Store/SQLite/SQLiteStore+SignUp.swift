extension SQLiteStore {
    public func signUp(_ request: SignUpRequest) throws -> SignUpOutcome {
        try write { db in
            guard let list = try Self.readList(db, name: request.list) else {
                throw StoreError.unknownList(request.list)
            }
            var c = request.contact
            // Only the address the confirmation goes to finds the person: a form filled in with
            // one's own email and someone else's phone must not reach that someone's contact.
            let byEmail = try db.prepare("SELECT \(Self.contactColumns) FROM contacts WHERE email = ?")
            let byPhone = try db.prepare("SELECT \(Self.contactColumns) FROM contacts WHERE phone = ?")
            var existing: Contact?
            if let e = c.email {
                existing = try byEmail.rows([.text(e)]) { Self.readContact($0) }.first
                // A phone that is someone else's stays off the new contact.
                if existing == nil, let p = c.phone, try byPhone.rows([.text(p)], { _ in 1 }).first != nil {
                    c.phone = nil
                }
            } else if let p = c.phone {
                existing = try byPhone.rows([.text(p)]) { Self.readContact($0) }.first
            }
            let id: Int64
            if let eid = existing?.id {
                id = eid
            } else {
                // A newcomer to a list without double opt-in is subscribed at once, with the form's values.
                if !list.doubleOptIn {
                    c.attributes = SignUpForm.merge(request.fields, into: c.attributes, confirmed: true)
                }
                guard let nid = try Self.upsert([ContactRow(c)], db: db).ids.first else {
                    throw StoreError.unknownContact(c.email ?? c.phone ?? "")
                }
                id = nid
            }
            let current =
                try db.prepare("SELECT state FROM memberships WHERE list_id = ? AND contact_id = ?")
                .rows([.integer(list.id), .integer(id)]) { MembershipState(rawValue: $0.text(0)) }.first ?? nil
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
            // Someone new waits as pending; someone who unsubscribed stays so until they confirm.
            try Self.setMembership(
                db, list: list.name, contactIDs: [id], state: .pending, consent: request.consent, by: .signUpForm)
            // The form's values wait for the person's own word (the latest form's replace earlier ones,
            // and only a link made after them writes them: `SignUpForm.confirmedValues`).
            try db.prepare("UPDATE memberships SET pending_fields = ? WHERE list_id = ? AND contact_id = ?").run([
                SQLiteValue(SignUpForm.pendingJSON(request.fields, at: WallClock.nowMillis())),
                .integer(list.id), .integer(id),
            ])
            confirmation.delivery.contactID = id
            let queued = try Self.enqueue(
                db, confirmation.message, deliveries: [confirmation.delivery], idempotency: nil)
            return .confirmationQueued(contactID: id, deliveryIDs: queued.deliveryIDs)
        }
    }

    /// Writes a sign-up form's values to the contact's attributes (`SignUpForm.merge`).
    static func fillFormFields(_ db: SQLiteDatabase, contactID: Int64, _ values: [String: String], confirmed: Bool)
        throws
    {
        guard !values.isEmpty,
            let text = try db.prepare("SELECT attributes FROM contacts WHERE id = ?")
                .rows([.integer(contactID)], { $0.text(0) }).first
        else { return }
        let attributes = SignUpForm.attributes(json: text)
        let merged = SignUpForm.merge(values, into: attributes, confirmed: confirmed)
        guard merged != attributes else { return }
        try db.prepare("UPDATE contacts SET attributes = ?, updated_at = ? WHERE id = ?").run([
            .text(JSON.object(merged.mapValues(JSON.string)).serialized), .integer(WallClock.nowMillis()),
            .integer(contactID),
        ])
    }
}
