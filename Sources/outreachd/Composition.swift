import Outreach

/// The composition root: the one place that picks the concrete store. Everything else in the
/// executable speaks to `any Store`.
enum Composition {
    /// The store the configuration names (`[storage] url`; SQLite today).
    static func openStore(_ config: Config) throws -> any Store {
        try SQLiteStore.open(config)
    }
}
