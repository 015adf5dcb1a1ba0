import Foundation
import Testing

@testable import Outreach

/// Three `outreachd serve` nodes on one PostgreSQL (issue 20, `NodeGroup`): a node SIGKILLed in
/// the middle of a 20,000-recipient campaign, one Idempotency-Key posted to the three at once,
/// the reminders' leader SIGKILLed, PostgreSQL restarted under load. No node is ever restarted:
/// the survivors take the dead one's deliveries (after three missed heartbeats) and duties.
@Suite(.postgresCluster, .serialized) struct MultiNodeTests {
    /// The SMTP channel of every node: `DaemonRestartTests.connections` connections, batches of as
    /// many (the default `batch_size`), one worker.
    static func mail(_ smtp: SMTPServer) -> String {
        "[sender]\nfrom = \"Club <club@example.org>\"\n" + DaemonRestartTests.smtpChannel(smtp.port)
    }

    /// Node `n`'s id as its `/metrics` says (`outreach_node_info{node="…"} 1`).
    static func nodeID(_ n: DaemonHarness) throws -> String? {
        let page = try n.send(["method": "GET", "path": "/metrics"]).body
        let prefix = "outreach_node_info{node=\""
        guard let line = page.split(separator: "\n").first(where: { $0.hasPrefix(prefix) && $0.hasSuffix("} 1") })
        else { return nil }
        return String(line.dropFirst(prefix.count).dropLast(3).dropLast())
    }

