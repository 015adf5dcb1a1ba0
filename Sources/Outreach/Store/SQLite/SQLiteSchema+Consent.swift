extension SQLiteSchema {
    /// 5: consent holds at the moment of sending. A cancelled delivery says why (`cancel_reason`:
    /// unsubscribed, not-subscribed, suppressed, erased, campaign-cancelled, paused, manual), every
    /// consent row keeps the state it left, and pending deliveries are found by address, so an
    /// unsubscribe or a suppression cancels them in its own transaction without a table scan.
    static let consent = """
        ALTER TABLE deliveries ADD COLUMN cancel_reason TEXT;
        UPDATE deliveries SET cancel_reason = CASE
            WHEN last_error = 'paused' THEN 'paused'
            WHEN last_error = 'campaign cancelled' THEN 'campaign-cancelled'
            WHEN last_error = 'event changed' THEN 'event-changed'
            WHEN address LIKE 'erased%' THEN 'erased'
            ELSE 'manual' END
            WHERE state = 'cancelled';
        ALTER TABLE consent_log ADD COLUMN from_state TEXT;
        UPDATE suppressions SET reason = 'stop' WHERE reason = 'unsubscribed' AND detail LIKE 'SMS reply %';
        CREATE INDEX deliveries_pending_address ON deliveries(address) WHERE state IN ('queued','failed');
        """
}

extension SQLiteSchema {
    /// 6: channels whose endpoint is down, as the worker that found it saw them, so `queue status`
    /// (another process) can say which channel is down and since when.
    static let channelStatus = """
        CREATE TABLE channel_status(
            channel TEXT PRIMARY KEY,
            down_since INTEGER NOT NULL,
            last_error TEXT NOT NULL,
            next_probe_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
}

extension SQLiteSchema {
    /// 7: when consent last changed away from a yes (a member leaving or removed, an address
    /// suppressed, a contact erased, a campaign paused or cancelled), moved by triggers so that no
    /// path — not even SQL typed into the sqlite3 shell — can change it unseen. The claim compares
    /// it with its batch's oldest delivery and skips the per-delivery check when nothing changed.
    static let consentClock = """
        CREATE TABLE consent_clock(id INTEGER PRIMARY KEY CHECK (id = 1), changed_at INTEGER NOT NULL);
        INSERT INTO consent_clock VALUES(1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
        CREATE TRIGGER consent_clock_left AFTER UPDATE OF state ON memberships
            WHEN old.state = 'subscribed' AND new.state <> 'subscribed'
            BEGIN UPDATE consent_clock SET changed_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + 1 WHERE id = 1; END;
        CREATE TRIGGER consent_clock_removed AFTER DELETE ON memberships WHEN old.state = 'subscribed'
            BEGIN UPDATE consent_clock SET changed_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + 1 WHERE id = 1; END;
        CREATE TRIGGER consent_clock_suppressed AFTER INSERT ON suppressions
            BEGIN UPDATE consent_clock SET changed_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + 1 WHERE id = 1; END;
        CREATE TRIGGER consent_clock_suppression_changed AFTER UPDATE ON suppressions
            BEGIN UPDATE consent_clock SET changed_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + 1 WHERE id = 1; END;
        CREATE TRIGGER consent_clock_erased AFTER DELETE ON contacts
            BEGIN UPDATE consent_clock SET changed_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + 1 WHERE id = 1; END;
        CREATE TRIGGER consent_clock_campaign AFTER UPDATE OF state ON campaigns WHEN new.state IN ('paused', 'cancelled')
            BEGIN UPDATE consent_clock SET changed_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + 1 WHERE id = 1; END;
        """
}
