import Foundation

/// Where the fixtures are, and fresh folders to write them into. Nothing in this module starts a
/// process or opens a socket: both test targets use it, the unit target included.
public enum FixturePaths {
    /// A fresh empty folder under the system temporary directory.
    public static func temporaryDirectory(_ label: String = "t") -> String {
        let path = NSTemporaryDirectory() + "outreach-\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The package root (the folder holding Package.swift).
    public static var packageRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }

    /// This module's data files (Tests/OutreachTestFixtures/Fixtures).
    public static var fixtures: String { packageRoot + "/Tests/OutreachTestFixtures/Fixtures" }
}
