import Foundation
import Outreach
import Testing

/// "Nothing is acknowledged before it is durable", seen in the system calls: SIGKILL keeps the
/// page cache, so only a trace shows a missing flush. Under `strace`, the write-ahead log must be
/// fdatasync'ed (or fsync'ed) after the request's rows were written to it and before the answer
/// (the 202 on the socket, or `send`'s line on stdout) is written.
@Suite(.serialized)
struct DurabilityTraceTests {
    /// One system call of the trace: where its line starts and where it completed (the same line,
    /// or the `resumed` line of an `<unfinished ...>` one), its fd's path and what it wrote.
    struct Call {
        var name: String
        var path: String
        var text: String
        var started: Int
        var completed: Int
    }

    /// Reads `strace -f -y -o` output (each line starts with the thread id).
    static func calls(_ log: String) -> [Call] {
        var out: [Call] = []
        var pending: [Substring: Int] = [:]
        for (n, raw) in log.split(separator: "\n").enumerated() {
            guard let space = raw.firstIndex(of: " ") else { continue }
            let tid = raw[..<space]
            let line = raw[raw.index(after: space)...].drop { $0 == " " }
            if line.hasPrefix("<... ") {
                if let i = pending.removeValue(forKey: tid) {
                    out[i].completed = n
                    out[i].text += line
                }
                continue
            }
            guard let paren = line.firstIndex(of: "("), line.first?.isLetter == true else { continue }
            var path = ""
            let args = line[line.index(after: paren)...]
            if let open = args.firstIndex(of: "<"), args[..<open].allSatisfy(\.isNumber),
                let close = args[open...].firstIndex(of: ">")
            {
                path = String(args[args.index(after: open)..<close])
            }
            out.append(Call(name: String(line[..<paren]), path: path, text: String(line), started: n, completed: n))
            if line.hasSuffix("<unfinished ...>") { pending[tid] = out.count - 1 }
        }
        return out
    }

    static let writes: Set<String> = ["write", "pwrite64", "writev", "pwritev", "pwritev2", "sendto", "sendmsg"]

    /// Checks the order around one acknowledgement; returns what is wrong, or nil.
    /// `marker` is in the rows written and `isAnswer` picks the write that acknowledges them.
    static func violation(_ calls: [Call], wal: String, marker: String, isAnswer: (Call) -> Bool) -> String? {
        let logWrites = calls.filter { writes.contains($0.name) && $0.path == wal }
        guard let rows = logWrites.first(where: { $0.text.contains(marker) }) else {
            return "no write to \(wal) holds \(marker): the trace does not show the rows"
        }
        let answers = calls.filter { writes.contains($0.name) && isAnswer($0) }
        guard let answer = answers.first(where: { $0.started > rows.completed }) else {
            return "no answer was written after the rows holding \(marker)"
        }
        // Every write to the log before the answer, the request's rows among them, must be flushed.
        let lastWrite = logWrites.filter { $0.completed < answer.started }.map(\.completed).max() ?? rows.completed
        let flushed = calls.contains {
            ($0.name == "fdatasync" || $0.name == "fsync") && $0.path == wal && $0.text.hasSuffix("= 0")
                && $0.started > lastWrite && $0.completed < answer.started
        }
        return flushed
            ? nil
            : "the write-ahead log was not flushed between the rows holding \(marker) "
                + "(trace line \(lastWrite + 1)) and the answer (trace line \(answer.started + 1))"
    }

    static func strace(_ log: String) -> [String] {
        [
            "strace", "-f", "-y", "-qq", "-s", "65536", "-o", log,
            "-e", "trace=write,pwrite64,writev,pwritev,pwritev2,sendto,sendmsg,fdatasync,fsync", "--",
        ]
    }

    static var hasStrace: Bool {
        (try? TestSupport.run("strace", ["-V"]).status) == 0
    }

    @Test func serveFlushesTheLogBeforeItsTwoHundredTwo() throws {
        #expect(Self.hasStrace, "strace is not installed; run scripts/install-deps.sh --test")
        guard Self.hasStrace else { return }
        let d = try DaemonHarness()
        let trace = d.dir + "/serve.trace"
        try d.start(wrapper: Self.strace(trace))
        // In the far future: no channel loop claims (and flushes) the deliveries meanwhile.
        var markers: [String] = []
        for n in 0..<3 {
            let marker = "durable-\(n)-\(UUID().uuidString.prefix(8).lowercased())@example.org"
            markers.append(marker)
            let r = try d.send(
                d.trigger(
                    #"{"template":"welcome","to":[{"email":"\#(marker)"}],"#
                        + #""send_at":"2099-01-01T00:00:00Z"}"#))
            #expect(r.status == 202, "\(r.body)")
        }
        // strace passes no SIGTERM on: stop the daemon itself, and strace ends with it.
        let children = (try? String(contentsOfFile: "/proc/\(d.pid)/task/\(d.pid)/children", encoding: .utf8)) ?? ""
        for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(child, SIGTERM) }
        #expect(d.stop().exited)
        let calls = Self.calls((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "")
        let wal = d.dir + "/data/outreach.db-wal"
        for marker in markers {
            let wrong = Self.violation(calls, wal: wal, marker: marker) { c in
                c.path.contains("TCP") || c.path.contains("socket") ? c.text.contains("HTTP/1.1 202") : false
            }
            #expect(wrong == nil, "\(wrong ?? "")")
        }
    }

    @Test func sendFlushesTheLogBeforeItSaysQueued() throws {
        #expect(Self.hasStrace, "strace is not installed; run scripts/install-deps.sh --test")
        guard Self.hasStrace else { return }
        let d = try DaemonHarness()
        let trace = d.dir + "/send.trace"
        let marker = "durable-send-\(UUID().uuidString.prefix(8).lowercased())@example.org"
        let r = try TestSupport.run(
            "strace",
            Array(Self.strace(trace).dropFirst())
                + [
                    TestSupport.outreachd, "--config", d.configPath, "send", "welcome",
                    "--to", marker, "--queue-only",
                ])
        #expect(r.status == 0, "\(r.stderr)")
        let calls = Self.calls((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "")
        let wrong = Self.violation(calls, wal: d.dir + "/data/outreach.db-wal", marker: marker) { c in
            c.name == "write" && c.text.hasPrefix("write(1<")
        }
        #expect(wrong == nil, "\(wrong ?? "")")
    }
}
