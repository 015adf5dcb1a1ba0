extension Config {
    /// `[storage]`: `url` (`sqlite:PATH`, the default, or `postgresql://USER@HOST:PORT/DATABASE`,
    /// also `?host=/run/postgresql` for a socket) and, for PostgreSQL, `password_file`: read
    /// once here, its trailing newline removed, and marked a secret like the password a URL may
    /// carry, so no error or log shows either. `heartbeat`: how often a node says it is alive (5s).
    /// `poll`: the longest a channel loop sleeps with nothing due (1s on PostgreSQL, 5s on
    /// SQLite); `notify` (PostgreSQL): false polls only, without LISTEN.
    static func readStorage(_ storage: ConfigSection, into config: inout Config) throws(ConfigError) {
        if let url = try storage.string("url") { config.storageURL = url }
        let postgres = StoreError.isPostgres(config.storageURL)
        if postgres {
            for p in PostgresConnection.passwords(in: config.storageURL) { storage.noteSecret(p) }
        }
        if storage.has("password") {
            throw storage.invalid("password", "is not a setting of [storage]; put the password in password_file")
        }
        if let password = try storage.secret("password") {
            guard postgres else {
                throw storage.invalid("password_file", "is only for a postgresql:// url; SQLite has no password")
            }
            config.storagePassword = password
        }
        if let h = try storage.string("heartbeat") {
            guard let ms = WallClock.parseDuration(h), ms >= 1_000 else {
                throw storage.invalid("heartbeat", "must be a duration of at least 1s, like 5s")
            }
            config.heartbeatMillis = ms
        }
        if let p = try storage.string("poll") {
            guard let ms = WallClock.parseDuration(p), ms >= 1_000, ms <= 3_600_000 else {
                throw storage.invalid("poll", "must be a duration from 1s to 1h, like 1s")
            }
            config.pollMillis = ms
        }
        if let n = try storage.bool("notify") {
            guard postgres else {
                throw storage.invalid("notify", "is only for a postgresql:// url; SQLite has nothing to listen to")
            }
            config.storageNotify = n
        }
        try storage.refuseUnreadKeys()
    }
}

extension Config {
    /// The longest a channel loop sleeps with nothing due: `[storage] poll`, else 1 s on
    /// PostgreSQL (other nodes and commands queue work; notifications are only a hint) and 5 s on
    /// SQLite (one process; a CLI command's work waits at most that).
    public var idlePollMillis: Int64 { pollMillis ?? (StoreError.isPostgres(storageURL) ? 1_000 : 5_000) }
}

extension Config {
    /// `[campaigns] grace`: a scheduled campaign found this much past its time is paused instead
    /// of sent late (1 hour unless set).
    public func lateCampaignGraceMillis() throws(ConfigError) -> Int64 {
        guard let section = sections["campaigns"], let g = try section.string("grace") else { return 3_600_000 }
        guard let ms = WallClock.parseDuration(g) else {
            throw section.invalid("grace", "must be a duration like 30m, 2h or 1d")
        }
        return ms
    }
}
