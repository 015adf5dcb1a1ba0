import Foundation
import Outreach

/// Builds template folders in a temporary directory (`TemplateTestSupport.decode`, which reads output
/// back with Python's parsers, is the end-to-end target's).
public enum TemplateTestSupport {
    /// Writes `files` (relative path → content) under a fresh folder and returns its path.
    public static func folder(_ files: [String: String]) throws -> String {
        let dir = FixturePaths.temporaryDirectory("tpl")
        for (rel, text) in files {
            let path = dir + "/" + rel
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        return dir
    }

    public static func library(_ files: [String: String], defaultLocale: String = "en") throws -> TemplateLibrary {
        try TemplateLibrary(directory: try folder(files), defaultLocale: defaultLocale)
    }

    /// A name that needs every kind of escaping: markup, quotes, ampersand, emoji, Danish, Arabic (RTL).
    public static let trickyName = "Æsa <b>\"Ø'\" & Å 👩🏽‍🏫 مرحبا بالعالم"
}
