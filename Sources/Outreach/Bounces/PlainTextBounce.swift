import Foundation

/// Bounces without a delivery-status part: the texts of qmail (and Yahoo, which writes qmail's
/// form), Exim, older Sendmail, Exchange/Office 365 and Gmail, read from the wording each uses,
/// and a last resort for anything from MAILER-DAEMON. The returned copy below the text is cut off
/// first, so its addresses are never taken for recipients.
enum PlainTextBounce {
    /// Results of the first known form that finds a recipient; nil when none does.
    static func results(_ all: BounceText) -> [BounceResult]? {
        let text = all.beforeCopy
        for form in [qmail, exim, sendmail, exchange, gmail] {
            if let r = form(text), !r.isEmpty { return r }
        }
        return nil
    }

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
    static func qmail(_ text: BounceText) -> [BounceResult]? {
        guard
            text.firstLine(
                containing: "this is the qmail-send program", "wasn't able to deliver your message",
                "unable to deliver your message to the following") != nil
        else { return nil }
        var entries: [Entry] = []
        var open = false
        for line in text.lines {
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
    static func exim(_ text: BounceText) -> [BounceResult]? {
        guard
            text.firstLine(
                containing: "created automatically by mail delivery software",
                "a message that you sent could not be delivered", "has not yet been delivered to one or more") != nil
        else { return nil }
        let delayed = text.firstLine(containing: "has not yet been delivered") != nil
        guard
            let trigger = text.firstLine(
                containing: "failed:", "not yet been delivered is:", "not yet been delivered are:")
        else { return nil }
        return indentedEntries(text.lines, from: trigger + 1).map { $0.result(.hard, delayed: delayed) }
    }

    /// Address lines with their more-indented reasons below, until prose at the left margin.
    static func indentedEntries(_ lines: [Substring], from start: Int) -> [Entry] {
        var entries: [Entry] = []
        var indent = -1
        for line in lines.dropFirst(start) {
            let t = line.trimmingSpaces
            if t.isEmpty { continue }
            let i = line.utf8.prefix { $0 == 0x20 || $0 == 0x09 }.count
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
    static func sendmail(_ text: BounceText) -> [BounceResult]? {
        var results: [BounceResult] = []
        var from = 0
        while let index = text.firstLine(
            containing: "following addresses had permanent fatal errors",
            "following addresses had transient non-fatal errors", from: from)
        {
            from = index + 1
            let permanent = text.line(index, contains: "permanent fatal")
            var entries: [Entry] = []
            for line in text.lines.dropFirst(index + 1) {
                let t = line.trimmingSpaces
                if t.isEmpty || t.hasPrefix("-----") { break }
                if t.lowercased().hasPrefix("(reason:"), !entries.isEmpty {
                    entries[entries.count - 1].words.append(String(t.dropFirst(8).dropLast(t.hasSuffix(")") ? 1 : 0)))
                } else if let a = BounceAddress.leading(line) {
                    entries.append(Entry(address: a))
                }
            }
            for var e in entries {
                if e.words.isEmpty, let said = transcriptLine(text, naming: e.address) { e.words = [said] }
                results.append(e.result(.hard, delayed: !permanent))
            }
        }
        return results
    }

    /// The last reply line (`<<< 550 5.1.1 <a@b>... User unknown`) of a transcript naming an address.
    static func transcriptLine(_ text: BounceText, naming address: String) -> String? {
        let a = BounceText.asciiLowercased(address.utf8)
        guard
            let i = text.lines.indices.last(where: { i in
                let t = text.lines[i].trimmingSpaces
                let reply = t.hasPrefix("<<< ") ? t.dropFirst(4) : Substring(t)
                return BounceClassifier.basicCode(in: String(reply.prefix(4))) != nil && text.line(i, contains: a)
            })
        else { return nil }
        let t = text.lines[i].trimmingSpaces
        return t.hasPrefix("<<< ") ? String(t.dropFirst(4)) : t
    }

    /// Exchange and Office 365 NDR text: "Delivery has failed to these recipients or groups:" (2007
    /// on) or "The following recipient(s) cannot be reached:" (2003), each address followed by its
    /// explanation; the remote server's answer under "Diagnostic information for administrators".
    static func exchange(_ text: BounceText) -> [BounceResult]? {
        guard
            let trigger = text.firstLine(
                containing: "delivery has failed to these recipients", "the following recipient(s) cannot be reached",
                "delivery is delayed to these recipients", "your message couldn't be delivered")
        else { return nil }
        let delayed = text.line(trigger, contains: "delayed")
        let lines = text.lines
        let adminStart =
            text.firstLine(containing: "diagnostic information for administrators", from: trigger) ?? lines.count
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
        for k in entries.indices {
            let a = BounceText.asciiLowercased(entries[k].address.utf8)
            guard let at = lines.indices.dropFirst(adminStart).first(where: { text.line($0, contains: a) }) else {
                continue
            }
            if let said = remoteAnswer(lines[at..<min(lines.count, at + 4)]) { entries[k].words = [said] }
        }
        return entries.map { $0.result(.hard, delayed: delayed) }
    }

    /// "Remote Server returned '550 5.1.1 …'", or the reply alone on its line as Exchange 2007/2010
    /// write it (`#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##`).
    static func remoteAnswer(_ lines: ArraySlice<Substring>) -> String? {
        for l in lines {
            let t = l.trimmingSpaces
            if let r = t.range(of: "remote server returned", options: .caseInsensitive) {
                return t[r.upperBound...].trimmingSpaces.trimmingCharacters(in: quotes)
            }
            let reply = t.drop { $0 == "#" }
            if BounceClassifier.basicCode(in: String(reply.prefix(3))) != nil {
                return reply.trimmingCharacters(in: quotes)
            }
        }
        return nil
    }

    static let quotes = CharacterSet(charactersIn: "'\"# ")

    /// Gmail's text forms: "Delivery to the following recipient failed permanently:" (or "has been
    /// delayed:") with the server's words after "The error that the other server returned was:";
    /// and "Your message wasn't delivered to ADDRESS because …".
    static func gmail(_ text: BounceText) -> [BounceResult]? {
        let lines = text.lines
        var said: String?
        if let i = text.firstLine(
            containing: "the error that the other server returned was", "the response from the remote server was",
            "technical details of permanent failure")
        {
            let words = lines.dropFirst(i + 1).drop { $0.trimmingSpaces.isEmpty }.prefix { !$0.trimmingSpaces.isEmpty }
            if !words.isEmpty { said = words.map { $0.trimmingSpaces }.joined(separator: " ") }
        }
        if let i = text.firstLine(containing: "delivery to the following recipient") {
            let delayed = text.line(i, contains: "delayed")
            let addresses = lines.dropFirst(i + 1).drop { $0.trimmingSpaces.isEmpty }
                .prefix { BounceAddress.leading($0) != nil }.compactMap(BounceAddress.leading)
            return addresses.map { Entry(address: $0, words: said.map { [$0] } ?? []).result(.hard, delayed: delayed) }
        }
        if let i = text.firstLine(containing: "your message wasn't delivered to"),
            let r = lines[i].range(of: "delivered to ", options: .caseInsensitive),
            let a = BounceAddress.leading(lines[i][r.upperBound...])
        {
            return [Entry(address: a, words: said.map { [$0] } ?? [lines[i].trimmingSpaces]).result(.hard)]
        }
        return nil
    }

    /// What the mail system writes: `looksLikeBounce`, an empty `Return-Path` (RFC 5321 §4.5.5: a
    /// bounce is sent with a null reverse path) or any `Auto-Submitted` but `no`.
    static func isFromMailSystem(_ h: MessageHeaders) -> Bool {
        if h.first("return-path")?.filter({ $0 != " " }) == "<>" { return true }
        if let a = h.first("auto-submitted")?.trimmingSpaces.lowercased(), !a.isEmpty, a != "no" { return true }
        return looksLikeBounce(h)
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

    /// A bounce in no known form: the addresses of `X-Failed-Recipients`, else those its text names
    /// (lines with a reply code first) less the bounce's own, else the returned message's To; the
    /// whole text classifies them.
    static func generic(_ all: BounceText, headers: MessageHeaders, returned: MessageHeaders?) -> [BounceResult] {
        let lines = all.beforeCopy.lines
        let own = Set(
            ["from", "to", "return-path", "sender", "reply-to"].flatMap { headers.all($0) }.flatMap {
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
        // Exim and Gmail list the failed addresses in a header of their own: when present it is the MTA's word.
        var recipients = headers.all("x-failed-recipients").flatMap { BounceAddress.all(in: $0) }
        if recipients.isEmpty { recipients = candidates(coded) }
        if recipients.isEmpty { recipients = candidates(lines) }
        if recipients.isEmpty, let to = returned?.first("to") { recipients = BounceAddress.all(in: to) }
        let said = coded.first.map { DeliveryStatus.oneLine(String($0)) }
        let status = said.flatMap { BounceClassifier.enhancedStatus(in: $0) }
        let words = lines.joined(separator: " ")
        let kind = BounceClassifier.kind(status: status, diagnostic: said.map { $0 + " " + words } ?? words)
        if recipients.isEmpty { return [BounceResult(recipient: nil, kind: kind, status: status, diagnostic: said)] }
        return recipients.map { BounceResult(recipient: $0, kind: kind, status: status, diagnostic: said) }
    }
}
