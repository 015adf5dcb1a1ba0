import Foundation
import Synchronization

/// The template library a running daemon renders with, following the folder without a SIGHUP.
///
/// `poll()` is called on the request and sending paths: it costs a clock read and an atomic load,
/// and at most once per `intervalMillis` one caller stats the folder tree (every directory's and
/// file's mtime, size and inode, no file reads). When that fingerprint changed, the library is loaded
/// again. A folder that cannot be loaded is not taken; in one that can, a variant (template, kind,
/// locale) that no longer parses or names a missing partial keeps its last good files, while
/// the rest of the change is taken. New problems are logged once per change of the folder.
public final class LiveTemplates: Sendable {
    private struct State {
        var library: TemplateLibrary
        /// The folder as last looked at, taken or not.
        var fingerprint: [String: Stamp]
        var onChange: (@Sendable (TemplateLibrary) -> Void)?
    }

    /// What a path looked like: enough to notice an edit, an addition or a removal.
    struct Stamp: Equatable, Sendable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int64
        /// A file written by rename (an editor's or `atomically:` save) is a new inode, even
        /// when its size and the coarse mtime tick stay the same.
        var inode: UInt64
    }

    private let state: Mutex<State>
    /// When the folder may next be looked at (milliseconds of `time`).
    private let nextCheck: Atomic<Int64>
    private let time: any TimeSource
    private let intervalMillis: Int64
    private let log: LogSink

    public init(
        library: TemplateLibrary, time: any TimeSource = SystemTime(), intervalMillis: Int64 = 1000,
        log: @escaping LogSink
    ) {
        self.time = time
        self.intervalMillis = intervalMillis
        self.log = log
        state = Mutex(State(library: library, fingerprint: Self.fingerprint(of: library.directory)))
        nextCheck = Atomic(time.nowMillis() + intervalMillis)
    }

    /// The library in use (without looking at the folder).
    public var library: TemplateLibrary { state.withLock { $0.library } }

    /// Called with each library taken after a change of the folder (or `replace`), under the
    /// watcher's lock, so the parts that hold a library see them in order.
    public func onChange(_ f: @escaping @Sendable (TemplateLibrary) -> Void) {
        state.withLock { $0.onChange = f }
    }

    /// Looks at the folder when the interval has passed since the last look; returns the library in use.
    @discardableResult
    public func poll() -> TemplateLibrary? {
        let now = time.nowMillis()
        let due = nextCheck.load(ordering: .relaxed)
        guard now >= due else { return nil }
        // One caller per interval looks; the others go on with the library they have.
        guard nextCheck.compareExchange(expected: due, desired: now + intervalMillis, ordering: .relaxed).exchanged
        else { return nil }
        return check()
    }

    /// Looks at the folder now; reloads when it changed. Returns the library in use.
    @discardableResult
    public func check() -> TemplateLibrary {
        state.withLock { s in
            let print = Self.fingerprint(of: s.library.directory)
            guard print != s.fingerprint else { return s.library }
            s.fingerprint = print
            let old = s.library
            let next: TemplateLibrary
            do {
                next = try TemplateLibrary(
                    directory: old.directory, defaultLocale: old.defaultLocale, maxRenderBytes: old.maxRenderBytes)
            } catch {
                log(.error, "templates changed but cannot be loaded, keeping the previous ones: \(error)")
                return old
            }
            let known = Set(old.check().map { "\($0)" })
            let new = next.check().map { "\($0)" }.filter { !known.contains($0) }
            if !new.isEmpty {
                let more = new.count > 1 ? " (and \(new.count - 1) more problems)" : ""
                log(.error, "templates changed with problems; what worked before is kept: \(new[0])\(more)")
            }
            let taken = TemplateLibrary(next, keepingWhatWorkedIn: old)
            s.library = taken
            s.onChange?(taken)
            log(.notice, "templates changed; loaded \(taken.names.count) templates")
            return taken
        }
    }

    /// Takes a library loaded elsewhere (SIGHUP), as it is, and what its folder looks like now.
    public func replace(_ library: TemplateLibrary) {
        state.withLock { s in
            s.library = library
            s.fingerprint = Self.fingerprint(of: library.directory)
            s.onChange?(library)
        }
    }

    /// Every path under `directory` (two levels: template folders and their files) with its
    /// mtime, size and inode; hidden entries are skipped as the loader skips them.
    static func fingerprint(of directory: String) -> [String: Stamp] {
        var out: [String: Stamp] = [:]
        func visit(_ path: String, depth: Int) {
            var st = stat()
            guard stat(path, &st) == 0 else { return }
            out[path] = Stamp(
                seconds: Int(st.st_mtim.tv_sec), nanoseconds: Int(st.st_mtim.tv_nsec), size: Int64(st.st_size),
                inode: UInt64(st.st_ino))
            guard (st.st_mode & S_IFMT) == S_IFDIR, depth < 3,
                let entries = try? FileManager.default.contentsOfDirectory(atPath: path)
            else { return }
            for e in entries where !e.hasPrefix(".") { visit(path + "/" + e, depth: depth + 1) }
        }
        visit(directory, depth: 0)
        return out
    }
}
