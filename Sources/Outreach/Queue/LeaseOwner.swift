import Foundation
import Glibc

/// Who holds a delivery's lease: `HOST:PID:TICKS.BOOT.PIDNS:NONCE` — the process's start time in
/// clock ticks since boot (field 22 of /proc/PID/stat), the first characters of the boot's id and
/// the pid namespace. With them a restart can tell that a holder has died (same host, boot and
/// namespace; no process with that pid and start time) and take its deliveries over at once.
/// A pid reused by another process has another start time.
public struct LeaseOwner: Sendable, Equatable {
    public var host: String
    public var pid: Int32
    /// Nil when /proc could not be read: such a holder is never judged to have died.
    public var startTicks: UInt64?
    public var boot: String
    public var pidNamespace: String
    public var nonce: String

    public var text: String {
        "\(host):\(pid):\(startTicks.map(String.init) ?? "-").\(boot).\(pidNamespace):\(nonce)"
    }

    /// Reads an owner written by `text`; nil for other owners (older versions wrote `HOST:PID:NONCE`).
    public init?(_ text: String) {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 4, let pid = Int32(fields[1]), pid > 0 else { return nil }
        let start = fields[2].split(separator: ".", omittingEmptySubsequences: false)
        guard start.count == 3 else { return nil }
        self.host = String(fields[0])
        self.pid = pid
        self.startTicks = UInt64(start[0])
        self.boot = String(start[1])
        self.pidNamespace = String(start[2])
        self.nonce = String(fields[3])
    }

    init(host: String, pid: Int32, startTicks: UInt64?, boot: String, pidNamespace: String, nonce: String) {
        (self.host, self.pid, self.startTicks, self.boot, self.pidNamespace, self.nonce) =
            (host, pid, startTicks, boot, pidNamespace, nonce)
    }

    /// This process, with a fresh nonce (each worker has its own owner).
    public static func current() -> LeaseOwner {
        let here = Machine.current
        return LeaseOwner(
            host: here.host, pid: getpid(), startTicks: here.startTicks, boot: here.boot,
            pidNamespace: here.pidNamespace, nonce: Crypto.hex(Crypto.randomBytes(3)))
    }

    /// Whether the holder has certainly stopped: it ran on this machine (host, boot and pid
    /// namespace all match) and its pid is free, a zombie, or now another process. Anything else —
    /// another host, another boot (which may be another machine of the same name), /proc not
    /// readable — waits for the lease to expire.
    public var isGone: Bool { isGone(on: .current) }

    func isGone(on here: Machine) -> Bool {
        guard host == here.host, boot == here.boot, pidNamespace == here.pidNamespace, !boot.isEmpty,
            !pidNamespace.isEmpty, let ticks = startTicks
        else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        guard let now = Self.stat(of: pid) else { return false }
        return now.zombie || now.startTicks != ticks
    }

    /// What the owner records of the machine it runs on.
    struct Machine: Sendable {
        var host: String
        var boot: String
        var pidNamespace: String
        var startTicks: UInt64?

        static let current: Machine = {
            var name = [UInt8](repeating: 0, count: 256)
            let host =
                name.withUnsafeMutableBufferPointer { b in
                    gethostname(UnsafeMutableRawPointer(b.baseAddress!).assumingMemoryBound(to: CChar.self), b.count)
                        == 0
                } ? String(decoding: name.prefix { $0 != 0 }, as: UTF8.self) : "localhost"
            let bootID = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? ""
            // "pid:[4026531836]": the namespace's inode.
            let ns = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid")) ?? ""
            return Machine(
                host: host.replacingOccurrences(of: ":", with: "_"),
                boot: String(bootID.filter(\.isHexDigit).prefix(8)),
                pidNamespace: String(ns.filter(\.isNumber)),
                startTicks: LeaseOwner.stat(of: getpid())?.startTicks)
        }()
    }

    /// Fields 3 (state) and 22 (start time) of /proc/PID/stat; nil when it cannot be read.
    static func stat(of pid: Int32) -> (startTicks: UInt64, zombie: Bool)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = UInt64(fields[19]) else { return nil }
        return (ticks, fields[0] == "Z" || fields[0] == "X")
    }
}