    /// 20,000 members, three nodes sending, one SIGKILLed while it holds leases and never
    /// started again: everyone gets the message, the campaign finishes long before the dead
    /// node's leases (the default five minutes) would expire — the survivors release them after
    /// three missed heartbeats — and repeats are at most what the dead node held: one batch of
    /// its one worker, `batch_size` = `max_connections` = 4 (a batch is completed in one
    /// transaction after it was sent, so all of it may have been on the wire).
    @Test func aNodeKilledMidCampaignIsReplacedByTheOthersAndTheCampaignFinishes() throws {
        let smtp = try SMTPServer()
        let group = try NodeGroup(channels: Self.mail(smtp), heartbeat: "2s")
        let total = 20_000
        try DaemonRestartTests.startCampaign(group.nodes[0], total: total)
        try group.start()
        let victim = group.nodes[1]
        let victimID = try #require(try Self.nodeID(victim))
        let db = try group.connection()
        func held() throws -> Int64 {
            try db.rows(
                "SELECT count(*) FROM deliveries WHERE state = 'sending' AND lease_owner = $1", [.text(victimID)]
            ) { try $0.int(0) }.first ?? 0
        }
        try TestSupport.waitFor("a first part of the campaign", seconds: 600, interval: 0.2) {
            NodeGroup.receivedCount(smtp) >= 2_000
        }
        // The victim's statements still running on the server: a COMMIT it sent before it was frozen
        // still completes, so its leases are counted only once none is left.
        func running() throws -> Int64 {
            try db.rows(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'node-1' AND state = 'active'", []
            ) { try $0.int(0) }.first ?? 0
        }
        // Killed while it holds a batch (between two batches it holds nothing): frozen with SIGSTOP,
        // then killed if it holds one, else let go on and frozen again a moment later. Frozen means
        // every thread stopped and nothing of it running on the server: otherwise it could record its
        // batch after the count was read.
        try TestSupport.waitFor("the victim frozen while it holds a batch", seconds: 60, interval: 0.01) {
            try TestSupport.freeze(victim.pid)
            try TestSupport.waitFor("the victim's statements finished", seconds: 10, interval: 0.005) {
                try running() == 0
            }
            if try held() > 0 { return true }
            kill(victim.pid, SIGCONT)
            return false
        }
        #expect(!victim.stop(SIGKILL).exited)
        let killedAt = Date()
        let inFlight = try held()
        #expect(inFlight > 0 && inFlight <= Int64(DaemonRestartTests.connections), "\(inFlight)")
        #expect(NodeGroup.receivedCount(smtp) < total - 1_000, "the kill came after most of the work")

        // The dead node's leases last five minutes: finishing well before proves they were released.
        try TestSupport.waitFor("every recipient", seconds: 240, interval: 1) {
            NodeGroup.receivedCount(smtp) >= total
        }
        try TestSupport.waitFor("the campaign recorded as sent", seconds: 60, interval: 1) {
            (try JSON.parse(try group.nodes[0].cli(["campaigns", "status", "december", "--json"]).stdout))["sent"]
                == JSON(total)
        }
        #expect(Date().timeIntervalSince(killedAt) < 280)
        let received = try NodeGroup.received(smtp)
        #expect(Set(received.keys) == Set((0..<total).map { "m\($0)@example.org" }))
        let repeats = received.values.reduce(0, +) - received.count
        #expect(repeats <= DaemonRestartTests.connections, "\(repeats) repeats")
        let survivors = [group.nodes[0], group.nodes[2]]
        #expect(survivors.contains { $0.log.contains("released \(inFlight) deliveries leased by nodes silent") })
        #expect(try !group.registered().contains(victimID), "the dead node's row is removed")
        for n in survivors { #expect(n.stop().status == 0) }
    }

    /// The same Idempotency-Key posted to the three nodes at the same moment (ten keys, each from
    /// three threads released by a barrier): all three answers are 202 with the same message,
    /// two of them replays, and each message is sent once. Each node's `/metrics` is its own
    /// and names the node, as the `nodes` table does.
    @Test func oneIdempotencyKeyPostedToThreeNodesAtOnceIsOneMessageSentOnce() throws {
        let smtp = try SMTPServer()
        let group = try NodeGroup(channels: Self.mail(smtp))
        try group.start()
        let ids = try group.nodes.map { try #require(try Self.nodeID($0)) }
        #expect(Set(ids).count == 3, "\(ids)")
        #expect(try group.registered() == Set(ids))

        let keys = 10
        for k in 0..<keys {
            let body = #"{"template":"welcome","to":[{"email":"once\#(k)@example.org"}]}"#
            let requests = group.nodes.map { n -> JSON in
                var r = n.trigger(body, headers: ["Idempotency-Key": "order-\(k)"]).objectValue!
                r["url"] = .string(n.base + "/v1/messages")
                r["path"] = nil
                return .object(r)
            }
            let r = try TestSupport.run(
                "python3", [DaemonHarness.client, "together"], stdin: Array(JSON.array(requests).serialized.utf8))
            let answers = try #require(try JSON.parse(r.stdout).arrayValue, "\(r.stderr)")
            #expect(answers.map { $0["status"]?.intValue } == [202, 202, 202], "\(answers)")
            let bodies = answers.compactMap { $0["body"]?.stringValue }.map { try? JSON.parse($0) }
            #expect(bodies.count == 3 && bodies[0]?["id"] != nil, "\(bodies)")
            #expect(bodies.allSatisfy { $0 == bodies[0] }, "the same answer from every node: \(bodies)")
            let replays = answers.filter { $0["headers"]?["idempotent-replayed"]?.stringValue == "true" }.count
            #expect(replays == 2, "\(answers)")
        }
        try TestSupport.waitFor("every message sent", seconds: 60) {
            (try group.nodes[0].queueCounts()["sent"]?.intValue ?? 0) >= keys
        }
        for n in group.nodes { #expect(n.stop().status == 0) }
        #expect(try group.nodes[0].queueCounts()["total"]?.intValue == keys)
        #expect(
            try NodeGroup.received(smtp)
                == Dictionary(uniqueKeysWithValues: (0..<keys).map { ("once\($0)@example.org", 1) }))
    }

    /// The node leading `reminders` SIGKILLed before a reminder falls due (a minute after the
    /// event was made): another node takes the duty and the reminder goes out once per member.
    @Test func theRemindersLeaderKilledHandsTheDutyOverAndTheReminderGoesOutOnce() throws {
        let smtp = try SMTPServer()
        let group = try NodeGroup(channels: Self.mail(smtp))
        let d = group.nodes[0]
        #expect(try d.cli(["lists", "create", "club"]).status == 0)
        for who in ["ana", "bo"] {
            #expect(try d.cli(["contacts", "add", "--email", "\(who)@example.org", "--list", "club"]).status == 0)
        }
        // A meeting two to three minutes ahead, reminded a minute from now.
        let due = WallClock.nowMillis() + 60_000
        let created = try ReminderDaemonTests.createDinner(d, remindingAt: [due])
        #expect(created.status == 0, "\(created.stderr)")
        try group.start()
        var leader: Int?
        try TestSupport.waitFor("a node leading reminders", seconds: 30, interval: 0.2) {
            leader = try group.leader(of: .reminders)
            return leader != nil
        }
        let killed = try #require(leader)
        #expect(!group.nodes[killed].stop(SIGKILL).exited)
        #expect(WallClock.nowMillis() < due, "the leader must die before the reminder is due")
        var next: Int?
        try TestSupport.waitFor("another node leading reminders", seconds: 40, interval: 0.2) {
            next = try group.leader(of: .reminders)
            return next != nil
        }
        #expect(next != killed)
        try TestSupport.waitFor("the reminder sent to both members", seconds: 120, interval: 0.5) {
            ReminderDaemonTests.reminders(smtp).values.reduce(0, +) >= 2
        }
        let survivors = group.nodes.indices.filter { $0 != killed }.map { group.nodes[$0] }
        // Another look of every survivor (at least every 15 s) finds nothing more to fan out.
        try TestSupport.waitFor("two invitations and two reminders recorded", seconds: 60) {
            (try survivors[0].queueCounts()["sent"]?.intValue ?? 0) >= 4
        }
        try TestSupport.waitFor("a later look of the reminders", seconds: 30, interval: 0.5) {
            WallClock.nowMillis() > due + 16_000
        }
        for n in survivors { #expect(n.stop().status == 0) }
        #expect(ReminderDaemonTests.reminders(smtp) == ["ana@example.org": 1, "bo@example.org": 1])
        #expect(try d.queueCounts()["total"]?.intValue == 4)
        let show = try JSON.parse(try d.cli(["events", "show", "dinner", "--json"]).stdout)
        let states = (show["occurrences"]?.arrayValue?.first?["reminders"]?.arrayValue ?? []).map {
            "\($0["state"]?.stringValue ?? "") \($0["sent"]?.intValue ?? 0)"
        }
        #expect(states == ["sent 2"], "\(show)")
    }

    /// PostgreSQL stopped (`pg_ctl -m fast`) for longer than three heartbeats and started again
    /// while six threads post triggers to the three nodes: every trigger answered 202 is in the
    /// database afterwards and reaches aiosmtpd, once; a 503 (not acknowledged) is allowed; the
    /// nodes go on without a restart, and none takes another for dead.
    @Test func postgreSQLRestartedUnderLoadLosesNoAcknowledgedTrigger() throws {
        let smtp = try SMTPServer()
        let group = try NodeGroup(channels: Self.mail(smtp))
        try group.start()
        let dir = TestSupport.temporaryDirectory("acked")
        let out = dir + "/answers", stop = dir + "/stop"
        let load = Process()
        load.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        load.arguments =
            ["python3", DaemonHarness.client, "acked", out, stop] + group.nodes.map { "\($0.token),\($0.base)" }
        load.standardOutput = FileHandle.nullDevice
        try load.run()
        defer {
            _ = FileManager.default.createFile(atPath: stop, contents: nil)
            load.waitUntilExit()
        }
        func answers() -> [(status: Int, key: String)] {
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                let p = line.split(separator: " ")
                return p.count == 2 ? (Int(p[0]) ?? -1, String(p[1])) : nil
            }
        }
        func accepted() -> Int { answers().count { $0.status == 202 } }
        try TestSupport.waitFor("triggers accepted before the restart", seconds: 60, interval: 0.1) {
            accepted() >= 300
        }
        try group.cluster.stopServer()
        // Away for longer than three heartbeats (1 s): every node is silent in the `nodes` table
        // meanwhile, but none is dead, and none may be taken for dead when the server is back.
        let stopped = Date()
        do {
            defer { try? group.cluster.startServer() }
            for n in group.nodes {
                try TestSupport.waitFor("/healthz 503 while the server is away", seconds: 30, interval: 0.2) {
                    try n.send(["method": "GET", "path": "/healthz"]).status == 503
                }
            }
            try TestSupport.waitFor("four heartbeats", interval: 0.1) { Date().timeIntervalSince(stopped) > 4 }
        }
        let before = accepted()
        try TestSupport.waitFor("triggers accepted after the restart", seconds: 120, interval: 0.1) {
            accepted() >= before + 300
        }
        _ = FileManager.default.createFile(atPath: stop, contents: nil)
        load.waitUntilExit()

        let all = answers()
        let acked = Set(all.filter { $0.status == 202 || $0.status == 200 }.map(\.key))
        // The load was running while the server was away (pg_ctl waits for the stop, then the start).
        #expect(all.contains { $0.status == 503 }, "no trigger refused: the restart went unnoticed")
        let other = all.filter { ![200, 202, 503].contains($0.status) }
        #expect(other.isEmpty, "answers other than 202 and 503: \(other.prefix(10))")
        let db = try group.connection()
        let stored = Set(
            try db.rows(
                "SELECT idempotency_key FROM messages WHERE idempotency_key IS NOT NULL"
            ) { $0.text(0) })
        #expect(
            acked.subtracting(stored).isEmpty, "acknowledged but not stored: \(acked.subtracting(stored).prefix(10))")
        try TestSupport.waitFor("every acknowledged trigger delivered", seconds: 180, interval: 1) {
            let received = try NodeGroup.received(smtp)
            return acked.allSatisfy { received["\($0)@example.org"] != nil }
        }
        // Every delivery recorded as sent, and nothing sent twice: a batch on the wire while the
        // server went away is recorded once it is back, not left leased until its lease expires.
        let total = try #require(try db.rows("SELECT count(*) FROM deliveries") { try $0.int(0) }.first)
        try TestSupport.waitFor("every delivery recorded as sent", seconds: 60, interval: 0.5) {
            (try db.rows("SELECT count(*) FROM deliveries WHERE state = 'sent'") { try $0.int(0) }.first) == total
        }
        let repeated = try NodeGroup.received(smtp).filter { $0.value > 1 }
        #expect(repeated.isEmpty, "sent twice: \(repeated.prefix(10))")
        for n in group.nodes { #expect(!n.log.contains("released"), "a live node taken for dead:\n\(n.log)") }
        // `/healthz` asks the database every 5 s: it follows.
        for n in group.nodes {
            try TestSupport.waitFor("/healthz 200 again", seconds: 30, interval: 0.2) {
                try n.send(["method": "GET", "path": "/healthz"]).status == 200
            }
        }
        for n in group.nodes { #expect(n.stop().status == 0) }
    }
}
