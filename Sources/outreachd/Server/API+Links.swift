import Foundation
import Outreach

extension API {
    /// `GET /confirm/{token}`: a page with a button. It changes nothing, so a mail scanner that
    /// fetches the link (today or a year later) confirms nobody.
    func confirmPage(_ req: HTTPRequest, token: String) -> Reply {
        let t: LinkToken
        switch verified(token, .confirm, LinkPages.language(req.header("accept-language"))) {
        case .success(let token): t = token
        case .failure(let refusal): return refusal.reply
        }
        let lang = LinkPages.language([(try? contact(for: t))??.locale, req.header("accept-language")])
        return .now(.html(200, LinkPages.confirmForm(lang, list: title(of: t.list, lang), address: t.address)))
    }

    /// `POST /confirm/{token}`: the person's own opt-in. It turns `pending` into `subscribed`, and
    /// lifts an unsubscribe only when the link was issued after it (a fresh sign-up); an old link
    /// replayed after an unsubscribe changes nothing.
    func confirm(_ req: HTTPRequest, token: String) -> Reply {
        let lang = LinkPages.language(req.header("accept-language"))
        let t: LinkToken
        switch verified(token, .confirm, lang) {
        case .success(let token): t = token
        case .failure(let refusal): return refusal.reply
        }
        do {
            guard try store.list(named: t.list) != nil,
                let c = try contact(for: t),
                let id = c.id
            else {
                return .now(.html(404, LinkPages.invalid(lang, .malformed)))
            }
            let l = LinkPages.language([c.locale, req.header("accept-language")])
            let title = title(of: t.list, l)
            let issuedAt = t.issuedAt ?? (t.expires - LinkSigner.confirmLifetime) * 1000
            let changes = try store.setMembership(
                list: t.list, contactIDs: [id], state: .subscribed,
                consent: Consent(source: "double-opt-in", evidence: "confirmed by link from ip=\(req.clientAddress)"),
                by: .personConfirmed(issuedAt: issuedAt))
            if !changes.changed.isEmpty {
                Log.info("contact \(id) confirmed the subscription to \(t.list)")
                // Their own opt-in: it lifts their earlier complaint or unsubscribe from all mail
                // (after the membership: a crash between leaves them suppressed, never the reverse).
                if let email = c.email {
                    try SuppressionLift.liftByOptIn(
                        address: email, issuedAt: issuedAt, note: "confirmed a sign-up to \(t.list) by link",
                        joined: t.list, contactID: id, store: store, now: WallClock.nowMillis())
                }
                wake(Set(snapshot.channels.keys))  // the list's events may have queued an invitation for them
                return .now(.html(200, LinkPages.confirmed(l, list: title)))
            }
            let now = try store.memberships(contactID: id).first { $0.list == t.list }?.state
            if now == .subscribed { return .now(.html(200, LinkPages.confirmed(l, list: title))) }
            return .now(.html(409, LinkPages.stale(l, list: title)))
        } catch {
            return .now(internalError(error, "confirm the subscription").response)
        }
    }

    /// `GET /unsubscribe/{token}`: a page with a button. It changes nothing, so link scanners that
    /// fetch every URL in a mail cannot unsubscribe anyone.
    func unsubscribePage(_ req: HTTPRequest, token: String) -> Reply {
        let t: LinkToken
        switch verified(token, .unsubscribe, LinkPages.language(req.header("accept-language"))) {
        case .success(let token): t = token
        case .failure(let refusal): return refusal.reply
        }
        let lang = LinkPages.language([(try? contact(for: t))??.locale, req.header("accept-language")])
        return .now(.html(200, LinkPages.unsubscribeForm(lang, list: title(of: t.list, lang), address: t.address)))
    }

    /// `POST /unsubscribe/{token}`: RFC 8058 one-click (body `List-Unsubscribe=One-Click`), also
    /// what the page's button sends. Unsubscribes from the token's list and records the consent change.
    func unsubscribe(_ req: HTTPRequest, token: String) -> Reply {
        let lang = LinkPages.language(req.header("accept-language"))
        let t: LinkToken
        switch verified(token, .unsubscribe, lang) {
        case .success(let token): t = token
        case .failure(let refusal): return refusal.reply
        }
        guard Self.isOneClick(req) else {
            return .now(
                .error(400, "body: must be List-Unsubscribe=One-Click (RFC 8058), form-encoded or multipart/form-data"))
        }
        do {
            let contact = try self.contact(for: t)
            let consent = Consent(
                source: "one-click",
                evidence: "POST from ip=\(req.clientAddress); user-agent=\(req.header("user-agent") ?? "-")")
            let listExists = t.list.isEmpty ? false : try store.list(named: t.list) != nil
            if !listExists || contact == nil {
                // No list (or it is gone), or nobody to find: the address itself gets no more list mail.
                try store.suppress(address: t.address, reason: .unsubscribed, detail: "one-click unsubscribe")
            } else if let id = contact?.id {
                try store.setMembership(list: t.list, contactIDs: [id], state: .unsubscribed, consent: consent)
            }
            Log.info(
                "unsubscribed \(contact?.id.map { "contact \($0)" } ?? "an address") from \(t.list.isEmpty ? "all lists" : t.list) (one-click)"
            )
            let l = LinkPages.language([contact?.locale, req.header("accept-language")])
            return .now(.html(200, LinkPages.unsubscribed(l, list: title(of: t.list, l), address: t.address)))
        } catch {
            return .now(internalError(error, "unsubscribe").response)
        }
    }

    static func isOneClick(_ req: HTTPRequest) -> Bool {
        if req.mediaType == "multipart/form-data" {
            // One part named List-Unsubscribe whose value is One-Click.
            let text = String(decoding: req.body, as: UTF8.self)
            guard let r = text.range(of: "name=\"List-Unsubscribe\"") else { return false }
            guard let blank = text.range(of: "\r\n\r\n", range: r.upperBound..<text.endIndex) else { return false }
            return text[blank.upperBound...].hasPrefix("One-Click")
        }
        return Receipts.formFields(String(decoding: req.body, as: UTF8.self))["List-Unsubscribe"] == "One-Click"
    }

    /// What a page calls a list: its title in the page's language, else its name; empty for none
    /// (the page then says "our mailings").
    private func title(of list: String, _ lang: LinkPages.Strings) -> String {
        guard !list.isEmpty, let l = try? store.list(named: list) else { return list }
        return l.details.titles(name: l.name).text(for: lang.lang)
    }

    /// The contact a link was made for, even if their address changed since; else whoever has
    /// the link's address now.
    private func contact(for t: LinkToken) throws -> Contact? {
        try t.contactID.flatMap { try store.contact(matching: String($0)) } ?? store.contact(matching: t.address)
    }

    /// A link's token if it is ours, unexpired and for `action`; else the page that says why.
    func verified(_ token: String, _ action: LinkToken.Action, _ lang: LinkPages.Strings) -> Result<
        LinkToken, LinkRefusal
    > {
        do {
            let t = try links.verify(token)
            guard t.action == action else {
                return .failure(LinkRefusal(reply: .now(.html(404, LinkPages.invalid(lang, .malformed)))))
            }
            return .success(t)
        } catch {
            return .failure(
                LinkRefusal(reply: .now(.html(error == .expired ? 410 : 404, LinkPages.invalid(lang, error)))))
        }
    }
}

/// The answer to a link that cannot be used.
struct LinkRefusal: Error {
    let reply: Reply
}
