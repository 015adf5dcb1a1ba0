/// A duty that one node of several does (docs/scale-out.md, "One leader per duty"). Each is safe
/// to do on every node (a campaign's row is locked, a reminder runs once per key); a leader only
/// saves the others the look.
public enum Duty: Int, CaseIterable, Sendable {
    /// Scheduled campaigns' starts and recurring campaigns' runs.
    case campaigns = 1
    /// Event reminders fanned out when due.
    case reminders = 2
    /// Periodic clean-up.
    case housekeeping = 3
    /// Reading the bounce mailbox.
    case bounceMailbox = 4
}

/// Who does each `Duty` now. On PostgreSQL a session-level advisory lock per duty, on a session
/// of its own: held until that session ends (the node stopped, died or lost the server), then
/// taken by the next node that asks. One SQLite file is one host: it always leads.
public protocol DutyLeadership: AnyObject, Sendable {
    /// Whether this node leads `duty`: true when it holds it, or took it now because no other
    /// node holds it. False, not an error, when the database cannot be reached (a node cut off
    /// from the database leads nothing).
    func leads(_ duty: Duty) -> Bool
    /// Gives up every duty (drain), so another node takes them at its next look.
    func resignDuties()
}
