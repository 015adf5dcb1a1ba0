import Foundation

/// The unit target's helpers: folders and paths only. Nothing here starts a process or opens a
/// socket (that is `OutreachEndToEndTests`' `TestSupport`).
enum TestSupport {
    /// A fresh empty folder under the system temporary directory.
    static func temporaryDirectory(_ label: String = "t") -> String {
        let path = NSTemporaryDirectory() + "outreach-\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The package root (the folder holding Package.swift).
    static var packageRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }

    /// Polls `condition` until it holds (another thread of this process reaching a point); throws
    /// naming `what` once `seconds` have passed.
    static func waitFor(
        _ what: String, seconds: Double = 30, interval: Double = 0.05,
        _ condition: () throws -> Bool
    ) throws {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while try !condition() {
            guard Date() < deadline else {
                throw TimedOut(description: "timed out after \(Int(seconds)) s waiting for \(what)")
            }
            usleep(useconds_t(interval * 1_000_000))
        }
    }

    struct TimedOut: Error, CustomStringConvertible {
        let description: String
    }

    /// This target's fixtures (Tests/OutreachUnitTests/Fixtures).
    static var fixtures: String { packageRoot + "/Tests/OutreachUnitTests/Fixtures" }
}
