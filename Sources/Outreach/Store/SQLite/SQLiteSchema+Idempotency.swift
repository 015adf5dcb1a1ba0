extension SQLiteSchema {
    /// 4: an Idempotency-Key is a column of the message it queued, under a partial unique index,
    /// instead of a row in a table of its own. Every keyed trigger wrote that row, a whole key and
    /// a hex hash, into a B-tree ordered by the client's keys, which are random: a page written per
    /// key at every group commit. Now the message row (appended in order) carries the key and the
    /// 32-byte hash, and only a short (key, id) index entry lands in key order. Hashes copied
    /// from before stay hex text; the store accepts either form.
    static let idempotencyOnMessages = """
        ALTER TABLE messages ADD COLUMN idempotency_key TEXT;
        ALTER TABLE messages ADD COLUMN request_hash BLOB;
        UPDATE messages SET idempotency_key = i.key, request_hash = i.request_hash
            FROM idempotency i WHERE i.message_id = messages.id;
        DROP TABLE idempotency;
        CREATE UNIQUE INDEX messages_idempotency ON messages(idempotency_key) WHERE idempotency_key IS NOT NULL;
        """
}
