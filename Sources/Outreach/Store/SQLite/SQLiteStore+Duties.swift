/// One SQLite file is one host's: its node leads every duty.
extension SQLiteStore {
    public func leads(_ duty: Duty) -> Bool { true }

    public func resignDuties() {}
}
