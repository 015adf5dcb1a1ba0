import Foundation
import OutreachTestFixtures
import Synchronization
import Testing

@testable import Outreach

/// The PostgreSQL store's foundation (issue 20) against a real server: one throwaway cluster for
/// the suite, a fresh database per test. The libpq wrapper, the migrations, and the conformance
/// suite of the protocols `PostgresStore` implements.
@Suite(.postgresCluster) struct PostgresStoreTests {
    // MARK: the whole conformance suite (every protocol of `Store`), as the unit layer runs it on SQLite

    @Test(arguments: StoreConformance.contacts)
    func contacts(_ check: StoreCheck<any ContactStore>) throws {
        try check.run(try PostgresCluster.running().makeStore())
    }

    @Test(arguments: StoreConformance.consent)
    func consent(_ check: StoreCheck<any ContactStore & ConsentStore>) throws {
        try check.run(try PostgresCluster.running().makeStore())
    }

    @Test(arguments: StoreConformance.queue)
    func queue(_ check: StoreCheck<any DeliveryQueue>) throws {
        try check.run(try PostgresCluster.running().makeStore())
    }

    @Test(arguments: StoreConformance.nodes)
    func nodes(_ check: StoreCheck<any NodeQueueStore>) throws {
        try check.run(try PostgresCluster.running().makeStore())
    }

    @Test(arguments: StoreConformance.pacing)
    func pacing(_ check: StoreCheck<any SendPacing>) throws {
        try check.run(try PostgresCluster.running().makeStore())
    }

    @Test(arguments: StoreConformance.consentAtTheQueue)
    func consentAtTheQueue(_ check: StoreCheck<any QueueingStore>) throws {
        try check.run(try PostgresCluster.running().makeStore())
    }

    @Test(arguments: StoreConformance.campaigns)
    func campaigns(_ check: StoreCheck<any CampaignQueueStore>) throws {
        try check.run(try PostgresCluster.running().makeStore())
    }

    @Test(arguments: StoreConformance.recurringCampaigns)
    func recurringCampaigns(_ check: StoreCheck<any RecurringCampaignStore>) throws {
        try check.run(try PostgresCluster.running().makeStore())
    }

    @Test(arguments: StoreConformance.events)
    func events(_ check: StoreCheck<any EventQueueStore>) throws {
        try check.run(try PostgresCluster.running().makeStore())
    }

    @Test(arguments: StoreConformance.bounces)
    func bounces(_ check: StoreCheck<any BounceQueueStore>) throws {
        try check.run(try PostgresCluster.running().makeStore())
    }

    @Test(arguments: StoreConformance.hooks)
    func hooks(_ check: StoreCheck<any HookQueueStore>) throws {
        try check.run(try PostgresCluster.running().makeStore())
    }

    // MARK: erasure

