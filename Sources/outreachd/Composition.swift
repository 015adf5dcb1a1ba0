import Outreach

/// The composition root: the one place that picks the concrete store. Everything else in the
/// executable speaks to `any Store`.
enum Composition {
    /// The store the configuration names (`[storage] url`; SQLite today). A `postgresql://` url
    /// is refused with a sentence saying PostgreSQL storage is not available yet: `PostgresStore`
    /// is not a whole `Store` (docs/scale-out.md), so it is not picked here.
    static func openStore(_ config: Config) throws -> any Store {
        try SQLiteStore.open(config)
    }

    /// The bounce pipeline on `store`: the parser checks VERP tokens with the link key (read, never
    /// created here: without one no VERP address was ever sent), the rules take `[bounces]`.
    static func bounceProcessor(_ config: Config, store: any Store) throws -> BounceProcessor {
        let parser = BounceParser(verp: LinkSigner.existingKey(config: config).map(VERPToken.init(key:)))
        return BounceProcessor(store: store, policy: try BouncePolicy(config: config)) { try parser.parse($0) }
    }
}
