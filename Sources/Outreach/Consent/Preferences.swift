/// What a person changes on their preferences page (`GET /preferences/TOKEN`, one change per POST).
public enum PreferenceChange: Sendable, Equatable {
    /// Leave a list they are on.
    case leave(list: String)
    /// Join a public list.
    case join(list: String)
    /// The language their mail is written in (a BCP-47 tag).
    case language(String)
    /// Which of their email and phone an event with a channel for each writes to.
    case channel(ChannelPreference)
}

/// Why a change asked for on the preferences page was not made; the page says it to the person.
public enum PreferenceRefusal: Error, Equatable {
    /// No public list by that name (the page does not tell which other lists exist).
    case notJoinable(list: String)
    /// The link's address is suppressed for a reason this link does not lift (a bounce, an SMS
    /// STOP, an officer's suppression, or a no given after the link was sent).
    case suppressed(address: String, reason: SuppressionReason)
    /// They left the list after this link was sent: a newer mail's link, or a sign-up, brings them back.
    case leftAfterLink(list: String)
    case badLanguage(String)
    /// They have no address for that channel.
    case noAddress(ChannelPreference)
}

/// What a person's preferences page shows.
public struct PreferencesView: Sendable {
    public var contact: Contact
    /// The address the link was sent to.
    public var address: String
    /// The lists they are subscribed to, by name.
    public var subscribed: [MailingList]
    /// The public lists they are not subscribed to, by name.
    public var joinable: [MailingList]
    /// The languages offered: those the templates ship, and theirs.
    public var languages: [String]
    /// The channels they have an address for.
    public var channels: [ChannelPreference]
    /// Why the link's address gets no mail, when it is suppressed in a way that refuses a join by
    /// this link (nil for a no that joining by this link lifts).
    public var suppression: SuppressionReason?
}

/// The preferences page's rules, for every store: what the person sees and what each change does.
///
/// The link is the person's own (signed, sent to their address, made for their contact id): it
/// lets its holder leave any list, join a public one, and set their language and channel.
/// - Leaving is the unsubscribe rule (`ConsentAuthority.person`): it cancels the pending mail of
///   that list in the same transaction.
/// - Joining is their own opt-in (`ConsentAuthority.personByLink`): no confirmation mail even for a
///   double opt-in list, since the link proves they read the mailbox; an unsubscribe from that list
///   made after the link was sent stays (a no is final against an older link).
/// - A suppressed address: a complaint or an unsubscribe from all mail made before the link was
///   sent is lifted by joining, as a confirmed sign-up lifts it (`SuppressionLift.liftByOptIn`);
///   any other suppression (a bounce, STOP, an officer's, or a no after the link) refuses the join.
/// - Language and channel are written to the contact and logged (`setContactPreferences`).
/// Every change is a row with `source` and the request's evidence.
public enum Preferences {
    /// The consent source of every change made on the page.
    public static let source = "preferences page"

    /// The page for `contact`, reached by `link`.
    /// - Parameter shippedLocales: the locales the organisation's templates are written in.
    public static func view(
        contact: Contact, link: LinkToken, shippedLocales: [String], store: any Store
    ) throws -> PreferencesView {
        let states = try Dictionary(
            store.memberships(contactID: contact.id ?? -1).map { ($0.list, $0.state) }, uniquingKeysWith: { a, _ in a })
        let lists = try store.lists()
        let entry = try store.suppressionEntry(address: link.address)
        return PreferencesView(
            contact: contact, address: link.address,
            subscribed: lists.filter { states[$0.name] == .subscribed },
            joinable: lists.filter { $0.isPublic && states[$0.name] != .subscribed },
            languages: languages(shipped: shippedLocales, current: contact.locale),
            channels: channels(of: contact),
            suppression: entry.flatMap { liftedByJoining($0, link: link) ? nil : $0.reason })
    }

    /// The channels someone has an address for.
    public static func channels(of contact: Contact) -> [ChannelPreference] {
        ChannelPreference.allCases.filter { ($0 == .email ? contact.email : contact.phone) != nil }
    }

