/// A channel was named that the configuration does not have.
public struct UnknownChannel: Error, Sendable, Equatable, CustomStringConvertible {
    public let name: String
    /// The channels that are configured, sorted.
    public let configured: [String]

    public init(_ name: String, configured: some Sequence<String>) {
        self.name = name
        self.configured = configured.sorted()
    }

    public var description: String {
        "There is no channel '\(name)'; configured: \(configured.joined(separator: ", "))."
    }
}
