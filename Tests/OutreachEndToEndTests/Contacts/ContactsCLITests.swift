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

    /// Issue 19.9: CSV as offices export it — a semicolon file (Excel's default in Denmark, Germany,
    /// Italy) and a tab file are read by their header; `--delimiter` overrides; a header without an
    /// address column is refused naming the delimiter it was split at.
    @Test func theDelimiterIsDetectedFromTheHeaderOrGiven() throws {
        let (dir, config) = try CrashTests.setUp("csv-delimiter")
        try "email;name;country\r\nanna@example.de;Anna Schmidt;DE\r\nluca@example.it;\"Rossi; Luca\";IT\r\n"
            .write(toFile: dir + "/semi.csv", atomically: true, encoding: .utf8)
        try "email\tname\tcity, region\nper@example.se\tPer, Jr\tUppsala, Uppland\n".write(
            toFile: dir + "/tab.csv", atomically: true, encoding: .utf8)
        try "Navn;E-mail-adresse\nAnna;anna@example.de\n".write(
            toFile: dir + "/danish.csv", atomically: true, encoding: .utf8)
        _ = try o(config, ["lists", "create", "l"])
        let semi = try o(config, ["contacts", "import", dir + "/semi.csv", "--list", "l", "--json"])
        #expect(semi.status == 0, "\(semi.stderr)")
        #expect(try JSON.parse(semi.stdout)["inserted"] == JSON(2), "\(semi.stdout)")
        #expect(try JSON.parse(semi.stdout)["delimiter"] == ";", "\(semi.stdout)")
        let luca = try JSON.parse(try o(config, ["contacts", "export", "luca@example.it"]).stdout)
        #expect(luca["contact"]?["name"] == "Rossi; Luca")
        #expect(luca["contact"]?["attributes"]?["country"] == "IT")
        let tab = try o(config, ["contacts", "import", dir + "/tab.csv", "--list", "l", "--json"])
        #expect(tab.status == 0, "\(tab.stderr)")
        let per = try JSON.parse(try o(config, ["contacts", "export", "per@example.se"]).stdout)
        #expect(per["contact"]?["name"] == "Per, Jr")
        #expect(per["contact"]?["attributes"]?["city, region"] == "Uppsala, Uppland")
        // --delimiter overrides the detection: split at commas, the header is one column.
        let forced = try o(config, ["contacts", "import", dir + "/semi.csv", "--delimiter", ","])
        #expect(forced.status == 1)
        #expect(
            forced.stderr.contains("split at ',' (comma) it has one column, 'email;name;country'")
                && forced.stderr.contains("--delimiter"), "\(forced.stderr)")
        #expect(try o(config, ["contacts", "import", dir + "/semi.csv", "--delimiter", ";"]).status == 0)
        #expect(try o(config, ["contacts", "import", dir + "/tab.csv", "--delimiter", "tab"]).status == 0)
        let danish = try o(config, ["contacts", "import", dir + "/danish.csv"])
        #expect(danish.status == 1)
        #expect(
            danish.stderr.contains("needs an email or phone column")
                && danish.stderr.contains(
                    "split at ';' (semicolon), detected from the header, it has 2 columns: "
                        + "'navn', 'e-mail-adresse'"),
            "\(danish.stderr)")
        let bad = try o(config, ["contacts", "import", dir + "/semi.csv", "--delimiter", "|"])
        #expect(bad.status == 2 && bad.stderr.contains("--delimiter '|' is not one of , ; tab"), "\(bad.stderr)")
        #expect(try CrashTests.count(dir + "/data/outreach.db", "SELECT COUNT(*) FROM contacts") == 3)
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
