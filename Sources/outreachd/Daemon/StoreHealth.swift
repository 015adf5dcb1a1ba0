import Foundation
import Glibc
import Outreach
import Synchronization

/// Whether the store takes writes, for `/healthz`, which itself never touches the disk.
///
/// Two sources: a write refused for want of disk marks the store unwritable, and the main loop,
/// every few seconds, tries a write that changes nothing until one succeeds (a trigger that
/// succeeds clears the mark too) — without that, a balancer that stopped sending after the first
/// 503 would never see the recovery. And the free space of the data directory's file system, read
/// by the same loop, so a full disk shows before any write failed. And whether the database
/// answers (`Store.checkReachable`: PostgreSQL's `SELECT 1`), asked by the same loop on a thread of
/// its own so a server that hangs never holds the loop up: a probe still waiting after
/// `probeTimeoutMillis` counts as unreachable.
final class StoreHealth: Sendable {
    /// How long the database may take to answer the probe.
    static let probeTimeoutMillis = 3_000
    /// Less free space than this counts as full: a group commit writes several pages.
    static let minimumFreeBytes: UInt64 = 1 << 20

    private struct State {
        var failure: StorageUnavailable?
        var lowSpace = false
        /// Why the database did not answer the last probe; nil when it did.
        var unreachable: String?
        /// When the probe in flight started (uptime ns); nil when none is.
        var probeStarted: UInt64?
    }

    private let state = Mutex(State())
    /// Mirrors `state.failure != nil`, so a successful trigger checks it without the lock.
    private let marked = Atomic<Bool>(false)
    let directory: String

    init(directory: String) { self.directory = directory }

    /// Why the store cannot take writes now, as `/healthz`'s status and a sentence; nil when it can.
    var problem: (status: String, sentence: String)? {
        state.withLock { s in
            if let u = s.unreachable { return ("unreachable", u) }
            if let f = s.failure { return ("unwritable", f.description) }
            if s.lowSpace { return ("unwritable", StorageUnavailable(.full).description) }
            return nil
        }
    }

    /// A write failed for want of disk.
    func failed(_ u: StorageUnavailable) {
        state.withLock { $0.failure = u }
        marked.store(true, ordering: .relaxed)
    }

    /// A write succeeded.
    func succeeded() {
        guard marked.load(ordering: .relaxed) else { return }
        clear()
    }

    private func clear() {
        let was = state.withLock { s -> Bool in
            defer { s.failure = nil }
            return s.failure != nil
        }
        marked.store(false, ordering: .relaxed)
        if was { Log.notice("the store takes writes again") }
    }

    /// Run by the main loop: asks whether the database answers, reads the free space, and probes
    /// the store while it is marked.
    func check(_ store: any Store) {
        probeReachable(store)
        var fs = statvfs()
        if statvfs(directory, &fs) == 0 {
            // root may use the blocks reserved for it; anyone else only the available ones.
            let blocks = geteuid() == 0 ? UInt64(fs.f_bfree) : UInt64(fs.f_bavail)
            let low = blocks.multipliedReportingOverflow(by: UInt64(fs.f_frsize)).partialValue < Self.minimumFreeBytes
            let changed = state.withLock { s -> Bool in
                defer { s.lowSpace = low }
                return s.lowSpace != low
            }
            if changed {
                if low {
                    Log.error("less than 1 MiB is free in \(directory); /healthz reports the store unwritable")
                } else {
                    Log.notice("\(directory) has free space again")
                }
            }
        }
        guard marked.load(ordering: .relaxed) else { return }
        do {
            try store.probeWrite()
            clear()
        } catch {
            if let u = StorageUnavailable(error) { state.withLock { $0.failure = u } }
        }
    }

    /// Starts a probe unless one is in flight; one in flight for too long marks the database unreachable.
    private func probeReachable(_ store: any Store) {
        let now = DispatchTime.now().uptimeNanoseconds
        let start = state.withLock { s -> Bool in
            guard let started = s.probeStarted else {
                s.probeStarted = now
                return true
            }
            if now - started > UInt64(Self.probeTimeoutMillis) * 1_000_000, s.unreachable == nil {
                s.unreachable = "The database did not answer within \(Self.probeTimeoutMillis / 1000) s."
                Log.error("the database did not answer within \(Self.probeTimeoutMillis / 1000) s; /healthz reports it")
            }
            return false
        }
        guard start else { return }
        DispatchQueue.global().async {
            var failure: String?
            do { try store.checkReachable(timeoutMillis: Self.probeTimeoutMillis) } catch {
                let reason = "\(error)"
                failure = "The database does not answer: " + reason + (reason.hasSuffix(".") ? "" : ".")
            }
            let was = self.state.withLock { s -> String? in
                defer {
                    s.unreachable = failure
                    s.probeStarted = nil
                }
                return s.unreachable
            }
            if let failure, was == nil { Log.error(failure + " /healthz reports it until it does.") }
            if failure == nil, was != nil { Log.notice("the database answers again") }
        }
    }
}
