import Foundation

/// Runs Tests/peers/postfix_instance.py: a throwaway Postfix on loopback that accepts mail on
/// `port`, relays it to `relay` (a peer that refuses recipients) and sends the delivery status
/// notifications it writes, as all mail for `bounceDomain`, to `bounceRelay` (a peer that keeps them).
final class PostfixInstance {
    let port: Int
    let dir: String
    private let process = Process()
    private let stdin = Pipe()

    init(relay: Int, bounceRelay: Int, bounceDomain: String) throws {
        dir = TestSupport.temporaryDirectory("postfix")
        port = TestSupport.freePort()
        let ready = dir + "/.ready"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", TestSupport.packageRoot + "/Tests/peers/postfix_instance.py", "--dir", dir, "--port",
            String(port), "--relay", String(relay), "--bounce-relay", String(bounceRelay), "--bounce-domain",
            bounceDomain, "--ready", ready,
        ]
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        let stderr = dir + "/.stderr"
        process.standardError = TestSupport.stderrFile(stderr)
        try process.run()
        try TestSupport.waitForPeer(
            "the throwaway Postfix (Tests/peers/postfix_instance.py; Postfix from scripts/install-deps.sh --test)",
            readyFile: ready, process: process, stderrFile: stderr)
    }

    /// Postfix's own log (`maillog_file`), for a failure's message.
    var log: String { (try? String(contentsOfFile: dir + "/postfix.log", encoding: .utf8)) ?? "" }

    deinit {
        // Closing stdin stops Postfix (`postfix stop`) and then the peer.
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
