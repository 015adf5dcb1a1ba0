extension Config {
    /// What the configuration allows but is almost surely a mistake on a server that sends for
    /// real: `check` lists these, and `serve` logs them at start. An outbox-only setup gets none.
    public var warnings: [String] {
        let sending = channels.values.filter { (try? $0.string("type")) != "outbox" }
        guard !sending.isEmpty else { return [] }
        var out: [String] = []
        if sections[""]?.has("public_url") != true {
            out.append("public_url is not set, so unsubscribe, confirmation and receipt links point to \(publicURL), which recipients and gateways cannot open")
        }
        if sending.contains(where: { (try? $0.string("type")) == "smtp" }), sections["sender"]?.has("from") != true {
            out.append("[sender] from is not set, so email goes out from \(senderFrom), which relays and recipients refuse")
        }
        return out
    }
}