    /// The languages to choose from: those shipped, and the person's own if it is another, sorted.
    public static func languages(shipped: [String], current: String?) -> [String] {
        Array(Set(shipped.map(Locales.canonical) + [current].compactMap { $0 })).sorted()
    }

    /// Applies one change for the holder of `link` (a preferences link made for `contact`).
    /// - Parameters:
    ///   - evidence: how the request came (its IP and user agent), kept with the change.
    ///   - now: ms since 1970, for a suppression lifted.
    /// - Returns: whether anything changed (leaving a list one is not on changes nothing).
    /// - Throws: `PreferenceRefusal`, changing nothing; the store's errors.
    @discardableResult
    public static func apply(
        _ change: PreferenceChange, contact: Contact, link: LinkToken, evidence: String, store: any Store, now: Int64
    ) throws -> Bool {
        guard let id = contact.id else { return false }
        let consent = Consent(source: source, evidence: evidence)
        switch change {
        case .leave(let list):
            let state = try store.memberships(contactID: id).first { $0.list == list }?.state
            guard state == .subscribed || state == .pending else { return false }
            return try !store.setMembership(
                list: list, contactIDs: [id], state: .unsubscribed, consent: consent, by: .person
            ).changed.isEmpty
        case .join(let list):
            return try join(list, id: id, link: link, consent: consent, store: store, now: now)
        case .language(let tag):
            let tag = tag.trimmingSpaces
            guard Locales.isValid(tag) else { throw PreferenceRefusal.badLanguage(tag) }
            return try !store.setContactPreferences(
                contactID: id, locale: Locales.canonical(tag), preferredChannel: nil, consent: consent
            ).isEmpty
        case .channel(let channel):
            guard channels(of: contact).contains(channel) else { throw PreferenceRefusal.noAddress(channel) }
            return try !store.setContactPreferences(
                contactID: id, locale: nil, preferredChannel: channel, consent: consent
            ).isEmpty
        }
    }

    /// When the link was made (ms); a token without the time, from its expiry.
    static func issued(_ link: LinkToken) -> Int64 {
        link.issuedAt ?? (link.expires - LinkSigner.preferencesLifetime) * 1000
    }

    /// Whether joining by `link` lifts the suppression (the rule of `SuppressionLift.liftByOptIn`):
    /// their own no (a complaint, an unsubscribe from all mail) given before the link was made.
    static func liftedByJoining(_ entry: SuppressionEntry, link: LinkToken) -> Bool {
        (entry.reason == .complaint || entry.reason == .unsubscribed) && entry.since < issued(link)
    }

    private static func join(
        _ list: String, id: Int64, link: LinkToken, consent: Consent, store: any Store, now: Int64
    ) throws -> Bool {
        guard let l = try store.list(named: list), l.isPublic else { throw PreferenceRefusal.notJoinable(list: list) }
        let issuedAt = issued(link)
        var lift = false
        if let entry = try store.suppressionEntry(address: link.address) {
            guard liftedByJoining(entry, link: link) else {
                throw PreferenceRefusal.suppressed(address: link.address, reason: entry.reason)
            }
            lift = true
        }
        let current = try store.memberships(contactID: id).first { $0.list == list }
        let decision = MembershipDecision.decide(
            current: current?.state, changedAt: current?.at, requested: .subscribed,
            by: .personByLink(issuedAt: issuedAt))
        if decision == .unchanged, current?.state == .unsubscribed { throw PreferenceRefusal.leftAfterLink(list: list) }
        let changed = try !store.setMembership(
            list: list, contactIDs: [id], state: .subscribed, consent: consent, by: .personByLink(issuedAt: issuedAt)
        ).changed.isEmpty
        // After the membership, as a confirmation does: a crash between leaves them suppressed.
        if changed, lift {
            try SuppressionLift.liftByOptIn(
                address: link.address, issuedAt: issuedAt, note: "joined \(list) on their preferences page",
                joined: list, contactID: id, store: store, now: now)
        }
        return changed
    }
}
