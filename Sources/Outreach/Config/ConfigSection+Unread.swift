import Synchronization

/// The keys read from a section; a class so the copies a section is passed around as share it.
final class KeyReads: Sendable {
    private let keys = Mutex<Set<String>>([])
    func note(_ key: String) { _ = keys.withLock { $0.insert(key) } }
    var all: Set<String> { keys.withLock { $0 } }
}

extension ConfigSection {
    /// The keys in the file that nothing has read: once everything that uses the section has read
    /// it, these are typos or settings of another channel type.
    public var unreadKeys: [String] {
        let read = reads.all
        return keys.filter { !read.contains($0) }
    }

    /// Refuses the first unread key, naming the read key it most resembles (`quiet_hour` →
    /// `quiet_hours`): a mistyped setting would otherwise be silently ignored.
    public func refuseUnreadKeys() throws(ConfigError) {
        guard let key = unreadKeys.min(by: { line($0) < line($1) }) else { return }
        var message = "is not a setting of [\(name)]"
        let near = reads.all.map { (key: $0, distance: Self.editDistance($0, key)) }.filter { $0.distance <= 2 }
            .min { ($0.distance, $0.key) < ($1.distance, $1.key) }
        if let near { message += " (did you mean '\(near.key)'?)" }
        throw invalid(key, message)
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...b.count {
                let above = row[j]
                row[j] = min(above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}
