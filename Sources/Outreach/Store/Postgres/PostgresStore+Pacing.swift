/// `SendPacing` (through `Store`): a channel's next free instant is its row of `send_pacing`,
/// taken and moved on in one statement, one round trip per batch. The instants are the database's
/// clock (`clock_timestamp()`), so the nodes' clocks do not matter; the row lock orders nodes
/// reserving at once, and each gets the slot after the last one's.
extension PostgresStore {
    public func reserve(channel: String, costMicros: Int64) throws -> PacingSlot {
        let slot = try with { db in
            try db.rows(
                """
                INSERT INTO send_pacing AS p(channel, next_free)
                SELECT $1, t.now + $2::bigint
                FROM (SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now) t
                ON CONFLICT(channel) DO UPDATE
                    SET next_free = GREATEST(p.next_free, excluded.next_free - $2::bigint) + $2::bigint
                RETURNING next_free - $2::bigint, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint
                """, [.text(channel), .integer(costMicros)]
            ) { PacingSlot(start: try $0.int(0), waitMicros: max(0, try $0.int(0) - $0.int(1))) }.first
        }
        guard let slot else {
            throw PostgresError(sqlState: "XX000", message: "the pace of channel \(channel) came back empty")
        }
        return slot
    }
}
