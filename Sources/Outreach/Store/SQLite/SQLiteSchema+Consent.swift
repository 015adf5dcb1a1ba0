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