    /// An erase commits, then vacuums the tables it touched (PostgreSQL keeps deleted row versions
    /// until VACUUM; docs/scale-out.md says what stays on disk even so).
    @Test func anEraseVacuumsTheTablesItTouched() throws {
        let cluster = try PostgresCluster.running()
        let db = try cluster.createDatabase()
        let store = try PostgresStore(url: cluster.url(db))
        let id = try store.upsertContacts([Contact(email: "gone@example.org")]).ids[0]
        _ = try store.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "mail", address: "gone@example.org")],
            idempotency: nil)
        try store.eraseContact(id: id)
        let admin = try PostgresConnection(cluster.url(db))
        let vacuumed = try admin.rows(
            "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL ORDER BY relname"
        ) { $0.text(0) }
        #expect(Set(vacuumed).isSuperset(of: PostgresStore.erasedTables), "\(vacuumed)")
        #expect(try admin.rows("SELECT count(*) FROM contacts") { try $0.int(0) } == [0])
    }

    /// Accepted means stored, whatever the database's own setting: a database (or role) set to
    /// `synchronous_commit = off` would acknowledge commits before they are on disk, so the store's
    /// sessions set it on, again after a reconnect.
    @Test func theStoresSessionsCommitSynchronouslyWhateverTheDatabaseSays() throws {
        let cluster = try PostgresCluster.running()
        let db = try cluster.createDatabase()
        let admin = try PostgresConnection(cluster.url(db))
        try admin.execute("ALTER DATABASE \"\(db)\" SET synchronous_commit = off")
        let store = try PostgresStore(url: cluster.url(db))
        let setting = { try store.with { try $0.rows("SHOW synchronous_commit") { $0.text(0) } } }
        #expect(try setting() == ["on"])
        try admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND pid <> pg_backend_pid()")
        _ = try? setting()  // finds the connection closed; the next call connects again
        try TestSupport.waitFor("the store connected again", seconds: 10) { (try? setting()) != nil }
        #expect(try setting() == ["on"])
    }

    /// A transaction that meets a deadlock or a serialization failure (another node's transaction
    /// in the way) is rolled back whole and run again; one that keeps meeting them fails after
    /// `writeAttempts`, nothing of it kept. Any other error is not retried.
    @Test func aTransactionAnotherSessionGotInTheWayOfIsRunAgain() throws {
        let cluster = try PostgresCluster.running()
        let store = try PostgresStore(url: cluster.url(try cluster.createDatabase()))
        try store.with { try $0.execute("CREATE TABLE tries(n INT)") }
        let fail = { (db: PostgresConnection, code: String) in
            try db.execute("DO $$ BEGIN RAISE EXCEPTION 'in the way' USING ERRCODE = '\(code)'; END $$")
        }
        let runs = Mutex(0)
        let n = try store.write { db -> Int in
            let run = runs.withLock {
                $0 += 1; return $0
            }
            try db.execute("INSERT INTO tries VALUES (\(run))")
            if run == 1 { try fail(db, "40P01") }
            if run == 2 { try fail(db, "40001") }
            return run
        }
        #expect(n == 3)
        let count = { try store.with { try $0.rows("SELECT n FROM tries") { try $0.int(0) } } }
        #expect(try count() == [3], "only the last run's insert is kept")

        runs.withLock { $0 = 0 }
        #expect(throws: PostgresError.self) {
            try store.write { db in
                runs.withLock { $0 += 1 }
                try db.execute("INSERT INTO tries VALUES (99)")
                try fail(db, "40P01")
            }
        }
        #expect(runs.withLock { $0 } == PostgresStore.writeAttempts)
        runs.withLock { $0 = 0 }
        #expect(throws: PostgresError.self) {
            try store.write { db in
                runs.withLock { $0 += 1 }
                try fail(db, "23505")
            }
        }
        #expect(runs.withLock { $0 } == 1)
        #expect(try count() == [3])
    }

    /// The migrations without the store: `storage migrate` applies them once, and a store opened
    /// without migrating refuses a database behind them.
    @Test func aStoreThatDoesNotMigrateRefusesAnOlderSchema() throws {
        let cluster = try PostgresCluster.running()
        let db = try cluster.createDatabase()
        #expect(throws: StoreError.notMigrated(found: 0, required: PostgresSchema.migrations.count)) {
            try PostgresStore(url: cluster.url(db), migrate: false)
        }
        let first = try PostgresStore.migrate(url: cluster.url(db), password: nil)
        #expect(first.from == 0 && first.to == PostgresSchema.migrations.count)
        #expect(try PostgresStore.migrate(url: cluster.url(db), password: nil).from == first.to)
        #expect(try PostgresStore(url: cluster.url(db), migrate: false).schemaVersion == first.to)
    }

    // MARK: nodes

    /// Two stores as two nodes: A claims and stops beating. Two heartbeats later B finds A late,
    /// not dead; past three, B's look ends A's leases (and removes A) in one statement, B claims
    /// the deliveries at once, and A's late completion is refused: the leases are B's now.
    @Test func aSilentNodesLeasesGoBackToTheQueueForAnotherNode() throws {
        let cluster = try PostgresCluster.running()
        let db = try cluster.createDatabase()
        let a = try PostgresStore(url: cluster.url(db))
        let b = try PostgresStore(url: cluster.url(db))
        _ = try a.enqueue(
            Message(template: "welcome"),
            deliveries: (0..<4).map { NewDelivery(channel: "outbox", address: "p\($0)@example.org") },
            idempotency: nil)
        let liveness = NodeLiveness()
        let t = WallClock.nowMillis() + 1
        try a.heartbeat(node: "node-a", now: t)
        try b.heartbeat(node: "node-b", now: t)
        let byA = try a.claim(channels: ["outbox"], limit: 10, owner: "node-a", leaseMillis: 300_000, now: t)
        #expect(byA.count == 4)

        let early = t + 2 * liveness.heartbeatMillis
        try b.heartbeat(node: "node-b", now: early)
        #expect(try b.releaseDeadNodes(olderThan: liveness.silentBefore(now: early), now: early) == 0)
        #expect(try b.claim(channels: ["outbox"], limit: 10, owner: "node-b", leaseMillis: 300_000, now: early).isEmpty)

        let late = t + NodeLiveness.missedBeats * liveness.heartbeatMillis + 1
        try b.heartbeat(node: "node-b", now: late)
        #expect(try b.releaseDeadNodes(olderThan: liveness.silentBefore(now: late), now: late) == 4)
        #expect(try a.releaseDeadNodes(olderThan: liveness.silentBefore(now: late), now: late) == 0)
        let admin = try PostgresConnection(cluster.url(db))
        #expect(try admin.rows("SELECT id FROM nodes") { $0.text(0) } == ["node-b"])

        let byB = try b.claim(channels: ["outbox"], limit: 10, owner: "node-b", leaseMillis: 300_000, now: late)
        #expect(Set(byB.map(\.delivery.id)) == Set(byA.map(\.delivery.id)))
        func sent(_ c: [ClaimedDelivery]) -> [DeliveryResult] {
            c.map {
                DeliveryResult(
                    id: $0.delivery.id, outcome: .sent(providerID: nil), retryAt: nil, address: $0.delivery.address)
            }
        }
        try a.complete(sent(byA), owner: "node-a", now: late + 1)
        #expect(try b.queueCounts(messageID: nil) == [.sending: 4])
        // The dead node may have sent: its attempt stays counted.
        #expect(try byB.allSatisfy { try b.delivery(id: $0.delivery.id)?.attempts == 2 })
        try b.complete(sent(byB), owner: "node-b", now: late + 2)
        #expect(try b.queueCounts(messageID: nil) == [.sent: 4])
    }

    /// Two stores as two nodes: each duty goes to one of them; when the leader's session ends
    /// (the server ends it, as when the node dies) the other takes the duty at its next look, and
    /// the first, connected again, no longer has it. Resigning hands every duty over.
    @Test func eachDutyHasOneLeaderTakenOverWhenItsSessionEnds() throws {
        let cluster = try PostgresCluster.running()
        let db = try cluster.createDatabase()
        let a = try PostgresStore(url: cluster.url(db))
        let b = try PostgresStore(url: cluster.url(db))
        defer {
            a.resignDuties()
            b.resignDuties()
        }
        #expect(a.leads(.campaigns) && a.leads(.campaigns))
        #expect(!b.leads(.campaigns))
        #expect(b.leads(.reminders) && !a.leads(.reminders))

        let admin = try PostgresConnection(cluster.url(db))
        let ended = try admin.rows(
            """
            SELECT pg_terminate_backend(pid) FROM pg_locks
            WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND ((classid::bigint << 32) | objid::bigint) = $1
            """, [.integer(PostgresStore.dutyLock(.campaigns))]
        ) { try $0.bool(0) }
        #expect(ended == [true])
        try TestSupport.waitFor("b to take the campaigns", interval: 0.01) { b.leads(.campaigns) }
        #expect(!a.leads(.campaigns))
        #expect(b.leads(.reminders))

        b.resignDuties()
        try TestSupport.waitFor("a to take both duties", interval: 0.01) { a.leads(.campaigns) && a.leads(.reminders) }
        #expect(!b.leads(.campaigns) && !b.leads(.reminders))
    }

    // MARK: claims across connections

    /// Four connections (as four nodes would) take slots of one channel's pace at once: the
    /// row's lock orders them, and the slots follow each other exactly, on the database's clock.
    @Test func fourConnectionsShareOneChannelsPace() throws {
        let cluster = try PostgresCluster.running()
        let db = try cluster.createDatabase()
        let stores = try (0..<4).map { _ in try PostgresStore(url: cluster.url(db)) }
        try StoreConformance.slotsTakenAtOnceNeverOverlap(stores)
    }

    /// Four connections (as four nodes would) claim one queue at once: `SKIP LOCKED` hands each
    /// delivery to exactly one of them, and none waits for another's rows.
    @Test func concurrentClaimsTakeDisjointDeliveries() throws {
        let cluster = try PostgresCluster.running()
        let db = try cluster.createDatabase()
        let first = try PostgresStore(url: cluster.url(db))
        _ = try first.enqueue(
            Message(template: "welcome"),
            deliveries: (0..<400).map { NewDelivery(channel: "outbox", address: "p\($0)@example.org") },
            idempotency: nil)
        let stores = try [first] + (1..<4).map { _ in try PostgresStore(url: cluster.url(db)) }
        let taken = Mutex<[Int64]>([])
        let failures = Mutex<[String]>([])
        let now = WallClock.nowMillis() + 1
        DispatchQueue.concurrentPerform(iterations: stores.count) { i in
            do {
                while true {
                    let batch = try stores[i].claim(
                        channels: ["outbox"], limit: 7, owner: "node\(i)", leaseMillis: 60_000, now: now)
                    if batch.isEmpty { break }
                    taken.withLock { $0 += batch.map(\.delivery.id) }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let ids = taken.withLock { $0 }
        #expect(ids.count == 400 && Set(ids).count == 400)
        #expect(try first.queueCounts(messageID: nil)[.sending] == 400)
    }

    /// Two nodes starting one campaign at once: the campaign's row is locked, so the second fan-out
    /// finds the first's deliveries and queues nobody twice.
    @Test func concurrentStartsOfOneCampaignQueueEachPersonOnce() throws {
        let cluster = try PostgresCluster.running()
        let db = try cluster.createDatabase()
        let stores = try (0..<3).map { _ in try PostgresStore(url: cluster.url(db)) }
        _ = try stores[0].createList(name: "news", doubleOptIn: false)
        let ids = try stores[0].upsertContacts((0..<300).map { Contact(email: "p\($0)@example.org") }).ids
        try stores[0].setMembership(
            list: "news", contactIDs: ids, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        let c = try stores[0].createCampaign(
            Campaign(name: "spring", list: "news", channels: [CampaignChannel(name: "mail", address: .email)]),
            message: Message(template: "newsletter"))
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: stores.count) { i in
            do { _ = try stores[i].fanOut(campaign: "spring", now: WallClock.nowMillis()) } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(try stores[1].queueCounts(messageID: c.messageID) == [.queued: 300])
        #expect(try stores[2].campaign(named: "spring")?.state == .running)
    }

    /// Three nodes running one recurring campaign's occurrence at once: one records it and queues
    /// its deliveries; the others find the run's row and do nothing.
    @Test func concurrentRunsOfOneOccurrenceRunItOnce() throws {
        let cluster = try PostgresCluster.running()
        let db = try cluster.createDatabase()
        let stores = try (0..<3).map { _ in try PostgresStore(url: cluster.url(db)) }
        _ = try stores[0].createList(name: "mentors", doubleOptIn: false)
        let ids = try stores[0].upsertContacts((0..<50).map { Contact(email: "m\($0)@example.org") }).ids
        try stores[0].setMembership(
            list: "mentors", contactIDs: ids, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        var c = Campaign(name: "follow-up", list: "mentors", channels: [CampaignChannel(name: "mail", address: .email)])
        c.recurrence = try CampaignRecurrence(
            every: "FREQ=MONTHLY;BYDAY=1TU", at: "2030-01-01 10:00", until: nil,
            zone: TimeZone(identifier: "Europe/Copenhagen")!)
        c.sendAt = c.recurrence!.firstAt
        c.state = .recurring
        _ = try stores[0].createCampaign(c, message: Message(template: "newsletter"))
        let runners = stores.map { CampaignRunner(store: $0) }
        let due = c.sendAt! + 1
        let ran = Mutex<[Int]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: runners.count) { i in
            do {
                let runs = try runners[i].runDue(now: due)
                ran.withLock { $0 += runs.map(\.run.occurrence) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        #expect(ran.withLock { $0 } == [0])
        let runs = try stores[1].campaignRuns(campaign: "follow-up")
        #expect(runs.count == 1 && runs[0].counts == [.queued: 50], "\(runs)")
    }

    /// Issue 18.11: a due reminder fanned out through three connections (three nodes) at once is
    /// queued once: the second insert of its `reminder_runs` key waits for the first, then inserts
    /// nothing. No error reaches a caller.
    @Test func concurrentFanOutsOfADueReminderQueueItOnce() throws {
        let cluster = try PostgresCluster.running()
        let db = try cluster.createDatabase()
        let stores = try (0..<3).map { _ in try PostgresStore(url: cluster.url(db)) }
        _ = try stores[0].createList(name: "club", doubleOptIn: false)
        let ids = try stores[0].upsertContacts((0..<50).map { Contact(email: "p\($0)@example.org") }).ids
        try stores[0].setMembership(
            list: "club", contactIDs: ids, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        let schedule = try EventSchedule(
            start: "2030-01-07 18:00", timeZone: "Europe/Copenhagen", duration: "2h", reminders: ["-1d", "-2h"])
        let made = try #require(WallClock.parseRFC3339("2030-01-01T00:00:00Z"))
        _ = try stores[0].createEvent(
            Event(
                name: "dinner", title: "Dinner", list: "club",
                channels: [CampaignChannel(name: "mail", address: .email)], schedule: schedule, location: nil,
                uid: "evt-dinner@example.org"), now: made)
        let due = try #require(WallClock.parseRFC3339("2030-01-07T16:00:00Z"))
        let total = Mutex(ReminderFanOut())
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 6) { i in
            do {
                let r = try stores[i % 3].fanOutDueReminders(now: due)
                total.withLock {
                    $0.reminders += r.reminders
                    $0.deliveries += r.deliveries
                }
            } catch { failures.withLock { $0.append("\(error)") } }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(total.withLock { $0.reminders == 2 && $0.deliveries == 100 })
        #expect(try stores[1].queueCounts(messageID: nil)[.queued] == 150)
    }

    /// The same Idempotency-Key posted through two connections at once makes one message.
    @Test func oneIdempotencyKeyThroughTwoConnectionsMakesOneMessage() throws {
        let cluster = try PostgresCluster.running()
        let db = try cluster.createDatabase()
        let stores = try (0..<2).map { _ in try PostgresStore(url: cluster.url(db)) }
        let key = IdempotencyKey(key: "k", requestHash: Crypto.sha256(Array("body".utf8)))
        let results = Mutex<[EnqueueResult]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let r = try? stores[i % 2].enqueue(
                Message(template: "welcome"), deliveries: [NewDelivery(channel: "outbox", address: "a@example.org")],
                idempotency: key)
            if let r { results.withLock { $0.append(r) } }
        }
        let all = results.withLock { $0 }
        #expect(all.count == 8 && Set(all.map(\.messageID)).count == 1 && all.filter { !$0.replayed }.count == 1)
        #expect(try stores[0].queueCounts(messageID: nil)[.queued] == 1)
    }

    // MARK: the libpq wrapper

    @Test func parametersRoundTripQuotesUnicodeAndNulls() throws {
        let cluster = try PostgresCluster.running()
        let db = try PostgresConnection(cluster.url(try cluster.createDatabase()))
        try db.execute("CREATE TABLE t(id BIGSERIAL PRIMARY KEY, s TEXT, n BIGINT, b BOOLEAN, x BYTEA)")
        let tricky = TemplateTestSupport.trickyName + " '); DROP TABLE t; -- \\ \" $1 \u{1F600}"
        let bytes: [UInt8] = [0, 1, 0x7f, 0x80, 0xff]
        let id = try db.rows(
            "INSERT INTO t(s, n, b, x) VALUES($1, $2, $3, $4) RETURNING id",
            [.text(tricky), .integer(.min), .boolean(true), .bytes(bytes)]
        ) { try $0.int(0) }
        let row = try #require(try db.query("SELECT s, n, b, x FROM t WHERE id = $1", [.integer(id[0])]).rows.first)
        #expect(row.text(0) == tricky)
        #expect(try row.int(1) == .min)
        #expect(try row.bool(2))
        #expect(try row.bytes(3) == bytes)
        try db.query("INSERT INTO t(s) VALUES($1)", [.null])
        let nulls = try db.query("SELECT s, n FROM t WHERE s IS NULL").rows
        #expect(try nulls.count == 1 && nulls[0].optionalText(0) == nil && nulls[0].optionalInt(1) == nil)
        #expect(throws: PostgresError.self) { try nulls[0].int(1) }
        // A NUL cannot be stored: refused, never cut short.
        let nul = #expect(throws: PostgresError.self) {
            try db.query("INSERT INTO t(s) VALUES($1)", [.text("a\u{0}b")])
        }
        #expect(nul?.sqlState == "22021")
        #expect(try db.query("SELECT COUNT(*) FROM t").rows[0].int(0) == 2)
    }

    /// The URL forms of `[storage] url`: TCP, and a socket directory as `?host=`.
    @Test func aStoreOpensByTCPAndBySocketURL() throws {
        let cluster = try PostgresCluster.running()
        let name = try cluster.createDatabase()
        let tcp = try PostgresStore(url: cluster.url(name))
        _ = try tcp.createList(name: "news", doubleOptIn: true)
        let socket = try PostgresStore(
            url: "postgresql://postgres@/\(name)?host=\(cluster.directory)&port=\(cluster.port)")
        #expect(try socket.list(named: "news")?.doubleOptIn == true)
        #expect(socket.schemaVersion == PostgresSchema.migrations.count)
    }

    @Test func errorsNameTheSQLStateAndTheMessage() throws {
        let cluster = try PostgresCluster.running()
        let db = try PostgresConnection(cluster.socketConnInfo(try cluster.createDatabase()))
        try db.execute("CREATE TABLE u(k TEXT PRIMARY KEY)")
        try db.query("INSERT INTO u VALUES($1)", [.text("a")])
        let dup = #expect(throws: PostgresError.self) { try db.query("INSERT INTO u VALUES($1)", [.text("a")]) }
        #expect(dup?.sqlState == "23505" && dup?.isUniqueViolation == true)
        #expect(dup?.message.contains("duplicate key") == true, "\(String(describing: dup))")
        #expect(dup?.description.contains("SQLSTATE 23505") == true)
        let syntax = #expect(throws: PostgresError.self) { try db.query("SELEC 1") }
        #expect(syntax?.sqlState == "42601")
        let missing = #expect(throws: PostgresError.self) { try db.query("SELECT * FROM nowhere") }
        #expect(missing?.sqlState == "42P01" && missing?.isConnectionFailure == false)
        // The connection is still usable after each error.
        #expect(try db.query("SELECT 1").rows[0].int(0) == 1)
    }

    @Test func aConnectionFailureNeverShowsThePassword() throws {
        let cluster = try PostgresCluster.running()
        // A malformed URL: libpq quotes the bad token, which holds the password.
        let malformed = #expect(throws: PostgresError.self) {
            try PostgresConnection("postgresql://app:S3cr%zzet@127.0.0.1:\(cluster.port)/postgres")
        }
        #expect(malformed?.isConnectionFailure == true)
        #expect(malformed.map { !"\($0)".contains("S3cr") } == true, "\(String(describing: malformed))")
        // Nobody listening, a password given apart from the URL.
        let refused = #expect(throws: PostgresError.self) {
            try PostgresConnection("postgresql://app@127.0.0.1:1/postgres?connect_timeout=5", password: "Hunter2pw")
        }
        #expect(refused?.sqlState == "08001")
        #expect(refused.map { !"\($0)".contains("Hunter2pw") } == true)
        // A key/value string with a quoted password and an unknown option.
        let bad = #expect(throws: PostgresError.self) {
            try PostgresConnection("host=127.0.0.1 password='Sw0rdfish x' nonsense=1")
        }
        #expect(bad.map { !"\($0)".contains("Sw0rdfish") } == true, "\(String(describing: bad))")
        #expect(PostgresConnection.passwords(in: "postgresql://u:p%40ss@h/db") == ["p%40ss", "p@ss"])
        #expect(PostgresConnection.passwords(in: "user=password_admin password = 'a b' host=h") == ["a b"])
        #expect(
            PostgresConnection.passwords(in: "postgresql://u@h/db?sslmode=require&password=x%2By") == ["x%2By", "x+y"])
    }

    @Test func aTransactionRollsBackOnAThrowAndOnAFailedStatement() throws {
        let cluster = try PostgresCluster.running()
        let db = try PostgresConnection(cluster.url(try cluster.createDatabase()))
        try db.execute("CREATE TABLE r(k TEXT PRIMARY KEY)")
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try db.transaction {
                try db.query("INSERT INTO r VALUES('thrown')")
                throw Stop()
            }
        }
        // A statement that failed inside, its error caught by the body: nothing is committed.
        let aborted = #expect(throws: PostgresError.self) {
            try db.transaction {
                try db.query("INSERT INTO r VALUES('before')")
                _ = try? db.query("INSERT INTO r VALUES('before')")
                return 1
            }
        }
        #expect(aborted?.sqlState == "25P02")
        #expect(!db.inTransaction)
        let kept = try db.transaction { () throws -> Int in
            try db.query("INSERT INTO r VALUES('kept')")
            return 7
        }
        #expect(kept == 7)
        #expect(try db.rows("SELECT k FROM r ORDER BY k") { $0.text(0) } == ["kept"])
    }

    @Test func migrationsApplyOnceAndRefuseANewerSchema() throws {
        let cluster = try PostgresCluster.running()
        let name = try cluster.createDatabase()
        // Two stores opening the same empty database at once: one migrates, the other finds it done.
        let opened = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let v = (try? PostgresStore(url: cluster.url(name)))?.schemaVersion ?? -1
            opened.withLock { $0.append(v) }
        }
        #expect(opened.withLock { $0 } == [PostgresSchema.migrations.count, PostgresSchema.migrations.count])
        let db = try PostgresConnection(cluster.url(name))
        #expect(
            try db.query("SELECT COUNT(*) FROM schema_version").rows[0].int(0) == Int64(PostgresSchema.migrations.count)
        )
        // The partial indexes of the SQLite schema are there, partial.
        let due = try db.rows("SELECT indexdef FROM pg_indexes WHERE indexname = 'deliveries_due'") { $0.text(0) }
        #expect(due.first?.contains("WHERE") == true)
        try db.query("INSERT INTO schema_version VALUES(99, 0)")
        #expect(throws: StoreError.schemaTooNew(found: 99, supported: PostgresSchema.migrations.count)) {
            try PostgresStore(url: cluster.url(name))
        }
    }
}
