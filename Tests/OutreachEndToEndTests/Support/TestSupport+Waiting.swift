import Foundation

/// A condition or a peer that was not there in time: says which, and what the peer printed.
struct NotReadyError: Error, CustomStringConvertible {
    let description: String
}

extension TestSupport {
    /// Polls `condition` every `interval` seconds until it holds; throws naming `what` once `seconds` have passed.
    /// Waits poll a condition with a deadline, never a fixed sleep: a slow machine only waits longer, and a
    /// condition that never comes fails the test instead of letting it run on.
    static func waitFor(
        _ what: String, seconds: Double = 30, interval: Double = 0.05,
        _ condition: () throws -> Bool
    ) throws {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while try !condition() {
            guard Date() < deadline else {
                throw NotReadyError(description: "timed out after \(Int(seconds)) s waiting for \(what)")
            }
            usleep(useconds_t(interval * 1_000_000))
        }
    }

    /// Waits until a peer it started has created `readyFile`. Throws, naming the peer and quoting the end of
    /// `stderrFile`, when the peer exits first or is still not ready after `seconds`: a test must never go on
    /// without its peer (a refusal "passes" just as well when nobody is listening).
    static func waitForPeer(
        _ peer: String, readyFile: String, process: Process, stderrFile: String? = nil,
        seconds: Double = 30
    ) throws {
        let deadline = Date(timeIntervalSinceNow: seconds)
        let files = FileManager.default
        while !files.fileExists(atPath: readyFile) {
            let why: String
            if !process.isRunning {
                if files.fileExists(atPath: readyFile) { return }  // ready just before it exited
                why = "exited with status \(process.terminationStatus) before it was ready"
            } else if Date() >= deadline {
                why = "was not ready after \(Int(seconds)) s (no \(readyFile))"
            } else {
                usleep(20_000)
                continue
            }
            throw NotReadyError(description: "\(peer) \(why)" + stderrTail(stderrFile))
        }
    }

    /// Reads a peer's first line of standard output, which must be "ready"; throws naming the peer otherwise
    /// (an empty read means it exited before it was listening).
    static func readReadyLine(_ peer: String, from pipe: Pipe, process: Process) throws {
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("ready") else {
            if !process.isRunning { process.waitUntilExit() }
            let status = process.isRunning ? "" : " (exit status \(process.terminationStatus))"
            throw NotReadyError(
                description: "\(peer) did not say it was ready\(status); it printed \(line.debugDescription)")
        }
    }

    /// A new empty file opened for a peer's stderr, so a readiness error can quote it.
    static func stderrFile(_ path: String) -> FileHandle? {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return FileHandle(forWritingAtPath: path)
    }

    private static func stderrTail(_ path: String?) -> String {
        guard let path else { return "" }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let tail = text.split(separator: "\n").suffix(20).joined(separator: "\n")
        return tail.isEmpty ? "; its stderr (\(path)) is empty" : "; the end of its stderr (\(path)):\n\(tail)"
    }
}

extension TestSupport {
    /// Stops `pid` with SIGSTOP and returns once every one of its threads is stopped: `kill` only
    /// sends the signal, and a thread that runs on for a moment can still commit what it was doing.
    static func freeze(_ pid: Int32) throws {
        kill(pid, SIGSTOP)
        try waitFor("process \(pid) stopped", seconds: 10, interval: 0.001) {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            return !tasks.isEmpty
                && tasks.allSatisfy { tid in
                    // The state follows the command name, which is in parentheses and may hold spaces.
                    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/stat", encoding: .utf8),
                        let close = stat.lastIndex(of: ")")
                    else { return true }  // a thread that has ended runs nothing
                    let state = stat[stat.index(after: close)...].dropFirst().first
                    return state == "T" || state == "t"
                }
        }
    }
}
