import CSQLite

extension SQLiteError {
    /// SQLite's codes for a disk that will not take the write (extended codes included).
    var storageCause: StorageUnavailable.Cause? {
        switch code & 0xff {
        case SQLITE_FULL: return .full
        case SQLITE_READONLY: return .readOnly
        case SQLITE_IOERR, SQLITE_CANTOPEN: return .failing
        default: return nil
        }
    }
}

extension SQLiteStore {
    /// Commits a write that changes nothing (the header's `user_version` written again, one page
    /// to the log and a flush), to learn whether the disk takes writes again after one failed.
    public func probeWrite() throws {
        try write { db in
            let version = try db.prepare("PRAGMA user_version").rows { $0.int(0) }.first ?? 0
            try db.execute("PRAGMA user_version = \(version)")
        }
    }

    /// A file in the data directory: nothing to reach (a full or failing disk is `probeWrite`'s).
    public func checkReachable(timeoutMillis: Int) throws {}
}
