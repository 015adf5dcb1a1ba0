import Foundation
import Testing

/// What the fuzz run found, minimised: each case once failed on the code before its fix.
@Suite struct FuzzFindingsTests {
    static func folder(_ files: [String: String]) throws -> String {
        let dir = TestSupport.temporaryDirectory("fuzz-found")
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    /// render case 184: sections over the same list nested 133 deep looped 6^133 times writing
    /// nothing, so no output limit could stop it. Now a render stops after a fixed number of steps.
    @Test func nestedSectionsOverAListStopInsteadOfLoopingForever() throws {
        let nested = String(repeating: "{{#items}}", count: 40) + "x" + String(repeating: "{{/items}}", count: 40)
        let dir = try Self.folder(["t.txt": nested, "d.json": #"{"items": [1, 2]}"#])
        let o = try FuzzCLI.run(["render", dir + "/t.txt", "--data", dir + "/d.json"], in: dir)
        #expect(!o.timedOut, "render did not stop")
        #expect(o.status == 1)
        #expect(o.stderr.contains("t.txt: rendering took more than"), "\(o.stderr)")
        #expect(FuzzCLI.problem(o, .single) == nil, "\(FuzzCLI.problem(o, .single) ?? "")")
        // An ordinary loop is untouched.
        let flat = try Self.folder([
            "t.txt": "{{#items}}{{#items}}{{.}}{{/items}};{{/items}}", "d.json": #"{"items": [1, 2]}"#,
        ])
        let ok = try TestSupport.outreachd(["render", flat + "/t.txt", "--data", flat + "/d.json"])
        #expect(ok.status == 0)
        #expect(ok.stdout == "12;12;")
    }

    /// render case 501 and templates case 135 of seed 7: 18,000 nested sections overflowed the
    /// stack while the template was parsed (SIGSEGV in `render` and in `check`), and a chain of
    /// partials each nesting sections could still overflow it while rendering. Both are now errors.
    @Test func deeplyNestedSectionsAndPartialsAreErrorsNotCrashes() throws {
        let deep = String(repeating: "{{#a}}", count: 5_000) + "x" + String(repeating: "{{/a}}", count: 5_000)
        var files = ["t.txt": deep, "d.json": #"{"a": [1]}"#, "chain.txt": "{{>p0}}"]
        for i in 0..<100 {
            files["p\(i).mustache"] =
                String(repeating: "{{#a}}", count: 99) + "{{>p\(i + 1)}}" + String(repeating: "{{/a}}", count: 99)
        }
        let dir = try Self.folder(files)
        let parse = try FuzzCLI.run(["render", dir + "/t.txt", "--data", dir + "/d.json"], in: dir)
        #expect(parse.signal == nil, "killed by signal \(parse.signal ?? 0)")
        #expect(parse.status == 1)
        #expect(
            parse.stderr.contains("t.txt:1:601: sections, blocks and parents nest more than 100 levels deep."),
            "\(parse.stderr)")
        let chain = try FuzzCLI.run(
            ["render", dir + "/chain.txt", "--data", dir + "/d.json", "--partials", dir], in: dir)
        #expect(chain.signal == nil, "killed by signal \(chain.signal ?? 0)")
        #expect(chain.status == 1)
        #expect(chain.stderr.contains("open inside each other more than 400 levels deep."), "\(chain.stderr)")
        // The same folder as a templates_dir: `check` reports the file instead of crashing.
        let tdir = TestSupport.temporaryDirectory("fuzz-found")
        try FileManager.default.createDirectory(atPath: tdir + "/templates/t", withIntermediateDirectories: true)
        try deep.write(toFile: tdir + "/templates/t/sms.en.txt", atomically: true, encoding: .utf8)
        try "data_dir = \"data\"\ntemplates_dir = \"templates\"\n[channels.outbox]\ntype = \"outbox\"\n"
            .write(toFile: tdir + "/outreachd.conf", atomically: true, encoding: .utf8)
        let check = try FuzzCLI.run(["--config", tdir + "/outreachd.conf", "check"], in: tdir)
        #expect(check.signal == nil, "killed by signal \(check.signal ?? 0)")
        #expect(check.status == 1)
        #expect(
            check.stderr.contains("sms.en.txt:1:601: sections, blocks and parents nest more than 100 levels deep."),
            "\(check.stderr)")
    }

    /// toml case 0, render case 35, templates case 22: an error quoting its input printed a raw
    /// newline, CR or ESC, so one error took two lines or rewrote the terminal. Quoted control
    /// characters are now escaped, and every message stays one line.
    @Test func errorsQuotingControlCharactersStayOneLine() throws {
        let dir = try Self.folder([
            "t.txt": "{{na\u{1B}[2Jme\nx}}",
            "bad.conf": "templat\u{1E}es_dir = \"x\"\n",
            "c.csv": "email,phone\nana@example.org,+45\r21\u{1B}[2J\n",
            "good.conf": "data_dir = \"\(TestSupport.temporaryDirectory("fuzz-found"))\"\n",
        ])
        let render = try FuzzCLI.run(["render", dir + "/t.txt"], in: dir)
        let check = try FuzzCLI.run(["--config", dir + "/bad.conf", "check"], in: dir)
        let csv = try FuzzCLI.run(["--config", dir + "/good.conf", "contacts", "import", dir + "/c.csv"], in: dir)
        for (o, listing) in [(render, FuzzCLI.Listing.single), (check, .check), (csv, .importRows)] {
            #expect(o.status == 1)
            #expect(
                FuzzCLI.problem(o, listing) == nil, "\(FuzzCLI.problem(o, listing) ?? ""): \(o.stderr.debugDescription)"
            )
        }
        #expect(render.stderr.contains(#"the name 'na\u{1B}[2Jme\nx' contains whitespace"#), "\(render.stderr)")
        #expect(check.stderr.contains(#"'templat\u{1E}es_dir' is not a valid key"#), "\(check.stderr)")
        #expect(csv.stderr.contains(#"21\u{1B}[2J"#), "\(csv.stderr)")
    }
}
