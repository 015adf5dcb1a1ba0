import Foundation

extension Receipts {
    /// A Postmark webhook: HTTP basic auth with the `user:password` its webhook URL carries
    /// (Postmark signs nothing else), compared as SHA-256 digests in constant time; then the record.
    static func postmarkEvents(_ request: ProviderRequest, credentialsHash: [UInt8]) throws(ProviderWebhookError)
        -> ProviderEvents
    {
        guard let auth = request.headers["authorization"], auth.count > 6,
            auth.prefix(6).lowercased() == "basic "
        else {
            throw .unsigned(
                "The request has no basic auth; give Postmark the webhook URL with the user:password of basic_auth_file."
            )
        }
        let given = Data(base64Encoded: String(auth.dropFirst(6)).trimmingSpaces).map { Array($0) } ?? []
        guard Crypto.constantTimeEqual(Crypto.sha256(given), credentialsHash) else {
            throw .refused("The basic auth user and password do not match the channel's basic_auth_file.")
        }
        guard let record = try? JSON.parse(request.body), record.objectValue != nil else {
            throw .malformed("The body is not a Postmark webhook record (a JSON object).")
        }
        return postmarkRecord(record)
    }

    /// Postmark's bounce `Type` → our kind; a type not listed changes nothing (it is about the
    /// account or a subscription, not the mailbox). docs/bounces-providers.md has the table.
    static let postmarkBounceKinds: [String: BounceKind] = [
        "HardBounce": .hard, "BadEmailAddress": .hard,
        "SoftBounce": .soft, "DnsError": .soft, "Blocked": .soft, "SpamNotification": .soft, "DMARCPolicy": .soft,
        "Transient": .delayed,
        "SpamComplaint": .complaint,
        "AutoResponder": .autoReply, "ChallengeVerification": .autoReply,
        "Unknown": .unknown,
    ]

    /// One Postmark record by `RecordType`: Bounce (by `Type`, see `postmarkBounceKinds`),
    /// SpamComplaint → complaint, Delivery → a delivered receipt; Open, Click, SubscriptionChange
    /// change nothing. Our delivery id: the `outreach_delivery` Metadata value (Postmark replaces
    /// the Message-ID and echoes no header).
    public static func postmarkRecord(_ r: JSON) -> ProviderEvents {
        let delivery = ProviderFields.deliveryID(value: ProviderFields.text(r["Metadata"]?[ProviderFields.deliveryKey]))
        let details = ProviderFields.line(r["Details"]?.stringValue)
        var events = ProviderEvents()
        func add(_ kind: BounceKind) {
            let status = ProviderFields.status(nil, text: details)
            let diagnostic = details ?? ProviderFields.line(r["Description"]?.stringValue)
            events.add(
                [
                    BounceResult(
                        recipient: ProviderFields.recipient(r["Email"]?.stringValue),
                        kind: ProviderFields.kind(kind, status: status, diagnostic: diagnostic), status: status,
                        diagnostic: diagnostic, delivery: delivery)
                ], event: ProviderFields.text(r["ID"]))
        }
        switch r["RecordType"]?.stringValue {
        case "Bounce":
            if let kind = postmarkBounceKinds[r["Type"]?.stringValue ?? ""] { add(kind) } else { events.ignored = 1 }
        case "SpamComplaint":
            add(.complaint)
        case "Delivery":
            events.delivered.append(
                ProviderFields.delivered(delivery, "Postmark Delivery", details))
        default:
            events.ignored = 1
        }
        return events
    }
}
