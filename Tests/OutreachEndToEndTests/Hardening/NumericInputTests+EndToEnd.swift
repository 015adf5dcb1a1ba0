import Foundation
import Outreach
import Testing

/// Issue 14.1 through the built binary: a number in a configuration file is one sentence from `check`.
@Suite struct NumericInputTests {
    /// A configuration with such a duration is one sentence from `check`, not a crash.
    @Test func checkNamesAnOverlongRetryBase() throws {
        let dir = TestSupport.temporaryDirectory("numeric")
        let config = """
            data_dir = "\(dir)/data"
            templates_dir = "\(TestSupport.packageRoot)/templates"
            [channels.outbox]
            type = "outbox"
            dir = "outbox"
            retry_base = "99999999999999999999999d"
            """
        try config.write(toFile: dir + "/c.conf", atomically: true, encoding: .utf8)
        let r = try TestSupport.run(TestSupport.outreachd, ["--config", dir + "/c.conf", "check"])
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("retry_base"))
    }
}
