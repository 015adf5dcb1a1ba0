/// Who asks for a change of membership. A "no" is final: only the person's own opt-in, or an
/// officer who records that opt-in as evidence, turns an unsubscribe back into a subscription.
public enum ConsentAuthority: Sendable, Equatable {
    /// A CSV import: never changes an unsubscribe.
    case importer
    /// An officer at the CLI: refused on an unsubscribed member.
    case officer
    /// An officer recording the person's own request (`--resubscribe --evidence`).
    case officerResubscribe
    /// The person themselves: a confirmation link issued at `issuedAt` (ms). It cannot undo an
    /// unsubscribe made after it was issued, so an old link replayed by a mail scanner changes nothing.
    case personConfirmed(issuedAt: Int64)
    /// The person joining a public list from their own preferences page, by a link issued at
    /// `issuedAt` (ms) to their address: joins a list they are not on, or confirms a pending
    /// membership (the link proves they read that mailbox, so a double opt-in list needs no other
    /// confirmation); lifts an unsubscribe only when the link was issued after it, as a confirmation does.
    case personByLink(issuedAt: Int64)
    /// The person leaving (one-click, link page, SMS STOP) or anyone removing them: always allowed.
    case person
    /// A public sign-up form: anyone can fill it in with anyone's address, so it never lifts an
    /// unsubscribe (the person is sent a confirmation instead).
    case signUpForm
}

/// What a requested membership change does, decided in one place for every entry point.
public enum MembershipDecision: Sendable, Equatable {
    case apply
    case unchanged
    /// An import found the member unsubscribed and left it so.
    case keptUnsubscribed
    /// An officer asked to subscribe someone who unsubscribed, without evidence.
    case refused
}

extension MembershipDecision {
    /// The rule. `current` is nil when the contact is not on the list; `changedAt` is when the
    /// current state was set (ms).
    public static func decide(
        current: MembershipState?, changedAt: Int64?, requested: MembershipState,
        by authority: ConsentAuthority
    ) -> MembershipDecision {
        if current == requested { return .unchanged }
        switch requested {
        case .unsubscribed:
            // Leaving is always possible, by anyone; for someone not on the list it records the no.
            return .apply
        case .pending:
            // A sign-up never demotes a member, and never lifts an unsubscribe by itself (the
            // person confirms by their own link instead).
            return current == nil ? .apply : .unchanged
        case .subscribed:
            guard current == .unsubscribed else {
                if case .personConfirmed = authority, current != .pending { return .unchanged }
                return .apply
            }
            switch authority {
            case .importer: return .keptUnsubscribed
            case .officer: return .refused
            case .officerResubscribe: return .apply
            case .personConfirmed(let issuedAt), .personByLink(let issuedAt):
                // Strictly after: a link of the same instant (or, for an old link that carries only
                // whole seconds, of the same second) is taken as made before the unsubscribe.
                return issuedAt > (changedAt ?? 0) ? .apply : .unchanged
            case .person, .signUpForm: return .refused
            }
        }
    }
}
