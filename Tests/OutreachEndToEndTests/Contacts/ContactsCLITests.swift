import Foundation
import Testing
@testable import Outreach

/// `contacts` and `lists` through the real binary and a real SQLite file.
@Suite struct ContactsCLITests {
    func o(_ config: String, _ a: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.outreachd(["--config", config] + a)
    }

    @Test func aFileWithBadRowsImportsNothingAndNamesEveryLine() throws {
        let (dir, config) = try CrashTests.setUp("import-bad")
        try """
        email,phone,name,locale,timezone,role
        ok@example.org,,Ok,da,Europe/Copenhagen,mentor
        broken-at-example.org,,Bad,da,,
        also@example.org,+45 12,Short,da,,
        tz@example.org,,Tz,da,Europe/Atlantis,
        """.write(toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
        _ = try o(config, ["lists", "create", "l"])
        let r = try o(config, ["contacts", "import", dir + "/p.csv", "--list", "l"])
        #expect(r.status == 1)
        #expect(
            r.stderr.contains("p.csv:3:") && r.stderr.contains("p.csv:4:") && r.stderr.contains("p.csv:5:"),
            "\(r.stderr)")
        #expect(r.stderr.contains("nothing was imported"))
        #expect(try CrashTests.count(dir + "/data/outreach.db", "SELECT COUNT(*) FROM contacts") == 0)
        let skip = try o(config, ["contacts", "import", dir + "/p.csv", "--list", "l", "--skip-invalid", "--json"])
        #expect(skip.status == 0)
        #expect(try JSON.parse(skip.stdout)["inserted"] == JSON(1))
        #expect(try JSON.parse(skip.stdout)["skipped"] == JSON(3))
        let missing = try o(config, ["contacts", "import", dir + "/nope.csv"])
        #expect(missing.status == 1)
        #expect(
            missing.stderr == "outreachd: Cannot read \(dir)/nope.csv: there is no such file.\n", "\(missing.stderr)")
        #expect(try o(config, ["contacts", "import", dir]).stderr.contains("it is a folder"))
    }

    /// A file that is not a contact list is refused before the store is opened: bad input changes
    /// nothing, not even by creating the database.
    @Test func aFileWithoutAnAddressColumnIsRefusedBeforeTheStoreIsOpened() throws {
        let (dir, config) = try CrashTests.setUp("import-no-header")
        try "foo,bar\n1,2\n".write(toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
        let r = try o(config, ["contacts", "import", dir + "/p.csv"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("p.csv: line 1: the header row needs an email or phone column"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/data/outreach.db"))
    }

    @Test func reimportChangesNothingAndExportShowsConsent() throws {
        let (dir, config) = try CrashTests.setUp("import-again")
        let csv = dir + "/p.csv"
        try
            "email,phone,name,locale,timezone,outlet\nredaktion@politiken.example,21436677,Redaktionen,da,Europe/Copenhagen,Politiken\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        _ = try o(config, ["lists", "create", "press"])
        let first = try JSON.parse(
            try o(config, ["contacts", "import", csv, "--list", "press", "--default-country", "DK", "--json"]).stdout)
        #expect(first["inserted"] == JSON(1))
        let before = try TestSupport.run("sqlite3", [dir + "/data/outreach.db", ".dump contacts"]).stdout
        let again = try JSON.parse(
            try o(config, ["contacts", "import", csv, "--list", "press", "--default-country", "DK", "--json"]).stdout)
        #expect(again["unchanged"] == JSON(1) && again["inserted"] == JSON(0) && again["updated"] == JSON(0))
        #expect(try TestSupport.run("sqlite3", [dir + "/data/outreach.db", ".dump contacts"]).stdout == before)
        let export = try JSON.parse(try o(config, ["contacts", "export", "+4521436677"]).stdout)
        #expect(export["contact"]?["email"] == "redaktion@politiken.example")
        #expect(export["contact"]?["attributes"]?["outlet"] == "Politiken")
        #expect(export["consent"]?.arrayValue?.count == 1)
        #expect(export["consent"]?.arrayValue?.first?["source"] == "import:p.csv")
    }

    @Test func usageErrorsExitTwoAndDataErrorsExitOne() throws {
        let (_, config) = try CrashTests.setUp("usage")
        var r = try o(config, ["contacts", "add", "--emial", "x@example.org"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("unknown option --emial"))
        r = try o(config, ["contacts", "add", "--email", "not-an-address"])
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1)
        r = try o(config, ["lists", "show", "nope"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no list named 'nope'"))
        for command in [
            ["contacts", "import"], ["lists", "create"], ["queue", "list"], ["send"], ["campaigns", "create"], ["work"],
            ["check"],
        ] {
            let h = try o(config, command + ["--help"])
            #expect(h.status == 0 && h.stdout.hasPrefix("usage: outreachd"), "\(command)")
        }
    }
}
