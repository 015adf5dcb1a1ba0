/// A campaign operation refused, and why.
public enum CampaignError: Error, Equatable, CustomStringConvertible {
    /// The name is taken.
    case exists(String)
    /// No campaign has this name.
    case unknown(String)
    /// A cancelled campaign cannot be started.
    case cancelled(String)
    /// What to fix, as a sentence.
    case invalid(String)
    /// `start` found nobody to send to; nothing was queued and the campaign is still a draft.
    case reachesNobody(String, list: String, segment: Segment, channels: [CampaignChannel], reach: CampaignReach)
    /// A send time in the past, as the officer wrote it.
    case inThePast(String)
    /// Pause, resume or cancel of a campaign that has finished.
    case finished(String)
    /// Update (or, `deleting`, delete) of a campaign that was started or cancelled: what was
    /// queued stays as it was.
    case started(String, state: Campaign.State, deleting: Bool)
    /// `start` of a recurring campaign: it runs by itself at each of its times.
    case recurring(String)

    /// One sentence saying what was refused and what to do.
    public var description: String {
        switch self {
        case .exists(let n): return "A campaign named '\(n)' already exists."
        case .unknown(let n): return "There is no campaign named '\(n)'."
        case .cancelled(let n): return "The campaign '\(n)' was cancelled and cannot be started."
        case .invalid(let m): return m
        case .recurring(let n):
            return "The campaign '\(n)' is recurring: each run starts by itself at its time (see "
                + "`outreachd campaigns show \(n)`); pause, resume or cancel it instead."
        case .inThePast(let at): return "\(at) is in the past; use --now to send at once."
        case .finished(let n):
            return "The campaign '\(n)' has finished: no delivery is left to pause, resume or cancel."
        case .started(let n, let state, let deleting):
            let what = state == .cancelled ? "was cancelled" : "has started (\(state.rawValue))"
            return deleting
                ? "The campaign '\(n)' \(what), so it cannot be deleted: its deliveries stay for the report; "
                    + (state == .cancelled ? "it sends nothing more." : "cancel it instead.")
                : "The campaign '\(n)' \(what), so it cannot be changed: its deliveries are queued as they were. "
                    + "Pause or cancel it, and create a new campaign."
        case .reachesNobody(let n, let list, let segment, let channels, let r):
            var why: String
            if r.members == 0 {
                why = "the list '\(list)' has no subscribed members"
            } else if r.matching == 0 {
                let where_ = segment.clauses.map { "--where \($0)" }.joined(separator: " ")
                why =
                    "none of the \(r.members) subscribed member\(r.members == 1 ? "" : "s") of '\(list)' "
                    + "match\(r.members == 1 ? "es" : "") \(where_)"
            } else if r.withAddress == 0 {
                let fields = channels.map { "\($0.name) (\($0.attribute ?? $0.address.rawValue))" }
                why =
                    r.matching == 1
                    ? "the one member it selects has no address for "
                    : "none of the \(r.matching) members it selects has an address for "
                why += fields.joined(separator: " or ")
            } else {
                why =
                    "\(r.suppressed == 1 ? "the one address" : "all \(r.suppressed) addresses") it would "
                    + "send to \(r.suppressed == 1 ? "is" : "are") suppressed (bounced, complained or "
                    + "unsubscribed from everything)"
            }
            return "The campaign '\(n)' reaches nobody: \(why). Nothing was queued; it is still a draft, to start "
                + "again once it reaches someone."
        }
    }
}
