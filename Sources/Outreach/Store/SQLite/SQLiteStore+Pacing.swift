/// `SendPacing` (through `Store`): one SQLite file is one host, so the paces live in this process.
/// A `work` command run beside `serve` on the same file keeps a pace of its own.
extension SQLiteStore {
    public func reserve(channel: String, costMicros: Int64) -> PacingSlot {
        pacing.reserve(channel: channel, costMicros: costMicros)
    }
}
