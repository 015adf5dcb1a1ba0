extension SQLiteStore {
    /// Records a gateway's receipt on the delivery it names (by our id, else by the provider's id,
    /// on `channel`): delivered → `delivered`, failed → `bounced` (and a suppression when the number
    /// is bad). Returns the delivery's id, or nil when no delivery matches.
    public func recordReceipt(_ r: Receipt, channel: String, now: Int64) throws -> Int64? {
        try write { db in
            var id: Int64?
            if let d = r.deliveryID {
                id = try db.prepare("SELECT id FROM deliveries WHERE id = ? AND channel = ?").rows([
                    .integer(d), .text(channel),
                ]) { $0.int(0) }.first
            } else if let p = r.providerID {
                id = try db.prepare("SELECT id FROM deliveries WHERE provider_id = ? AND channel = ?").rows([
                    .text(p), .text(channel),
                ]) { $0.int(0) }.first
            }
            guard let id else { return nil }
            switch r.state {
            case .pending:
                break
            case .delivered:
                try db.prepare(
                    "UPDATE deliveries SET state='delivered', updated_at=? WHERE id=? AND state IN ('sent','sending','delivered')"
                )
                .run([.integer(now), .integer(id)])
            case .failed:
                try db.prepare(
                    "UPDATE deliveries SET state='bounced', last_error=?, updated_at=? WHERE id=? AND state IN ('sent','sending','delivered')"
                )
                .run([SQLiteValue(r.reason), .integer(now), .integer(id)])
                if r.suppress, db.changes > 0,
                    let address = try db.prepare("SELECT address FROM deliveries WHERE id = ?").rows(
                        [.integer(id)], { $0.text(0) }
                    ).first
                {
                    try Self.suppress(db, address: address, reason: .bounce, detail: r.reason)
                }
            }
            return id
        }
    }
}
