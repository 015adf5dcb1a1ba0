extension Config {
    /// What the configuration allows but is almost surely a mistake on a server that sends for
    /// real: `check` lists these, and `serve` logs them at start. An outbox-only setup gets none
    /// apart from open receipt endpoints, which `serve` takes whatever the channel's type.
    public var warnings: [String] {
        var out = receiptWarnings
        let sending = channels.values.filter { (try? $0.string("type")) != "outbox" }
        guard !sending.isEmpty else { return out }
        if sections[""]?.has("public_url") != true {
            out.append(
                "public_url is not set, so unsubscribe, confirmation and receipt links point to \(publicURL), which recipients and gateways cannot open"
            )
        }
        if sending.contains(where: { (try? $0.string("type")) == "smtp" }), sections["sender"]?.has("from") != true {
            out.append(
                "[sender] from is not set, so email goes out from \(senderFrom), which relays and recipients refuse")
        }
        return out
    }

    /// Channels whose `/v1/receipts/{channel}` (Kannel and Twilio presets) believes any caller:
    /// no `receipt_token` and no Twilio signature check. A forged receipt marks a delivery failed,
    /// a forged STOP suppresses any number.
    var receiptWarnings: [String] {
        channels.keys.sorted().compactMap { name -> String? in
            let s = channels[name]!
            guard let preset = try? s.string("preset"), preset == "kannel" || preset == "twilio" else { return nil }
            if s.has("receipt_token") || s.has("receipt_token_file") { return nil }
            let signed =
                preset == "twilio" && ((try? s.bool("verify_signature")) ?? true) != false
                && (s.has("auth_token") || s.has("auth_token_file"))
            if signed { return nil }
            return "[channels.\(name)] takes receipts at /v1/receipts/\(name) without receipt_token_file"
                + (preset == "twilio" ? " or Twilio's signature check" : "")
                + ", so anyone who can reach the server can mark its deliveries failed or unsubscribe any number"
        }
    }
}
