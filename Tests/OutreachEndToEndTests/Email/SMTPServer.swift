import Foundation
@testable import Outreach

/// Runs Tests/peers/smtp_server.py (aiosmtpd) on a free loopback port for one test.
final class SMTPServer {
    let port: Int
    let dir: String
    private let process = Process()
    private let stdin = Pipe()

    init(
        tls: (cert: String, key: String)? = nil, implicitTLS: Bool = false, auth: String? = nil,
        dataReplies: [String] = [], rejectRecipients: [String: String] = [:],
        delay: Double = 0, port: Int? = nil
    ) throws {
        dir = TestSupport.temporaryDirectory("smtp")
        self.port = port ?? TestSupport.freePort()
        let ready = dir + "/.ready"
        var args = [
            "python3", TestSupport.packageRoot + "/Tests/peers/smtp_server.py", "--port", String(self.port), "--dir",
            dir, "--ready", ready,
            "--data-replies", JSON.array(dataReplies.map { .string($0) }).serialized, "--delay", String(delay),
        ]
        if let tls { args += ["--tls", tls.cert, tls.key] + (implicitTLS ? ["--implicit"] : []) }
        if let auth { args += ["--auth", auth] }
        for (k, v) in rejectRecipients { args += ["--reject-rcpt", "\(k)=\(v)"] }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = args
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        let stderr = dir + "/.stderr"
        process.standardError = TestSupport.stderrFile(stderr)
        try process.run()
        try TestSupport.waitForPeer(
            "the SMTP peer (Tests/peers/smtp_server.py)", readyFile: ready, process: process,
            stderrFile: stderr)
    }

    /// The received messages, in arrival order.
    func messages() -> [[UInt8]] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".eml") }
            .sorted { Int($0.dropLast(4))! < Int($1.dropLast(4))! }
        return files.compactMap { FileManager.default.contents(atPath: dir + "/" + $0).map(Array.init) }
    }

    func envelope(_ n: Int) -> JSON? {
        FileManager.default.contents(atPath: dir + "/\(n).json").flatMap { try? JSON.parse(Array($0)) }
    }

    /// A throwaway self-signed certificate for 127.0.0.1.
    static func selfSignedCertificate() throws -> (cert: String, key: String) {
        let dir = TestSupport.temporaryDirectory("cert")
        let r = try TestSupport.run(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem",
            ])
        guard r.status == 0 else { throw SMTPTestError(message: r.stderr) }
        return (dir + "/cert.pem", dir + "/key.pem")
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}

struct SMTPTestError: Error { var message: String }
