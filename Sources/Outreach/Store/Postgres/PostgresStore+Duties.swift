/// `DutyLeadership` (through `Store`): `pg_try_advisory_lock` per duty, each on a session of its
/// own (`dutySessions`), so the lock lives exactly as long as that session: a node that dies or
/// loses the server loses its duties with it, and the server gives them to the next node asking.
extension PostgresStore {
    /// The advisory lock key of `duty`: "outrdut" in ASCII and the duty's number, apart from the
    /// migration lock's.
    static func dutyLock(_ duty: Duty) -> Int64 { 0x6f75_7472_6475_7400 + Int64(duty.rawValue) }

    /// While this node holds the lock, a `SELECT 1` checks its session is alive (the lock goes
    /// with it); otherwise one try for the lock. A session that fails is dropped: the lock went
    /// with it, and the next call connects again and tries.
    public func leads(_ duty: Duty) -> Bool {
        dutySessions.withLock { sessions in
            do {
                if let held = sessions[duty] {
                    do {
                        try held.execute("SELECT 1")
                        return true
                    } catch {
                        sessions[duty] = nil
                    }
                }
                let c = try Self.connect(url, password, timeoutSeconds: 5)
                let took =
                    try c.rows("SELECT pg_try_advisory_lock($1)", [.integer(Self.dutyLock(duty))]) {
                        try $0.bool(0)
                    }.first ?? false
                if took { sessions[duty] = c }
                return took
            } catch {
                return false
            }
        }
    }

    public func resignDuties() {
        dutySessions.withLock { $0 = [:] }
    }
}
