import Synchronization

/// The credentials read from a section; a class so the copies a section is passed around as share it.
final class SecretValues: Sendable {
    private let values = Mutex<Set<String>>([])
    func note(_ value: String) { _ = values.withLock { $0.insert(value) } }
    var all: Set<String> { values.withLock { $0 } }
}

extension ConfigSection {
    /// Marks `value` as a credential, so `SecretRedactor` keeps it out of every stored or shown
    /// error. `secret(_:)` marks what it reads; a channel marks what else it knows to be one
    /// (an `Authorization` header, the path of a Slack webhook URL).
    public func noteSecret(_ value: String) {
        if !value.isEmpty { secretsRead.note(value) }
    }

    /// The credentials read from this section so far.
    public var secretValues: Set<String> { secretsRead.all }
}

extension Config {
    /// Every credential read from the configuration so far: build the channels and the server
    /// settings first, then the redactor from this.
    public var secretValues: Set<String> {
        (Array(sections.values) + Array(channels.values)).reduce(into: Set<String>()) { $0.formUnion($1.secretValues) }
    }
}
