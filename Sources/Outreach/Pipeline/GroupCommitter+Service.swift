extension GroupCommitter: Service {
    public var serviceName: String { "group committer" }
    /// Writes and answers what is waiting, refuses anything later.
    public func drain() { stop() }
}
