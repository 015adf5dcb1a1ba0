import Outreach
import Synchronization

/// A `Channel` that sends nothing: it answers each message with the next scripted outcome
/// (`.sent` once the script runs out) and records every batch it was handed.
///
/// `answering` makes it a broken channel: it returns only that many outcomes per batch, so the
/// worker's check of the outcome count can be tested.
final class FakeChannel: Channel {
    let name: String
    let kind: ChannelKind
    let batchSize: Int
    let bounceAddress: String?
    private let state: Mutex<State>

    private struct State {
        var script: [DeliveryOutcome]
        var answering: Int?
        var batches: [[OutgoingMessage]] = []
        var closed = false
    }

    init(
        name: String = "fake", kind: ChannelKind = .email, batchSize: Int = 64,
        script: [DeliveryOutcome] = [], answering: Int? = nil, bounceAddress: String? = nil
    ) {
        self.bounceAddress = bounceAddress
        self.name = name
        self.kind = kind
        self.batchSize = batchSize
        state = Mutex(State(script: script, answering: answering))
    }

    func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome] {
        state.withLock { s in
            s.batches.append(batch)
            var outcomes: [DeliveryOutcome] = []
            for m in batch {
                outcomes.append(s.script.isEmpty ? .sent(providerID: "fake-\(m.deliveryID)") : s.script.removeFirst())
            }
            if let n = s.answering { outcomes = Array(outcomes.prefix(n)) }
            return outcomes
        }
    }

    func close() { state.withLock { $0.closed = true } }

    /// Appends outcomes to the script.
    func script(_ outcomes: DeliveryOutcome...) { state.withLock { $0.script += outcomes } }

    /// Every batch handed to `send`, in order.
    var batches: [[OutgoingMessage]] { state.withLock { $0.batches } }
    /// Every message handed to `send`, in order.
    var sent: [OutgoingMessage] { batches.flatMap { $0 } }
    var closed: Bool { state.withLock { $0.closed } }
}
