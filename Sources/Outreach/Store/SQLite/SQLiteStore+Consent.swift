extension SQLiteStore {
    /// Cancels the pending list mail of `list` to contacts who just left it. Pending deliveries are
    /// found by address (the contact's email and phone, under a partial index); a delivery to a
    /// contact attribute (a chat user id) is caught by the claim-time check instead.
    static func cancelListMail(_ db: SQLiteDatabase, list: String, contactIDs: [Int64], now: Int64) throws -> Int {
        // INDEXED BY: left to itself the planner walks every queued delivery of the list by state
        // (seconds with a large campaign queued, while every claim and trigger waits).
        let cancel = try db.prepare(
            """
            UPDATE deliveries INDEXED BY deliveries_pending_address
            SET state = 'cancelled', cancel_reason = 'unsubscribed', updated_at = ?1
            WHERE address IN (?4, ?5) AND state IN ('queued','failed') AND contact_id = ?2
              AND EXISTS (SELECT 1 FROM messages m WHERE m.id = deliveries.message_id AND m.list_name = ?3 AND m.kind = 'list')
            """)
        let addresses = try db.prepare("SELECT email, phone FROM contacts WHERE id = ?")
        var n = 0
        for id in contactIDs {
            guard
                let (email, phone) = try addresses.rows([.integer(id)], { ($0.optionalText(0), $0.optionalText(1)) })
                    .first
            else { continue }
            try cancel.run([.integer(now), .integer(id), .text(list), SQLiteValue(email), SQLiteValue(phone)])
            n += db.changes
        }
        return n
    }

    /// The send-time check, one statement per claimed batch: each delivery is checked against the
    /// state of now — the contact still exists, the address is not suppressed (transactional mail
    /// ignores only the `unsubscribed` kind), list mail goes only to subscribed members, a
    /// campaign's mail only while it is not cancelled. Returns the deliveries that fail, with why.
    static func consentRefusals(_ db: SQLiteDatabase, ids: [Int64]) throws -> [(
        id: Int64, reason: CancelReason, detail: String?
    )] {
        let rows = try db.prepare(
            literal: """
                SELECT d.id,
                    CASE
                        WHEN d.contact_id IS NOT NULL AND c.id IS NULL THEN 'erased'
                        WHEN s.reason IS NOT NULL AND (msg.kind = 'list' OR s.reason <> 'unsubscribed') THEN 'suppressed'
                        WHEN msg.kind = 'list' AND msg.list_name IS NOT NULL AND d.contact_id IS NOT NULL
                             AND COALESCE(mem.state, '') <> 'subscribed'
                            THEN CASE WHEN mem.state = 'unsubscribed' THEN 'unsubscribed' ELSE 'not-subscribed' END
                        WHEN camp.state = 'cancelled' THEN 'campaign-cancelled'
                        WHEN camp.state = 'paused' THEN 'paused'
                        WHEN d.address LIKE 'erased:%' THEN 'erased'
                    END AS refusal,
                    s.reason
                FROM json_each(?1) j
                JOIN deliveries d ON d.id = j.value
                JOIN messages msg ON msg.id = d.message_id
                LEFT JOIN contacts c ON c.id = d.contact_id
                LEFT JOIN suppressions s ON s.address = CASE WHEN instr(d.address, '@') > 0 THEN lower(d.address) ELSE d.address END
                LEFT JOIN lists l ON l.name = msg.list_name
                LEFT JOIN memberships mem ON mem.list_id = l.id AND mem.contact_id = d.contact_id
                LEFT JOIN campaigns camp ON camp.id = msg.campaign_id
                WHERE refusal IS NOT NULL
                """
        ).rows([.idList(ids)]) { s in
            let reason = CancelReason(rawValue: s.text(1)) ?? .suppressed
            let detail =
                reason == .suppressed
                ? s.optionalText(2).map { "suppressed: " + $0 } : reason == .paused ? "paused" : nil
            return (id: s.int(0), reason: reason, detail: detail)
        }
        return rows
    }
}
