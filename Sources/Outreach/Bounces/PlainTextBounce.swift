import Foundation

/// Bounces without a delivery-status part: the texts of qmail (and Yahoo, which writes qmail's
/// form), Exim, older Sendmail, Exchange/Office 365 and Gmail, read from the wording each uses,
/// and a last resort for anything from MAILER-DAEMON. The returned copy below the text is cut off
/// first, so its addresses are never taken for recipients.
enum PlainTextBounce {
    /// Results of the first known form that finds a recipient; nil when none does.
    static func results(_ all: [Substring]) -> [BounceResult]? {
        let lines = Array(all.prefix { !isCopyMarker($0) })
        let lower = lines.map { $0.lowercased() }
        for form in [qmail, exim, sendmail, exchange, gmail] {
            if let r = form(lines, lower), !r.isEmpty { return r }
        }
        return nil
    }

    /// Where the returned message starts in the text forms.
    static func isCopyMarker(_ line: Substring) -> Bool {
        let t = line.trimmingSpaces.lowercased()
        return copyMarkers.contains { t.hasPrefix($0) }
    }

    static let copyMarkers = [
        "--- below this line is a copy of the message", "--- enclosed are the original headers",
        "------ this is a copy of the message", "----- original message -----", "----- unsent message follows",
        "original message headers:", "----- original message follows",
    ]

    /// One recipient being read: its address, its words so far.
    struct Entry {
        var address: String
        var words: [String] = []

        func result(_ fallback: BounceKind, delayed: Bool = false) -> BounceResult {
            let diagnostic = words.isEmpty ? nil : DeliveryStatus.oneLine(words.joined(separator: " "))
            let status = diagnostic.flatMap { BounceClassifier.enhancedStatus(in: $0) }
            var kind = delayed ? .delayed : BounceClassifier.kind(status: status, diagnostic: diagnostic)
            if kind == .unknown { kind = fallback }
            return BounceResult(recipient: address, kind: kind, status: status, diagnostic: diagnostic)
        }
    }

    /// qmail and Yahoo: `<user@example.org>:` then the remote server's words, up to a blank line.
    /// qmail writes a bounce only when it gives up, so words it cannot classify mean hard.
    static func qmail(_ lines: [Substring], _ lower: [String]) -> [BounceResult]? {
        guard
            lower.contains(where: {
                $0.contains("this is the qmail-send program") || $0.contains("wasn't able to deliver your message")
                    || $0.contains("unable to deliver your message to the following")
            })
        else { return nil }
        var entries: [Entry] = []
        var open = false
        for line in lines {
            let t = line.trimmingSpaces
            if t.hasPrefix("<"), t.hasSuffix(">:"), let a = BounceAddress.all(in: Substring(t)).first {
                entries.append(Entry(address: a))
                open = true
            } else if t.isEmpty {
                open = false
            } else if open {
                entries[entries.count - 1].words.append(t)
            }
        }
        return entries.map { $0.result(.hard) }
    }

    /// Exim: after "The following address(es) failed:" (or, in a delay warning, "…has not yet been
    /// delivered is:"), each address indented by two spaces, its reasons indented further.
    static func exim(_ lines: [Substring], _ lower: [String]) -> [BounceResult]? {
        guard
            lower.contains(where: {
                $0.contains("created automatically by mail delivery software")
                    || $0.contains("a message that you sent could not be delivered")
                    || $0.contains("has not yet been delivered to one or more")
            })
        else { return nil }
        let delayed = lower.contains { $0.contains("has not yet been delivered") }
        guard
            let trigger = lower.firstIndex(where: {
                $0.hasSuffix("failed:") || $0.contains("not yet been delivered is:")
                    || $0.contains("not yet been delivered are:")
            })
        else { return nil }
        return indentedEntries(lines, from: trigger + 1).map { $0.result(.hard, delayed: delayed) }
    }

    /// Address lines with their more-indented reasons below, until prose at the left margin.
    static func indentedEntries(_ lines: [Substring], from start: Int) -> [Entry] {
        var entries: [Entry] = []
        var indent = -1
        for line in lines.dropFirst(start) {
            let t = line.trimmingSpaces
            if t.isEmpty { continue }
            let i = line.prefix { $0 == " " || $0 == "\t" }.count
            if indent >= 0, i > indent {
                entries[entries.count - 1].words.append(t)
            } else if let a = BounceAddress.leading(line) {
                entries.append(Entry(address: a))
                indent = i
            } else if !entries.isEmpty {
                break
            }
        }
        return entries
    }

