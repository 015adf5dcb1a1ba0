import Foundation
import Outreach

extension API {
    /// `POST /v1/messages`: checked here on the pool thread, then written by the group committer;
    /// the answer waits until the deliveries are on disk.
    func postMessage(_ req: HTTPRequest) throws(APIError) -> Reply {
        let live = snapshot
        let caller = try live.auth.check(req)
        guard req.mediaType == "application/json" else {
            throw APIError(
                415, "Content-Type: must be application/json, not \(req.header("content-type") ?? "missing")")
        }
        let store = self.store
        let parsed = try TriggerParser(
            live: live, contact: { try store.contact(matching: $0) }, now: WallClock.nowMillis()
        ).parse(req.body)
        var key = req.header("idempotency-key")
        // A signed request's key is its signed webhook-id: a key added by whoever replays a
        // captured request would make each replay a new message.
        if case .webhook(let id) = caller {
            if let k = key, k != id {
                throw .badField(
                    "Idempotency-Key", "must be left out of a signed request or equal its webhook-id, which is its key")
            }
            key = id
        }
        if let k = key, k.isEmpty || k.utf8.count > 255 {
            throw .badField("Idempotency-Key", "must be 1 to 255 characters")
        }
        let idem = key.map { IdempotencyKey(key: $0, requestHash: Crypto.sha256(req.body)) }
        let request = EnqueueRequest(message: parsed.message, deliveries: parsed.deliveries, idempotency: idem)
        return .later { [self] responder in
            committer.submit(request) { outcome in
                responder.send { self.answer(outcome) }
            }
        }
    }

    /// The 202 body, built the same way for a first answer and for a replay. A twin of a request
    /// in flight gets the first's answer as the first got it, marked as a replay.
    func answer(_ outcome: GroupCommitter.Outcome) -> HTTPResponse {
        let request = outcome.request
        switch outcome.result {
        case .success(let r) where r.replayed:
            do {
                let ds = try store.deliveries(state: nil, messageID: r.messageID, limit: 100_000)
                var resp = accepted(r.messageID, ds.map { ($0.id, $0.channel, $0.address) })
                resp.headers.append(("Idempotent-Replayed", "true"))
                return resp
            } catch {
                return internalError(error, "read the earlier answer").response
            }
        case .success(let r):
            storeHealth.succeeded()
            let ds = zip(r.deliveryIDs, request.deliveries).map { ($0, $1.channel, $1.address) }
            var resp = accepted(r.messageID, ds)
            if outcome.twin { resp.headers.append(("Idempotent-Replayed", "true")) }
            return resp
        case .failure(let e as StoreError):
            if case .idempotencyConflict = e { return APIError(409, "Idempotency-Key: \(e.description)").response }
            return internalError(e, "store the message").response
        case .failure(let e as CommitterError):
            return .error(503, e.description, headers: [("Retry-After", "5")])
        case .failure(let e):
            return internalError(e, "store the message").response
        }
    }

    /// `{"deliveries":[{"address":…,"channel":…,"id":…}],"id":…}`, written directly (every
    /// accepted trigger gets one), keys in the sorted order `JSON.serialized` uses elsewhere.
    func accepted(_ id: Int64, _ deliveries: [(Int64, String, String)]) -> HTTPResponse {
        var out: [UInt8] = []
        out.reserveCapacity(64 + deliveries.count * 80)
        out.append(contentsOf: #"{"deliveries":["#.utf8)
        for (n, d) in deliveries.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"address":"#.utf8)
            JSON.writeString(d.2, to: &out)
            out.append(contentsOf: #","channel":"#.utf8)
            JSON.writeString(d.1, to: &out)
            out.append(contentsOf: ",\"id\":\(d.0)}".utf8)
        }
        out.append(contentsOf: "],\"id\":\(id)}\n".utf8)
        return HTTPResponse(status: 202, headers: [("Content-Type", "application/json")], body: out)
    }

    /// `GET /v1/messages/{id}`: every delivery of the message with its state.
    func getMessage(_ req: HTTPRequest, id: String) throws(APIError) -> Reply {
        _ = try snapshot.auth.check(req)
        guard let mid = Int64(id), mid > 0 else { throw .badField("id", "'\(id)' is not a message id") }
        let ds: [Delivery]
        do { ds = try store.deliveries(state: nil, messageID: mid, limit: 100_000) } catch {
            throw internalError(error, "read the message")
        }
        guard !ds.isEmpty else { throw APIError(404, "There is no message \(mid).") }
        var counts: [String: JSON] = [:]
        for d in ds { counts[d.state.rawValue] = JSON((counts[d.state.rawValue]?.intValue ?? 0) + 1) }
        return .now(
            .json(200, ["id": JSON(Int(mid)), "counts": .object(counts), "deliveries": .array(ds.map(\.json))]))
    }
}
