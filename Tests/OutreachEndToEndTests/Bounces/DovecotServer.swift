import Foundation
import Outreach

/// A throwaway Dovecot IMAP server for one test: `dovecot -c CONF -F` with a configuration of its
/// own in a temporary directory (no system configuration), one user in a passwd-file with a plain
/// password, maildirs in the same directory, a free loopback port, its log in `dovecot.log` there.
/// Under root the login processes run as Debian's `dovenull`, the others as `dovecot`, and the mail
/// as `nobody` (Dovecot refuses root for each). Ready once Python's imaplib logs in
/// (Tests/peers/imap_mailbox.py); stopped with SIGTERM and the directory removed.
/// Dovecot missing is a failure naming the install step, never a skip.
final class DovecotServer {
    let directory: String
    let port: Int
    /// The implicit-TLS port, when started with a certificate.
    let tlsPort: Int?
    let user = "bounces"
    let password: String
    private let process = Process()

    var logPath: String { directory + "/dovecot.log" }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// - Parameters:
    ///   - capabilities: replaces what the server announces after login (`imap_capability`), to
    ///     take MOVE or UIDPLUS away.
    ///   - certificate: also listen with implicit TLS (imaps) on `tlsPort`.
    ///   - port: the plain IMAP port (a test that starts the server after its client); else a free one.
    ///   - password: the user's password; else a new one.
    init(
        capabilities: String? = nil, certificate: (cert: String, key: String)? = nil, port: Int? = nil,
        password: String? = nil
    ) throws {
        let binary = "/usr/sbin/dovecot"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw NotReadyError(
                description: "Dovecot is not installed (no \(binary)): run scripts/install-deps.sh --test")
        }
        directory = TestSupport.temporaryDirectory("dovecot")
        self.port = port ?? TestSupport.freePort()
        self.password = password ?? "pw-" + UUID().uuidString.prefix(12)
        tlsPort = certificate == nil ? nil : TestSupport.freePort()
        let mail = directory + "/mail"
        try FileManager.default.createDirectory(atPath: mail, withIntermediateDirectories: true)
        let ids = try Self.accounts()
        if getuid() == 0 { try TestSupport.run("chown", ["\(ids.mailUID):\(ids.mailGID)", mail]) }
        try "\(user):{PLAIN}\(self.password)::::::\n".write(
            toFile: directory + "/passwd", atomically: true, encoding: .utf8)
        let tls =
            certificate.map { c in
                """
                ssl = yes
                ssl_cert = <\(c.cert)
                ssl_key = <\(c.key)
                """
            } ?? "ssl = no"
        let config = """
            protocols = imap
            listen = 127.0.0.1
            base_dir = \(directory)/run
            state_dir = \(directory)/state
            instance_name = outreach-test-\(self.port)
            log_path = \(logPath)
            info_log_path = \(logPath)
            \(tls)
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            default_internal_user = \(ids.internalUser)
            default_internal_group = \(ids.internalGroup)
            default_login_user = \(ids.loginUser)
            first_valid_uid = 1
            mail_location = maildir:\(mail)/%u
            \(capabilities.map { "imap_capability = \($0)" } ?? "")
            passdb {
              driver = passwd-file
              args = scheme=PLAIN \(directory)/passwd
            }
            userdb {
              driver = static
              args = uid=\(ids.mailUID) gid=\(ids.mailGID) home=\(mail)/%u
            }
            service imap-login {
              chroot =
              inet_listener imap {
                address = 127.0.0.1
                port = \(self.port)
              }
              inet_listener imaps {
                address = 127.0.0.1
                port = \(tlsPort ?? 0)
                ssl = yes
              }
            }
            service anvil {
              chroot =
            }
            """
        try config.write(toFile: directory + "/dovecot.conf", atomically: true, encoding: .utf8)
        // Through Python, which clears the signal mask before it execs Dovecot: a child of
        // Foundation's Process starts with nearly every signal blocked, and a Dovecot master that
        // never sees SIGTERM outlives the test.
        let exec =
            "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
            + "signal.signal(signal.SIGPIPE, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", exec, binary, "-c", directory + "/dovecot.conf", "-F"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = TestSupport.stderrFile(directory + "/stderr")
        try process.run()
        let ready = try client(["wait", "30"])
        guard ready.status == 0, process.isRunning else {
            stop()
            throw NotReadyError(
                description:
                    "Dovecot did not accept a login on 127.0.0.1:\(self.port): \(ready.stderr)\nits log:\n\(log)"
                    + ((try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? ""))
        }
    }

    /// Who runs what: Dovecot refuses root for its login and mail processes.
    private static func accounts() throws -> (
        internalUser: String, internalGroup: String, loginUser: String, mailUID: UInt32, mailGID: UInt32
    ) {
        if getuid() != 0 {
            let me = String(cString: getpwuid(getuid())!.pointee.pw_name)
            let group = String(cString: getgrgid(getgid())!.pointee.gr_name)
            return (me, group, me, getuid(), getgid())
        }
        guard getpwnam("dovecot") != nil, getpwnam("dovenull") != nil, let nobody = getpwnam("nobody") else {
            throw NotReadyError(
                description: "Dovecot's users dovecot and dovenull are missing: run scripts/install-deps.sh --test")
        }
        return ("dovecot", "dovecot", "dovenull", nobody.pointee.pw_uid, nobody.pointee.pw_gid)
    }

    /// Runs Tests/peers/imap_mailbox.py against this server as its user.
    @discardableResult
    func client(_ arguments: [String]) throws -> TestSupport.ProcessResult {
        let script = TestSupport.packageRoot + "/Tests/peers/imap_mailbox.py"
        let args = [script, arguments[0], String(port), user, password] + arguments.dropFirst()
        return try TestSupport.run("python3", args)
    }

    /// APPENDs each message to `folder`, unread; returns their UIDs.
    func append(_ messages: [[UInt8]], to folder: String = "INBOX") throws -> [UInt32] {
        let dir = TestSupport.temporaryDirectory("imap-append")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var files: [String] = []
        for (i, m) in messages.enumerated() {
            let f = dir + "/\(i).eml"
            _ = FileManager.default.createFile(atPath: f, contents: Data(m))
            files.append(f)
        }
        let r = try client(["append", folder] + files)
        guard r.status == 0 else { throw NotReadyError(description: "APPEND failed: \(r.stderr)") }
        return r.stdout.split(separator: "\n").compactMap { UInt32($0) }
    }

    /// One message of `dump`.
    struct Message: Equatable {
        var uid: UInt32
        var flags: [String]
        var messageID: String?
        var seen: Bool { flags.contains("\\Seen") }
        var deleted: Bool { flags.contains("\\Deleted") }
    }

    /// Every folder's messages as Python's imaplib reads them (EXAMINE, BODY.PEEK: reading changes nothing).
    func folders() throws -> [String: [Message]] {
        let r = try client(["dump"])
        guard r.status == 0, let json = try JSON.parse(r.stdout).objectValue else {
            throw NotReadyError(description: "reading the mailbox failed: \(r.stderr)")
        }
        return json.mapValues { list in
            (list.arrayValue ?? []).map { m in
                Message(
                    uid: UInt32(m["uid"]?.intValue ?? 0),
                    flags: (m["flags"]?.arrayValue ?? []).compactMap(\.stringValue),
                    messageID: m["message_id"]?.stringValue)
            }
        }
    }

    /// Stops the server and removes its directory.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }
}
