import Foundation

@testable import Outreach

/// Several `outreachd serve` nodes on one database of the suite's throwaway cluster (issue 20):
/// each its own configuration, data folder, HTTP port and token, all the same `[storage] url`,
/// `heartbeat` and link key. Node `i` runs with `PGAPPNAME=node-i`, so its sessions are named in
/// `pg_stat_activity` and `leader(of:)` can tell which node holds a duty.
final class NodeGroup {
    let cluster: PostgresCluster
    let database: String
    let nodes: [DaemonHarness]

    /// Writes the nodes' configurations and migrates the database; starts nothing.
    init(count: Int = 3, server: String = "", channels: String, heartbeat: String = "1s") throws {
        cluster = try PostgresCluster.running()
        database = try cluster.createDatabase()
        let storage = """
            [storage]
            url = "\(cluster.url(database))"
            heartbeat = "\(heartbeat)"

            """
        nodes = try (0..<count).map { _ in try DaemonHarness(server: server, channels: storage + channels) }
        // Links signed by one node are opened by another: every node has the same key.
        let key = Crypto.base64URL(Crypto.randomBytes(32)) + "\n"
        for n in nodes {
            try PrivateFiles.makeDirectory(n.dir + "/data")
            let path = n.dir + "/data/link-key"
            _ = FileManager.default.createFile(
                atPath: path, contents: Data(key.utf8), attributes: [.posixPermissions: 0o600])
        }
        let migrate = try nodes[0].cli(["storage", "migrate"])
        guard migrate.status == 0 else { throw NotReadyError(description: "storage migrate: \(migrate.stderr)") }
    }

    /// Starts every node (node `i` as `PGAPPNAME=node-i`).
    func start() throws {
        for (i, n) in nodes.enumerated() { try n.start(environment: ["PGAPPNAME": "node-\(i)"]) }
    }

    /// A connection of the test's own to the nodes' database.
    func connection() throws -> PostgresConnection { try PostgresConnection(cluster.url(database)) }

    /// The index of the node whose session holds `duty`'s advisory lock now; nil when none does.
    func leader(of duty: Duty) throws -> Int? {
        let key = PostgresStore.dutyLock(duty)
        let names = try connection().rows(
            """
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND (l.classid::bigint << 32) | l.objid::bigint = $1
            """, [.integer(key)]
        ) { $0.text(0) }
        return names.first.flatMap { name in name.hasPrefix("node-") ? Int(name.dropFirst(5)) : nil }
    }

    /// The ids of the `nodes` table (the nodes heartbeating now).
    func registered() throws -> Set<String> {
        Set(try connection().rows("SELECT id FROM nodes") { $0.text(0) })
    }

    /// How many messages aiosmtpd accepted per recipient, repeats counted (Python reads the
    /// envelope files: quicker than Swift's JSON for twenty thousand of them).
    static func received(_ smtp: SMTPServer) throws -> [String: Int] {
        let script = """
            import glob, json, os, sys
            counts = {}
            for f in glob.glob(os.path.join(sys.argv[1], "*.json")):
                for to in json.load(open(f))["rcpt_tos"]:
                    counts[to] = counts.get(to, 0) + 1
            print(json.dumps(counts))
            """
        let r = try TestSupport.python(script, [smtp.dir])
        guard r.status == 0, let o = try JSON.parse(r.stdout).objectValue else {
            throw NotReadyError(description: "reading aiosmtpd's envelopes: \(r.stderr)")
        }
        return o.compactMapValues(\.intValue)
    }

    /// How many messages aiosmtpd accepted so far (its envelope files), without reading them.
    static func receivedCount(_ smtp: SMTPServer) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: smtp.dir)) ?? []).count { $0.hasSuffix(".json") }
    }
}
