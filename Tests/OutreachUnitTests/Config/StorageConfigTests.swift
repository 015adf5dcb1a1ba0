import Foundation
import Testing

@testable import Outreach

/// `[storage]`: the PostgreSQL url and its `password_file`, read once, kept out of every error.
@Suite struct StorageConfigTests {
    @Test func aPasswordFileIsReadOnceAndIsASecretLikeTheURLsPassword() throws {
        let dir = TestSupport.temporaryDirectory("storage")
        try "file-pw-1\n".write(toFile: dir + "/db-password", atomically: true, encoding: .utf8)
        let c = try Config.parse(
            """
            [storage]
            url = "postgresql://app:url%2Dpw@db.example.org:5432/outreach?host=/run/postgresql"
            password_file = "db-password"
            """, file: dir + "/o.conf", environment: [:])
        #expect(c.storagePassword == "file-pw-1")
        #expect(c.storageURL.hasPrefix("postgresql://app:"))
        // The redactor built from the configuration hides all of them, as written and decoded.
        #expect(c.secretValues.isSuperset(of: ["file-pw-1", "url%2Dpw", "url-pw"]))
        // Read once: a change of the file after loading changes nothing.
        try "changed\n".write(toFile: dir + "/db-password", atomically: true, encoding: .utf8)
        #expect(c.storagePassword == "file-pw-1")
    }

    @Test func aPasswordIsOnlyForPostgreSQLAndOnlyInAFile() throws {
        let dir = TestSupport.temporaryDirectory("storage")
        try "pw\n".write(toFile: dir + "/pw", atomically: true, encoding: .utf8)
        #expect(
            throws: ConfigError.invalid(
                file: dir + "/o.conf", line: 3, key: "password_file",
                message: "is only for a postgresql:// url; SQLite has no password")
        ) {
            try Config.parse(
                "[storage]\nurl = \"sqlite:x.db\"\npassword_file = \"pw\"\n", file: dir + "/o.conf", environment: [:])
        }
        #expect(
            throws: ConfigError.invalid(
                file: "c.conf", line: 3, key: "password",
                message: "is not a setting of [storage]; put the password in password_file")
        ) {
            try Config.parse(
                "[storage]\nurl = \"postgresql://a@h/db\"\npassword = \"inline\"\n", file: "c.conf", environment: [:])
        }
        #expect(
            throws: ConfigError.invalid(
                file: "c.conf", line: 2, key: "pasword_file",
                message: "is not a setting of [storage] (did you mean 'password_file'?)")
        ) {
            try Config.parse("[storage]\npasword_file = \"pw\"\n", file: "c.conf", environment: [:])
        }
        let missing = dir + "/nope"
        #expect(
            throws: ConfigError.unreadableSecret(file: "c.conf", line: 3, key: "password_file", path: missing)
        ) {
            try Config.parse(
                "[storage]\nurl = \"postgres://a@h/db\"\npassword_file = \"\(missing)\"\n", file: "c.conf",
                environment: [:])
        }
    }

    @Test func notMigratedSaysToRunStorageMigrate() {
        #expect(
            StoreError.notMigrated(found: 0, required: 5).description
                == "The PostgreSQL database has no outreach schema yet; run `outreachd storage migrate` first.")
        #expect(
            StoreError.notMigrated(found: 3, required: 5).description
                == "The PostgreSQL database has schema version 3 but this outreachd needs 5; "
                + "run `outreachd storage migrate` first.")
    }

    /// `heartbeat`: a duration of at least a second, 5 s unless set; anything else is one sentence.
    @Test func theHeartbeatIsADurationOfAtLeastASecond() throws {
        #expect(try Config.parse("[storage]\n", file: "c.conf", environment: [:]).heartbeatMillis == 5_000)
        #expect(
            try Config.parse("[storage]\nheartbeat = \"2s\"\n", file: "c.conf", environment: [:]).heartbeatMillis
                == 2_000)
        for bad in ["\"0s\"", "\"soon\""] {
            #expect(
                throws: ConfigError.invalid(
                    file: "c.conf", line: 2, key: "heartbeat", message: "must be a duration of at least 1s, like 5s")
            ) {
                try Config.parse("[storage]\nheartbeat = \(bad)\n", file: "c.conf", environment: [:])
            }
        }
    }

    /// `poll`: the longest a channel loop sleeps with nothing due, 1 s on PostgreSQL and 5 s on
    /// SQLite unless set; `notify`: PostgreSQL only, true unless set. Anything else is one sentence.
    @Test func pollAndNotifyAreCheckedAndHaveEachBackendsDefault() throws {
        let pg = "[storage]\nurl = \"postgresql://a@h/db\"\n"
        let sqlite = try Config.parse("[storage]\n", file: "c.conf", environment: [:])
        #expect(sqlite.idlePollMillis == 5_000 && sqlite.storageNotify)
        let postgres = try Config.parse(pg, file: "c.conf", environment: [:])
        #expect(postgres.idlePollMillis == 1_000 && postgres.storageNotify)
        let set = try Config.parse(pg + "poll = \"2m\"\nnotify = false\n", file: "c.conf", environment: [:])
        #expect(set.idlePollMillis == 120_000 && !set.storageNotify)
        #expect(
            try Config.parse("[storage]\npoll = \"3s\"\n", file: "c.conf", environment: [:]).idlePollMillis == 3_000)
        for bad in ["\"0s\"", "\"2h\"", "\"often\""] {
            #expect(
                throws: ConfigError.invalid(
                    file: "c.conf", line: 3, key: "poll", message: "must be a duration from 1s to 1h, like 1s")
            ) {
                try Config.parse(pg + "poll = \(bad)\n", file: "c.conf", environment: [:])
            }
        }
        #expect(
            throws: ConfigError.invalid(
                file: "c.conf", line: 2, key: "notify",
                message: "is only for a postgresql:// url; SQLite has nothing to listen to")
        ) {
            try Config.parse("[storage]\nnotify = false\n", file: "c.conf", environment: [:])
        }
        #expect(throws: ConfigError.wrongType(file: "c.conf", line: 3, key: "notify", expected: "true or false")) {
            try Config.parse(pg + "notify = \"no\"\n", file: "c.conf", environment: [:])
        }
    }
}
