import Foundation
import Testing

/// `[storage] url`: a PostgreSQL server that cannot be reached is one sentence saying what to
/// check — on the CLI and in `serve` — that never echoes the URL's password; another scheme is
/// refused. (PostgreSQL that answers: `PostgresDaemonTests`.)
@Suite struct StorageURLTests {
    @Test(arguments: ["postgresql://app:S3cretpw@127.0.0.1:1/outreach", "postgres://app:S3cretpw@127.0.0.1:1/outreach"])
    func anUnreachablePostgresServerIsOneSentenceWithoutThePassword(_ url: String) throws {
        let path = try CheckCommandTests.write("[storage]\nurl = \"\(url)\"\n")
        for args in [["lists", "list"], ["queue", "status"]] {
            let r = try TestSupport.outreachd(["--config", path] + args)
            #expect(r.status != 0)
            #expect(r.stderr.contains("Could not connect to PostgreSQL"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
            #expect(!r.stderr.contains("S3cretpw") && !r.stdout.contains("S3cretpw"))
        }
        let serve = try TestSupport.run("timeout", ["20", TestSupport.outreachd, "--config", path, "serve"])
        #expect(serve.status != 0)
        #expect(serve.stderr.contains("Could not connect to PostgreSQL"), "\(serve.stderr)")
        #expect(!serve.stderr.contains("S3cretpw"))
    }

    @Test func anUnknownSchemeIsRefusedWithoutItsPassword() throws {
        let path = try CheckCommandTests.write("[storage]\nurl = \"mysql://app:S3cretpw@db/outreach\"\n")
        let r = try TestSupport.outreachd(["--config", path, "lists", "list"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("mysql://app:***@db/outreach") && r.stderr.contains("use sqlite:PATH"), "\(r.stderr)")
    }
}
