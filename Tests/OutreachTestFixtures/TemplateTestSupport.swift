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

    /// One template per output kind, each showing the name escaped (`{{…}}`) and, for text, raw (`{{{…}}}`).
    public static func escapingLibrary() throws -> TemplateLibrary {
        try library([
            "t/email.en.txt": "---\nsubject: Hi {{contact.name}}\n---\n{{contact.name}}|{{{contact.name}}}",
            "t/email.en.html": "<p title=\"{{contact.name}}\">{{contact.name}}</p>",
            "t/chat.en.txt": "{{contact.name}}",
            "t/chat.en.json": "{\"text\": \"Hello {{contact.name}}\", \"n\": {{count}}, \"raw\": {{{payload}}}}",
        ])
    }

    /// The context the escaping templates render: the tricky name, a decimal and a JSON value.
    public static var escapingContext: JSON {
        ["contact": ["name": .string(trickyName)], "count": .number("1.21"), "payload": ["a": [1, 2]]]
    }
}
