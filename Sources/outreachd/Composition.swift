import Outreach

/// The composition root: the one place that picks the concrete store. Everything else in the
/// executable speaks to `any Store`.
enum Composition {
    /// The store the configuration names (`[storage] url`): SQLite, migrated as it opens (one
    /// process owns the file), or PostgreSQL, which must be migrated already (`migrateStore`):
    /// several nodes share it, and none changes its schema by starting.
    static func openStore(_ config: Config) throws -> any Store {
        guard StoreError.isPostgres(config.storageURL) else { return try SQLiteStore.open(config) }
        return try PostgresStore(
            url: config.storageURL, password: config.storagePassword, migrate: false,
            lateCampaignGraceMillis: try config.lateCampaignGraceMillis(),
            bouncePolicy: try BouncePolicy(config: config))
    }

    /// `outreachd storage migrate`: applies the pending migrations of the configured store.
    /// - Returns: which store, and its schema version before and after.
    static func migrateStore(_ config: Config) throws -> (store: String, from: Int?, to: Int) {
        guard StoreError.isPostgres(config.storageURL) else {
            // SQLite migrates as it opens.
            let s = try SQLiteStore.open(config)
            return ("SQLite \(s.path)", nil, s.schemaVersion)
        }
        let v = try PostgresStore.migrate(url: config.storageURL, password: config.storagePassword)
        return ("PostgreSQL", v.from, v.to)
    }

    /// One side of `outreachd storage copy`: `postgresql://…` or a SQLite file (`sqlite:PATH` or
    /// a path). The source is only read; the target is created (SQLite) or migrated (PostgreSQL).
    static func openDump(_ location: String, password: String?, target: Bool) throws -> any StoreDump {
        if StoreError.isPostgres(location) {
            return try PostgresDump(url: location, password: password, target: target)
        }
        let path = location.hasPrefix("sqlite:") ? String(location.dropFirst("sqlite:".count)) : location
        return try SQLiteDump(path: path, target: target)
    }

    /// The bounce pipeline on `store`: the parser checks VERP tokens with the link key (read, never
    /// created here: without one no VERP address was ever sent), the rules take `[bounces]`.
    static func bounceProcessor(_ config: Config, store: any Store) throws -> BounceProcessor {
        let parser = BounceParser(verp: LinkSigner.existingKey(config: config).map(VERPToken.init(key:)))
        return BounceProcessor(store: store, policy: try BouncePolicy(config: config)) { try parser.parse($0) }
    }
}