    /// Sendmail before DSNs: `----- The following addresses had permanent fatal errors -----`,
    /// `<address>` lines and `(reason: …)`; else the session transcript's line naming the address.
    /// "transient non-fatal errors" is Sendmail's delay warning.
    static func sendmail(_ lines: [Substring], _ lower: [String]) -> [BounceResult]? {
        var results: [BounceResult] = []
        for (index, l) in lower.enumerated() {
            let permanent = l.contains("following addresses had permanent fatal errors")
            guard permanent || l.contains("following addresses had transient non-fatal errors") else { continue }
            var entries: [Entry] = []
            for line in lines.dropFirst(index + 1) {
                let t = line.trimmingSpaces
                if t.isEmpty || t.hasPrefix("-----") { break }
                if t.lowercased().hasPrefix("(reason:"), !entries.isEmpty {
                    entries[entries.count - 1].words.append(String(t.dropFirst(8).dropLast(t.hasSuffix(")") ? 1 : 0)))
                } else if let a = BounceAddress.leading(line) {
                    entries.append(Entry(address: a))
                }
            }
            for var e in entries {
                if e.words.isEmpty, let said = transcriptLine(lines, naming: e.address) { e.words = [said] }
                results.append(e.result(.hard, delayed: !permanent))
            }
        }
        return results
    }

    /// The last reply line (`<<< 550 5.1.1 <a@b>... User unknown`) of a transcript naming an address.
    static func transcriptLine(_ lines: [Substring], naming address: String) -> String? {
        let a = address.lowercased()
        return lines.last { line in
            let t = line.trimmingSpaces
            let reply = t.hasPrefix("<<< ") ? String(t.dropFirst(4)) : t
            return BounceClassifier.basicCode(in: String(reply.prefix(4))) != nil && t.lowercased().contains(a)
        }.map { line in
            let t = line.trimmingSpaces
            return t.hasPrefix("<<< ") ? String(t.dropFirst(4)) : t
        }
    }

    /// Exchange and Office 365 NDR text: "Delivery has failed to these recipients or groups:" (2007
    /// on) or "The following recipient(s) cannot be reached:" (2003), each address followed by its
    /// explanation; "Remote Server returned '…'" under "Diagnostic information for administrators".
    static func exchange(_ lines: [Substring], _ lower: [String]) -> [BounceResult]? {
        let triggers = [
            "delivery has failed to these recipients or groups", "the following recipient(s) cannot be reached",
            "delivery is delayed to these recipients or groups", "your message couldn't be delivered",
        ]
        guard let trigger = lower.firstIndex(where: { l in triggers.contains { l.contains($0) } }) else { return nil }
        let delayed = lower[trigger].contains("delayed")
        let adminStart = lower.firstIndex { $0.contains("diagnostic information for administrators") } ?? lines.count
        var entries: [Entry] = []
        var open = false
        for line in lines[(trigger + 1)..<max(trigger + 1, adminStart)] {
            let t = line.trimmingSpaces
            if let a = BounceAddress.leading(line), !t.lowercased().hasPrefix("the ") {
                if let k = entries.firstIndex(where: { $0.address == a }) {
                    open = k == entries.count - 1
                } else {
                    entries.append(Entry(address: a))
                    open = true
                }
            } else if t.isEmpty {
                if open, entries.last?.words.isEmpty == false { open = false }
            } else if open {
                entries[entries.count - 1].words.append(t)
            }
        }
        // The administrators' section says what the remote server answered, per address.
        for k in entries.indices {
            let a = entries[k].address.lowercased()
            guard let at = lower[adminStart...].firstIndex(where: { $0.contains(a) }) else { continue }
            for l in lines[at..<min(lines.count, at + 4)] {
                let t = l.trimmingSpaces
                guard let r = t.lowercased().range(of: "remote server returned") else { continue }
                let said = t[r.upperBound...].trimmingSpaces.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
                entries[k].words = [said]
                break
            }
        }
        return entries.map { $0.result(.hard, delayed: delayed) }
    }

