import Foundation

/// A long-running part of the daemon (the group committer, the channel loops, the HTTP server):
/// started in order, drained in the reverse order, the shape of swift-service-lifecycle's
/// services without its dependency.
public protocol Service: AnyObject, Sendable {
    /// Names the service in the log.
    var serviceName: String { get }
    /// Starts the service's threads; returns once it takes work.
    /// - Throws: when it cannot start (a port in use); the services started before are drained.
    func start() throws
    /// Stops taking work, then finishes or gives back what it holds; returns when it has stopped.
    func drain()
}

/// Services started in the order given and drained in the reverse order: what feeds work to
/// another (the HTTP server feeds the committer, which feeds the channel loops) comes after it,
/// so it stops first and nothing is handed to a service that has stopped.
public final class ServiceGroup: Sendable {
    public let services: [any Service]
    private let log: LogSink

    public init(_ services: [any Service], log: @escaping LogSink) {
        self.services = services
        self.log = log
    }

    /// Starts every service in order. When one fails, those started are drained and the error rethrown.
    public func start() throws {
        var started: [any Service] = []
        for s in services {
            do {
                try s.start()
                started.append(s)
            } catch {
                log(.error, "\(s.serviceName) could not start; stopping the \(started.count) started before it")
                for t in started.reversed() { t.drain() }
                throw error
            }
        }
    }

    /// Drains every service, the last started first.
    public func drain() {
        for s in services.reversed() {
            s.drain()
            log(.info, "\(s.serviceName) stopped")
        }
    }
}
