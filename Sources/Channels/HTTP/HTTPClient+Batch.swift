import Outreach

extension HTTPClient {
    /// Sends a batch as one request per message, all on the wire together. A message whose
    /// request cannot be built gets `refused`'s outcome and never reaches the peer; the others get
    /// `outcome` of their result, in the batch's order.
    func send<Failure: Error>(
        _ batch: [OutgoingMessage], build: (OutgoingMessage) throws(Failure) -> HTTPClientRequest,
        refused: (Failure) -> DeliveryOutcome,
        outcome: (Result<HTTPClientResponse, HTTPClientError>) -> DeliveryOutcome
    ) -> [DeliveryOutcome] {
        var outcomes = [DeliveryOutcome?](repeating: nil, count: batch.count)
        var requests: [HTTPClientRequest] = []
        var slots: [Int] = []
        for (i, message) in batch.enumerated() {
            do throws(Failure) {
                requests.append(try build(message))
                slots.append(i)
            } catch {
                outcomes[i] = refused(error)
            }
        }
        for (slot, result) in zip(slots, perform(requests)) {
            outcomes[slot] = outcome(result)
        }
        return outcomes.map { $0! }
    }
}
