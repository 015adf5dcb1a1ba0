import Outreach

extension Daemon {
    /// On start, before the channel loops claim: deliveries leased by a process of this host that is
    /// no longer running (the one this restart replaces, killed) are taken over at once instead of
    /// after their lease. A failure here only delays them until the lease expires.
    static func resumeLeasesOfStoppedProcesses(_ store: any Store) {
        do {
            let n = try store.expireLeasesOfStoppedProcesses()
            guard n > 0 else { return }
            Log.notice(
                "resuming \(n) deliveries at once: their lease was held by a process of this host "
                    + "that is no longer running")
        } catch {
            Log.warning(
                "could not take over the leases of stopped processes; they resume when they expire: "
                    + CLI.sentence(error))
        }
    }
}