    /// Gmail's text forms: "Delivery to the following recipient failed permanently:" (or "has been
    /// delayed:") with the server's words after "The error that the other server returned was:";
    /// and "Your message wasn't delivered to ADDRESS because …".
    static func gmail(_ lines: [Substring], _ lower: [String]) -> [BounceResult]? {
        let said: String? = {
            guard
                let i = lower.firstIndex(where: {
                    $0.contains("the error that the other server returned was")
                        || $0.contains("the response from the remote server was")
                        || $0.contains("technical details of permanent failure")
                })
            else { return nil }
            let words = lines.dropFirst(i + 1).drop { $0.trimmingSpaces.isEmpty }.prefix { !$0.trimmingSpaces.isEmpty }
            return words.isEmpty ? nil : words.map { $0.trimmingSpaces }.joined(separator: " ")
        }()
        if let i = lower.firstIndex(where: { $0.contains("delivery to the following recipient") }) {
            let delayed = lower[i].contains("delayed")
            let addresses = lines.dropFirst(i + 1).drop { $0.trimmingSpaces.isEmpty }
                .prefix { BounceAddress.leading($0) != nil }.compactMap(BounceAddress.leading)
            return addresses.map { Entry(address: $0, words: said.map { [$0] } ?? []).result(.hard, delayed: delayed) }
        }
        if let i = lower.firstIndex(where: { $0.contains("your message wasn't delivered to") }),
            let r = lines[i].range(of: "delivered to "), let a = BounceAddress.leading(lines[i][r.upperBound...])
        {
            return [Entry(address: a, words: said.map { [$0] } ?? [lines[i].trimmingSpaces]).result(.hard)]
        }
        return nil
    }

    /// From MAILER-DAEMON or postmaster, or a subject bounces use.
    static func looksLikeBounce(_ h: MessageHeaders) -> Bool {
        if let from = h.first("from")?.lowercased(),
            ["mailer-daemon@", "postmaster@", "mail-daemon@", "mailerdaemon@"].contains(where: { from.contains($0) })
        {
            return true
        }
        let subject = BodyDecoding.headerText(h.first("subject") ?? "").lowercased()
        return bounceSubjects.contains { subject.contains($0) }
    }

    static let bounceSubjects = [
        "undeliverable", "undelivered mail", "delivery status notification", "mail delivery failed",
        "failure notice", "returned mail", "delivery failure", "non-delivery", "nondeliverable",
        "delivery has failed", "mail delivery failure", "message not delivered",
    ]

    /// A bounce in no known form: the addresses its text names (lines with a reply code first),
    /// less the bounce's own, else the returned message's To; the whole text classifies them.
    static func generic(_ all: [Substring], headers: MessageHeaders, returned: MessageHeaders?) -> [BounceResult] {
        let lines = Array(all.prefix { !isCopyMarker($0) })
        let own = Set(["from", "to", "return-path", "sender", "reply-to"].flatMap { headers.all($0) }.flatMap {
            BounceAddress.all(in: $0)
        })
        func candidates(_ ls: [Substring]) -> [String] {
            var out: [String] = []
            for l in ls {
                for a in BounceAddress.all(in: l) where !own.contains(a) && !out.contains(a) {
                    let local = a.lowercased()
                    if local.hasPrefix("postmaster@") || local.hasPrefix("mailer-daemon@") { continue }
                    out.append(a)
                }
            }
            return out
        }
        let coded = lines.filter {
            BounceClassifier.enhancedStatus(in: $0) != nil || BounceClassifier.basicCode(in: String($0)) != nil
        }
        var recipients = candidates(coded)
        if recipients.isEmpty { recipients = candidates(lines) }
        if recipients.isEmpty, let to = returned?.first("to") { recipients = BounceAddress.all(in: to) }
        let said = coded.first.map { DeliveryStatus.oneLine(String($0)) }
        let status = said.flatMap { BounceClassifier.enhancedStatus(in: $0) }
        let text = lines.joined(separator: " ")
        let kind = BounceClassifier.kind(status: status, diagnostic: said.map { $0 + " " + text } ?? text)
        if recipients.isEmpty { return [BounceResult(recipient: nil, kind: kind, status: status, diagnostic: said)] }
        return recipients.map { BounceResult(recipient: $0, kind: kind, status: status, diagnostic: said) }
    }
}
