/// A write the store could not make for want of a usable disk — full, read-only or failing — or,
/// for a database server, for want of the server (unreachable), as opposed to a fault of the request: nothing of it was kept, and the same request can succeed
/// once an operator has made room (the HTTP API answers 503 with `Retry-After`).
public struct StorageUnavailable: Error, CustomStringConvertible, Sendable {
    public enum Cause: Sendable { case full, readOnly, failing, unreachable }
    public var cause: Cause

    /// The cause behind `error`, or nil when the disk is not to blame.
    public init?(_ error: any Error) {
        if let e = error as? StorageUnavailable {
            self = e
        } else if let e = error as? SQLiteError, let cause = e.storageCause {
            self.cause = cause
        } else if let e = error as? PostgresError, let cause = e.storageCause {
            self.cause = cause
        } else if case .syncFailed? = error as? StoreError {
            cause = .failing
        } else {
            return nil
        }
    }

    public init(_ cause: Cause) { self.cause = cause }

    /// What is wrong, as the end of a sentence ("…: the disk holding the data directory is full").
    public var reason: String {
        switch cause {
        case .full: return "the disk holding the data directory is full"
        case .readOnly: return "the data directory is read-only"
        case .failing: return "the disk holding the data directory fails to write"
        case .unreachable: return "the database cannot be reached"
        }
    }

    public var description: String { "The store cannot take writes: \(reason)." }
}
