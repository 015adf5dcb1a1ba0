import Foundation
import Testing

@testable import Outreach

/// A throwaway PostgreSQL cluster in a temporary directory: `initdb` (as the `postgres` user when
/// the tests run as root, since PostgreSQL refuses to run as root), `pg_ctl start` on a free port
/// of 127.0.0.1 and a Unix socket in the same directory, and at the end `pg_ctl -m immediate stop`
/// and the directory removed. PostgreSQL missing is a failure naming the install step, never a skip.
final class PostgresCluster: Sendable {
    let directory: String
    let port: Int
    let binaries: String

    /// The data directory, under `directory` (which also holds the socket and the server's log).
    var dataDirectory: String { directory + "/data" }

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The directory holding `initdb` and `pg_ctl` (Debian: /usr/lib/postgresql/VERSION/bin).
    static func binaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for v in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) })
        where FileManager.default.isExecutableFile(atPath: "\(root)/\(v)/bin/initdb") {
            return "\(root)/\(v)/bin"
        }
        throw Missing(
            description:
                "PostgreSQL is not installed (no \(root)/VERSION/bin/initdb): run scripts/install-deps.sh --test")
    }

    /// Creates and starts a cluster; throws with the server's log when it does not come up.
    init() throws {
        binaries = try Self.binaries()
        directory = TestSupport.temporaryDirectory("pg")
        port = TestSupport.freePort()
        if getuid() == 0 { try TestSupport.run("chown", ["postgres:postgres", directory]) }
        let initdb = try Self.runAsOwner(
            binaries + "/initdb",
            ["-D", dataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"])
        guard initdb.status == 0 else {
            throw Missing(description: "initdb failed (\(initdb.status)): \(initdb.stderr)\(initdb.stdout)")
        }
        try startServer()
    }

    /// Starts the server on the cluster's port and socket; throws with its log when it does not come up.
    func startServer() throws {
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        let start = try Self.runAsOwner(
            binaries + "/pg_ctl",
            [
                "-D", dataDirectory, "-w", "-t", "60", "-l", directory + "/server.log",
                "-o", options, "start",
            ])
        guard start.status == 0 else {
            let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            throw Missing(description: "pg_ctl start failed (\(start.status)): \(start.stderr)\n\(log)")
        }
    }

    /// Stops the server (`-m fast`: sessions are ended), keeping the data for `startServer`.
    func stopServer() throws {
        try Self.runAsOwner(binaries + "/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"])
    }

    /// Stops the server at once (the data is thrown away) and removes the directory.
    func stop() {
        _ = try? Self.runAsOwner(binaries + "/pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a PostgreSQL program as the cluster's owner: `postgres` under root, else ourselves.
    /// Through Python's `subprocess`, which closes every inherited descriptor: Foundation's
    /// `Process` learns that its child exited when a socket it passes down closes, and the server
    /// `pg_ctl start` leaves running would otherwise hold that socket, and `waitUntilExit` wait forever.
    @discardableResult
    static func runAsOwner(_ program: String, _ arguments: [String]) throws -> TestSupport.ProcessResult {
        let command = (getuid() == 0 ? ["runuser", "-u", "postgres", "--"] : []) + [program] + arguments
        let spawn = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:], close_fds=True).returncode)"
        return try TestSupport.python(spawn, command)
    }

    /// A `postgresql://` URL of `database` over TCP.
    func url(_ database: String = "postgres") -> String {
        "postgresql://postgres@127.0.0.1:\(port)/\(database)"
    }

    /// A key/value connection string of `database` over the Unix socket.
    func socketConnInfo(_ database: String = "postgres") -> String {
        "host=\(directory) port=\(port) user=postgres dbname=\(database)"
    }

    /// A new empty database; returns its name.
    func createDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try PostgresConnection(url())
        try admin.execute("CREATE DATABASE \(name)")
        return name
    }

    /// A `PostgresStore` on a new empty database.
    func makeStore() throws -> PostgresStore {
        try PostgresStore(url: url(try createDatabase()))
    }

    /// The cluster of the suite running now (`.postgresCluster`).
    @TaskLocal static var current: PostgresCluster?

    /// The current cluster; fails the test when the suite has none.
    static func running() throws -> PostgresCluster {
        guard let c = current else { throw Missing(description: "no PostgreSQL cluster: use @Suite(.postgresCluster)") }
        return c
    }
}

/// Starts one `PostgresCluster` for a suite and everything in it, and stops it after.
struct PostgresClusterTrait: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        try await PostgresCluster.$current.withValue(cluster) { try await function() }
    }
}

extension Trait where Self == PostgresClusterTrait {
    /// A throwaway PostgreSQL cluster for the suite (`PostgresCluster.running()`).
    static var postgresCluster: Self { Self() }
}
