import Foundation
import Outreach

/// Builds template folders in a temporary directory and decodes output with Python's parsers.
enum TemplateTestSupport {
    /// Writes `files` (relative path → content) under a fresh folder and returns its path.
    static func folder(_ files: [String: String]) throws -> String {
        let dir = TestSupport.temporaryDirectory("tpl")
        for (rel, text) in files {
            let path = dir + "/" + rel
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        return dir
    }

    static func library(_ files: [String: String], defaultLocale: String = "en") throws -> TemplateLibrary {
        try TemplateLibrary(directory: try folder(files), defaultLocale: defaultLocale)
    }

    /// Runs Tests/peers/templates_decode.py in `mode` (html, json, form) on `text`.
    static func decode(_ mode: String, _ text: String) throws -> JSON {
        let r = try TestSupport.run(
            "python3", [TestSupport.packageRoot + "/Tests/peers/templates_decode.py", mode], stdin: Array(text.utf8))
        guard r.status == 0 else { throw DecodeError(message: r.stderr) }
        return try JSON.parse(r.stdout)
    }

    struct DecodeError: Error { var message: String }

    /// A name that needs every kind of escaping: markup, quotes, ampersand, emoji, Danish, Arabic (RTL).
    static let trickyName = "Æsa <b>\"Ø'\" & Å 👩🏽‍🏫 مرحبا بالعالم"
}
