import Foundation
import Outreach

extension API {
    /// `GET /preferences/{token}`: the person's lists, the public lists they may join, their
    /// language and channel, each with a form. It changes nothing: link scanners fetch every URL.
    func preferencesPage(_ req: HTTPRequest, token: String) -> Reply {
        switch preferencesTarget(req, token: token) {
        case .failure(let refusal): return refusal.reply
        case .success(let (t, contact)):
            do {
                let v = try preferencesView(contact, t)
                let s = PreferencesPage.language(locale: contact.locale, acceptLanguage: req.header("accept-language"))
                return .now(.html(200, PreferencesPage.render(v, token: token, s)))
            } catch {
                return .now(internalError(error, "show the preferences page").response)
            }
        }
    }

    /// `POST /preferences/{token}`: one change (`action` = leave, join, language or channel), form
    /// encoded, with the token again in the hidden field `token` (no cookies: the signed token is
    /// the capability). Answers the page again, saying what was done or why not.
    func updatePreferences(_ req: HTTPRequest, token: String) -> Reply {
        let (t, contact): (LinkToken, Contact)
        switch preferencesTarget(req, token: token) {
        case .failure(let refusal): return refusal.reply
        case .success(let target): (t, contact) = target
        }
        let form = Receipts.formFields(String(decoding: req.body, as: UTF8.self))
        let accept = req.header("accept-language")
        do {
            guard form["token"] == token, let change = Self.preferenceChange(form) else {
                let s = PreferencesPage.language(locale: contact.locale, acceptLanguage: accept)
                let v = try preferencesView(contact, t)
                return .now(
                    .html(400, PreferencesPage.render(v, token: token, s, notice: .refused(s.incomplete))))
            }
            let evidence = "POST from ip=\(req.clientAddress); user-agent=\(req.header("user-agent") ?? "-")"
            do {
                let changed = try Preferences.apply(
                    change, contact: contact, link: t, evidence: evidence, store: store, now: WallClock.nowMillis())
                let now = try store.contact(matching: String(contact.id!)) ?? contact
                if changed {
                    Log.info("contact \(contact.id!) changed their preferences: \(Self.describe(change))")
                    if case .join = change { wake(Set(snapshot.channels.keys)) }  // the list's events may queue mail
                }
                let s = PreferencesPage.language(locale: now.locale, acceptLanguage: accept)
                let v = try preferencesView(now, t)
                let text: String
                switch change {
                case _ where !changed: text = PreferencesPage.escape(s.unchanged)
                case .leave(let list):
                    text = PreferencesPage.fill(s.left, list: Self.title(list, store: store, lang: s.lang))
                case .join(let list):
                    text = PreferencesPage.fill(s.joined, list: Self.title(list, store: store, lang: s.lang))
                case .language, .channel: text = PreferencesPage.escape(s.saved)
                }
                return .now(.html(200, PreferencesPage.render(v, token: token, s, notice: .done(text))))
            } catch let refusal as PreferenceRefusal {
                let s = PreferencesPage.language(locale: contact.locale, acceptLanguage: accept)
                let v = try preferencesView(contact, t)
                let text = PreferencesPage.refusal(refusal, s, v)
                return .now(.html(409, PreferencesPage.render(v, token: token, s, notice: .refused(text))))
            }
        } catch {
            return .now(internalError(error, "change the preferences").response)
        }
    }

    /// The token's contact, when the token is a valid preferences link for a contact that exists;
    /// else the invalid-link page.
    private func preferencesTarget(_ req: HTTPRequest, token: String) -> Result<(LinkToken, Contact), LinkRefusal> {
        let lang = LinkPages.language(req.header("accept-language"))
        switch verified(token, .preferences, lang) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let t):
            let found: Contact?
            do {
                found = try t.contactID.flatMap { try store.contact(matching: String($0)) }
            } catch {
                return .failure(LinkRefusal(reply: .now(internalError(error, "find the link's contact").response)))
            }
            // A contact erased since, or a token without one: the link no longer works.
            guard let c = found, c.id == t.contactID else {
                return .failure(LinkRefusal(reply: .now(.html(404, LinkPages.invalid(lang, .malformed)))))
            }
            return .success((t, c))
        }
    }

    private func preferencesView(_ c: Contact, _ t: LinkToken) throws -> PreferencesView {
        try Preferences.view(
            contact: c, link: t, shippedLocales: snapshot.templates.shippedLocales, store: store)
    }

    /// The change a form asks for, or nil when it is incomplete.
    static func preferenceChange(_ form: [String: String]) -> PreferenceChange? {
        switch form["action"] {
        case "leave": return form["list"].flatMap { $0.isEmpty ? nil : .leave(list: $0) }
        case "join": return form["list"].flatMap { $0.isEmpty ? nil : .join(list: $0) }
        case "language": return form["locale"].flatMap { $0.isEmpty ? nil : .language($0) }
        case "channel": return form["channel"].flatMap { ChannelPreference(rawValue: $0) }.map { .channel($0) }
        default: return nil
        }
    }

    static func describe(_ c: PreferenceChange) -> String {
        switch c {
        case .leave(let l): return "left \(l)"
        case .join(let l): return "joined \(l)"
        case .language(let tag): return "language \(tag)"
        case .channel(let p): return "channel \(p.rawValue)"
        }
    }

    static func title(_ list: String, store: any Store, lang: String) -> String {
        ((try? store.list(named: list)) ?? nil).map { $0.details.titles(name: list).text(for: lang) } ?? list
    }
}
