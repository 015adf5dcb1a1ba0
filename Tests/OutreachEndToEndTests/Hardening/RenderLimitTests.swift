import Foundation
import Outreach
import Testing

/// Issue 14.10: a rendered part has a size limit (`[templates] max_render_bytes`, 4 MiB by
/// default). Eight levels of partials, each including the next ten times, once rendered 1 GB in
/// 2.9 GB of memory and passed `check`; now `check` and `render` refuse them, in bounded memory.
@Suite struct RenderLimitTests {
    /// A folder with `boom/email.en.txt` including `partials/p1` `fanOut` times, each `pN` including `pN+1`
    /// `fanOut` times, the last one ten bytes; and the same as loose files for `render FILE`.
    static func setUp(_ label: String, levels: Int, fanOut: Int = 10, templatesSection: String = "")
        throws -> (dir: String, config: String)
    {
        let dir = TestSupport.temporaryDirectory(label)
        let t = dir + "/templates"
        for sub in ["templates/boom", "templates/partials", "files"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
        }
        try ("---\nsubject: Boom\n---\n" + String(repeating: "{{>partials/p1}}", count: fanOut) + "\n")
            .write(toFile: t + "/boom/email.en.txt", atomically: true, encoding: .utf8)
        try (String(repeating: "{{>p1}}", count: fanOut) + "\n")
            .write(toFile: dir + "/files/boom.txt", atomically: true, encoding: .utf8)
        for i in 1...levels {
            let body = i == levels ? "0123456789" : String(repeating: "{{>partials/p\(i + 1)}}", count: fanOut)
            try body.write(toFile: t + "/partials/p\(i).txt", atomically: true, encoding: .utf8)
            try body.replacingOccurrences(of: "partials/", with: "")
                .write(toFile: dir + "/files/p\(i).mustache", atomically: true, encoding: .utf8)
        }
        let config = dir + "/outreachd.conf"
        try """
        data_dir = "\(dir)/data"
        templates_dir = "\(t)"
        \(templatesSection)
        [channels.outbox]
        type = "outbox"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return (dir, config)
    }

    /// `outreachd ARGS` with its address space limited, so a renderer that builds the whole
    /// gigabyte fails instead of taking the machine's memory.
    static func bounded(_ args: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.run("/bin/sh", ["-c", "ulimit -v 1500000; exec \"$0\" \"$@\"", TestSupport.outreachd] + args)
    }

    static func refusal(_ r: TestSupport.ProcessResult, file: String, limit: Int) -> Bool {
        r.status == 1 && r.stderr.contains(file) && r.stderr.contains("\(limit) bytes")
            && r.stderr.contains("max_render_bytes")
    }

    @Test func checkAndRenderRefuseEightLevelsOfTenfoldPartials() throws {
        let (dir, config) = try Self.setUp("explode", levels: 8)
        let limit = 4 * 1024 * 1024
        let check = try Self.bounded(["--config", config, "check"])
        #expect(
            Self.refusal(check, file: "boom/email.en.txt", limit: limit),
            "\(check.status) \(check.stderr.prefix(2000))")
        let render = try Self.bounded(["--config", config, "render", "boom"])
        #expect(
            Self.refusal(render, file: "boom/email.en.txt", limit: limit),
            "\(render.status) \(render.stderr.prefix(2000))")
        #expect(render.stdout.utf8.count < limit)
        let file = try Self.bounded([
            "--config", config, "render", dir + "/files/boom.txt",
            "--partials", dir + "/files",
        ])
        #expect(Self.refusal(file, file: "files/boom.txt", limit: limit), "\(file.status) \(file.stderr.prefix(2000))")
        #expect(file.stdout.utf8.count < limit)
    }

    /// Three levels under the template render 10,001 bytes: refused under a limit of 8192, rendered under 16384.
    @Test func theLimitIsASettingOfTheTemplatesSection() throws {
        let (_, tight) = try Self.setUp(
            "limit-tight", levels: 3,
            templatesSection: "[templates]\nmax_render_bytes = 8192")
        let check = try TestSupport.outreachd(["--config", tight, "check"])
        #expect(Self.refusal(check, file: "boom/email.en.txt", limit: 8192), "\(check.status) \(check.stderr)")
        let render = try TestSupport.outreachd(["--config", tight, "render", "boom"])
        #expect(Self.refusal(render, file: "boom/email.en.txt", limit: 8192), "\(render.status) \(render.stderr)")

        let (_, roomy) = try Self.setUp(
            "limit-roomy", levels: 3,
            templatesSection: "[templates]\nmax_render_bytes = 16384")
        let ok = try TestSupport.outreachd(["--config", roomy, "check"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let rendered = try TestSupport.outreachd(["--config", roomy, "render", "boom", "--json"])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(try JSON.parse(rendered.stdout)["text"]?.stringValue?.utf8.count == 10_001)

        for (value, why) in [("100", "at least 1024"), ("\"4MB\"", "integer")] {
            let (_, bad) = try Self.setUp(
                "limit-bad", levels: 1,
                templatesSection: "[templates]\nmax_render_bytes = \(value)")
            let r = try TestSupport.outreachd(["--config", bad, "check"])
            #expect(r.status == 1 && r.stderr.contains("max_render_bytes") && r.stderr.contains(why), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        let (_, typo) = try Self.setUp("limit-typo", levels: 1, templatesSection: "[templates]\nmax_render_byte = 8192")
        let r = try TestSupport.outreachd(["--config", typo, "check"])
        #expect(r.status == 1 && r.stderr.contains("max_render_byte"), "\(r.stderr)")
    }

    /// Output that only data makes large (a section over a long list) passes `check`, and the
    /// renderer stops at the limit.
    @Test func renderStopsAtTheLimitWhenTheDataMakesItLarge() throws {
        let (dir, config) = try Self.setUp("limit-data", levels: 1)
        try FileManager.default.createDirectory(atPath: dir + "/templates/grow", withIntermediateDirectories: true)
        try "---\nsubject: Grow\n---\n{{#items}}{{text}}{{/items}}\n"
            .write(toFile: dir + "/templates/grow/email.en.txt", atomically: true, encoding: .utf8)
        let item = JSON.object(["text": .string(String(repeating: "x", count: 1000))])
        try JSON.object(["items": .array(Array(repeating: item, count: 5000))]).serialized
            .write(toFile: dir + "/data.json", atomically: true, encoding: .utf8)
        #expect(try TestSupport.outreachd(["--config", config, "check"]).status == 0)
        let r = try Self.bounded(["--config", config, "render", "grow", "--data", dir + "/data.json"])
        #expect(
            Self.refusal(r, file: "grow/email.en.txt", limit: 4 * 1024 * 1024),
            "\(r.status) \(r.stderr.prefix(2000))")
    }
}
