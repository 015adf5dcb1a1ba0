import Foundation
import Outreach

/// The HTTP API as a service: started last (everything behind it runs by then), drained first.
final class HTTPService: Service {
    let server: HTTPServer
    let api: API
    let address: ListenAddress
    let threads: Int
    let perAddressLimit: Int
    /// How long a drain waits for requests in progress before closing their connections.
    static let drainSeconds: TimeInterval = 5

    init(server: HTTPServer, api: API, address: ListenAddress, threads: Int, perAddressLimit: Int) {
        self.server = server
        self.api = api
        self.address = address
        self.threads = threads
        self.perAddressLimit = perAddressLimit
    }

    var serviceName: String { "HTTP server on \(address)" }

    func start() throws {
        try server.start(listen: address, threads: threads, perAddressLimit: perAddressLimit)
    }

    /// Stops accepting, lets the requests received be answered, then closes every connection.
    func drain() {
        api.draining.store(true, ordering: .relaxed)
        server.quiesce()
        let deadline = Date(timeIntervalSinceNow: Self.drainSeconds)
        while server.active.load(ordering: .relaxed) > 0 && Date() < deadline { usleep(10_000) }
        // Past the grace nothing more goes to the group committer: requests still coming on open
        // connections would keep the wait below going for as long as they come, and one suspended
        // after it ended would be answered on a connection `stop` has freed.
        server.refuseLater()
        // A request waiting for the group committer must hear its answer before its connection is
        // freed; the committer (drained after us) is still running and answers it. Counted until
        // the answer is sent: one only resumed would be cut off by `stop`.
        while server.suspended.load(ordering: .sequentiallyConsistent) > 0 { usleep(10_000) }
        server.stop()
    }
}
