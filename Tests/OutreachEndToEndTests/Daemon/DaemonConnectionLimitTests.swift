import Foundation
import Outreach
import Testing

/// Issue 14.3: one client held the whole connection limit with slow connections, so /healthz
/// timed out for everyone. A client address now gets `[server] per_ip_connections`, and a request
/// head must be complete within `[server] header_timeout` however slowly it trickles in.
@Suite(.serialized)
struct DaemonConnectionLimitTests {
    /// Opens `count` idle connections and waits (at most 10 s) until all but `limit` are closed by
    /// the server; prints how many stayed open. Then closes them all.
    static let idlePeer = """
        import json, select, socket, sys, time
        port, count, limit = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
        socks = []
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            socks.append(s)
        closed = set()
        deadline = time.time() + 10
        while time.time() < deadline and len(closed) < count - limit:
            live = [s for s in socks if s not in closed]
            readable, _, _ = select.select(live, [], [], 0.2)
            for s in readable:
                try:
                    if s.recv(1) == b"":
                        closed.add(s)
                except OSError:
                    closed.add(s)
        print(json.dumps({"open": count - len(closed), "closed": len(closed)}))
        for s in socks:
            s.close()
        """

    @Test func oneAddressGetsAtMostItsShareOfConnections() throws {
        let d = try DaemonHarness(server: "per_ip_connections = 8\nheader_timeout = \"60s\"")
        try d.start()
        let r = try TestSupport.python(Self.idlePeer, [String(d.port), "40", "8"])
        #expect(r.status == 0, "\(r.stderr)")
        let counts = try JSON.parse(r.stdout)
        let open = counts["open"]?.intValue ?? -1
        #expect(open <= 8, "\(r.stdout)")
        #expect(open >= 1, "\(r.stdout)")
        // Once the idle connections are gone, the same address is served again.
        let wait = try TestSupport.run("python3", [DaemonHarness.client, "wait", d.base + "/healthz", "10"])
        #expect(wait.status == 0)
        #expect(d.stop().status == 0)
    }

    /// A head that trickles in (a header line every 0.3 s, so the inactivity timeout never fires)
    /// is cut off at the deadline; a prompt request on a fresh connection is still answered.
    @Test func aRequestHeadMustBeCompleteWithinTheDeadline() throws {
        let d = try DaemonHarness(server: "header_timeout = \"2s\"")
        try d.start()
        let r = try TestSupport.python(
            """
            import json, socket, sys, time
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
            s.sendall(b"GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n")
            closed, lines = False, 0
            deadline = time.time() + 12
            while time.time() < deadline and not closed:
                time.sleep(0.3)
                try:
                    s.sendall(b"X-Slow-%d: y\\r\\n" % lines)
                    lines += 1
                    s.settimeout(0.01)
                    if s.recv(1) == b"":
                        closed = True
                except socket.timeout:
                    pass
                except OSError:
                    closed = True
            print(json.dumps({"closed": closed, "lines": lines}))
            """, [String(d.port)])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try JSON.parse(r.stdout)["closed"] == .bool(true), "\(r.stdout)")
        #expect(try d.send(["method": "GET", "path": "/healthz"]).status == 200)
        #expect(d.stop().status == 0)
    }

    @Test func badLimitsAreRefusedWithTheKey() throws {
        let d = try DaemonHarness(server: "per_ip_connections = -1\nheader_timeout = \"0s\"")
        let r = try d.cli(["check"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("'per_ip_connections' must be between 0 (no limit) and 4096"), "\(r.stderr)")
        let t = try DaemonHarness(server: "header_timeout = \"0s\"")
        #expect(try t.cli(["check"]).stderr.contains("'header_timeout' must be a duration from 1s to 5m"))
    }
}
