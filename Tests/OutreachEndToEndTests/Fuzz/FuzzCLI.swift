import Foundation
import OutreachTestFixtures
import Outreach
import Synchronization
import Testing

/// Runs `outreachd` on a fuzzed input and judges what it did: no crash, no hang, a known exit
/// status, and for exit 1 one line per message.
enum FuzzCLI {
    /// How the command lists problems on stderr before it exits 1.
    enum Listing {
        /// One sentence (render, and every command whose input could not be read at all).
        case single
        /// `contacts import`: one line per bad row, then "… has N invalid rows (listed above) …".
        case importRows
        /// `check`: one line per problem and per warning, then "N problems found.".
        case check
        /// `check --json`: the problems are a JSON list on stdout, each one line.
        case checkJSON
    }

    struct Outcome {
        var status: Int32
        var signal: Int32?
        var timedOut: Bool
        var stderr: String
        var stdout: [UInt8]
    }

    static let deadline: TimeInterval = 20

    /// Runs the built binary with stdout discarded and stderr kept; kills it after `deadline`.
    static func run(_ arguments: [String], in dir: String) throws -> Outcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestSupport.outreachd)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let errPath = dir + "/stderr"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer { try? err.close() }
        p.standardError = err
        let outPath = dir + "/stdout"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        defer { try? out.close() }
        p.standardOutput = out
        p.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        try p.run()
        var timedOut = false
        if done.wait(timeout: .now() + deadline) == .timedOut {
            timedOut = true
            kill(p.processIdentifier, SIGKILL)
            done.wait()
        }
        let text =
            (try? String(contentsOfFile: errPath, encoding: .utf8))
            ?? String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        return Outcome(
            status: p.terminationStatus, signal: p.terminationReason == .uncaughtSignal ? p.terminationStatus : nil,
            timedOut: timedOut, stderr: text, stdout: Array(FileManager.default.contents(atPath: outPath) ?? Data()))
    }

    /// What is wrong with an outcome, or nil when it keeps the promises.
    static func problem(_ o: Outcome, _ listing: Listing) -> String? {
        if o.timedOut { return "did not finish within \(Int(deadline)) s" }
        if let s = o.signal { return "killed by signal \(s)" }
        for crash in ["Fatal error", "Stack dump", "Current stack trace", "backtrace", "Illegal instruction"]
        where o.stderr.contains(crash) {
            return "crash text '\(crash)' on stderr"
        }
        guard [0, 1, 2].contains(o.status) else { return "exit status \(o.status)" }
        guard o.status == 1 else { return nil }
        if listing == .checkJSON, !o.stdout.isEmpty {
            guard let j = try? JSON.parse(o.stdout), j["ok"] == .bool(false), let list = j["problems"]?.arrayValue,
                !list.isEmpty
            else { return "exit 1 without a JSON list of problems" }
            if let p = list.first(where: { $0.stringValue?.contains("\n") != false }) {
                return "a problem of many lines: \(p)"
            }
            return nil
        }
        guard o.stderr.hasSuffix("\n") else { return "exit 1 without a message line" }
        // Progress lines ("importing: 1/2 (50%)") go to stderr too, by design; they are not messages.
        let lines = o.stderr.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !($0.hasPrefix("importing: ") && $0.hasSuffix("%)")) }
        if lines.contains(where: \.isEmpty) { return "an empty line in the error output" }
        // A raw control character means input was echoed unescaped: a CR or ESC rewrites the line.
        if let bad = o.stderr.unicodeScalars.first(where: {
            $0.value < 0x20 && $0 != "\n" && $0 != "\t" || $0.value == 0x7F
        }) {
            return "control character U+\(String(bad.value, radix: 16)) in the error output"
        }
        guard let lastLine = lines.last else { return "exit 1 without a message line" }
        let last = String(lastLine)
        switch listing {
        case .single:
            if lines.count != 1 { return "\(lines.count) lines for one error" }
        case .importRows:
            if let n = count(in: last, before: " invalid row") {
                if lines.count != n + 1 { return "\(n) invalid rows reported in \(lines.count - 1) lines" }
            } else if lines.count != 1 {
                return "\(lines.count) lines for one error"
            }
        case .check, .checkJSON:
            if last.hasSuffix(" found."), let n = Int(last.prefix { $0.isNumber }) {
                let messages = lines.dropLast().filter { !$0.hasPrefix("warning: ") }.count
                if messages != n { return "\(n) problems reported in \(messages) lines" }
            } else if lines.count != 1 {
                return "\(lines.count) lines for one error"
            }
        }
        return nil
    }

    /// The number just before `marker` in `line` ("x.csv has 3 invalid rows" → 3).
    private static func count(in line: String, before marker: String) -> Int? {
        guard let r = line.range(of: marker) else { return nil }
        let digits = line[..<r.lowerBound].reversed().prefix { $0.isNumber }
        return Int(String(digits.reversed()))
    }

    /// Runs `cases` (numbered) on two lanes and records each failure with its seed and number.
    static func fuzz(
        _ target: String, count: Int, _ body: @escaping @Sendable (Int, inout SplitMix64) throws -> String?
    ) {
        let settings = FuzzSettings.current
        let indices = settings.indices(count)
        let failures = FailureList()
        let slowest = FailureList()
        let started = Date()
        DispatchQueue.concurrentPerform(iterations: 2) { lane in
            for i in indices where i % 2 == lane || indices.count == 1 && lane == 0 {
                var rng = SplitMix64.forCase(seed: settings.seed, target: target, index: i)
                let t0 = Date()
                do {
                    if let p = try body(i, &rng) { failures.add(i, p) }
                } catch {
                    failures.add(i, "the harness failed: \(error)")
                }
                slowest.note(i, Date().timeIntervalSince(t0))
            }
        }
        FuzzSettings.report(
            "fuzz \(target): \(indices.count) cases, seed \(settings.seedText), "
                + "\(String(format: "%.1f", Date().timeIntervalSince(started))) s, \(failures.all.count) failed; "
                + "slowest: "
                + slowest.all.map { "case \($0.0) \($0.1)" }.joined(separator: ", "))
        for (i, p) in failures.all.sorted(by: { $0.0 < $1.0 }).prefix(20) {
            Issue.record("\(settings.reproduce(target, i)): \(p)")
        }
    }

    final class FailureList: Sendable {
        private let items = Mutex<[(Int, String)]>([])
        func add(_ i: Int, _ p: String) { items.withLock { $0.append((i, p)) } }
        var all: [(Int, String)] { items.withLock { $0 } }
        /// Keeps the three slowest cases (as "1.2 s").
        func note(_ i: Int, _ seconds: TimeInterval) {
            items.withLock { list in
                list.append((i, String(format: "%.1f s", seconds)))
                list.sort { Double($0.1.dropLast(2))! > Double($1.1.dropLast(2))! }
                if list.count > 3 { list.removeLast() }
            }
        }
    }
}
