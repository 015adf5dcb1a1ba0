import Foundation
import Outreach

extension API {
    /// `POST /v1/lists/{list}/subscribe`: a public sign-up form (form-encoded or JSON). A list with
    /// double opt-in gets a pending membership and a confirmation message with `confirm_url`.
    func subscribe(_ req: HTTPRequest, list name: String) throws(APIError) -> Reply {
        let live = snapshot
        if let wait = limiter.take(req.clientAddress, limit: live.settings.subscribeLimit) {
            throw APIError(429, "Too many sign-ups from \(req.clientAddress); try again in \(wait) seconds.", headers: [("Retry-After", String(wait))])
        }
        let fields = try formOrJSON(req)
        let contact: Contact
        do {
            contact = try ContactValidator(defaultCountry: live.defaultCountry).contact(
                email: fields["email"], phone: fields["phone"], name: fields["name"], locale: fields["locale"],
                timeZone: fields["timezone"], attributes: [:])
        } catch {
            let field: String
            switch error {
            case .badPhone: field = "phone"
            case .badLocale: field = "locale"
            case .badTimeZone: field = "timezone"
            case .noAddress: field = "email"
            default: field = "email"
            }
            throw .badField(field, error.description)
        }
        do {
            guard let list = try store.list(named: name) else { throw APIError(404, "There is no list named '\(name)'.") }
            // A public form never overwrites what we know about an existing contact.
            let key = contact.email ?? contact.phone!
            let id: Int64
            if let existing = try store.contact(matching: key), let eid = existing.id {
                id = eid
            } else if let nid = try store.upsertContacts([contact]).ids.first {
                id = nid
            } else {
                throw internalError(StoreError.unknownContact(key), "create the contact")
            }
            let current = try store.memberships(contactID: id).first { $0.list == name }?.state
            if current == .subscribed {
                return .now(.json(200, ["status": "subscribed", "list": .string(name)]))
            }
            let evidence = "ip=\(req.clientAddress); user-agent=\(req.header("user-agent") ?? "-")"
            guard list.doubleOptIn else {
                try store.setMembership(list: name, contactIDs: [id], state: .subscribed, consent: Consent(source: "api-signup", evidence: evidence))
                Log.info("subscribed contact \(id) to \(name) (sign-up from \(req.clientAddress))")
                wake(Set(live.channels.keys))  // the list's events may have queued an invitation for them
                return .now(.json(200, ["status": "subscribed", "list": .string(name)]))
            }
            try store.setMembership(list: name, contactIDs: [id], state: .pending, consent: Consent(source: "api-signup", evidence: evidence))
            let template = live.settings.confirmTemplate
            let useEmail = contact.email != nil
            guard let channel = live.channels.values.filter({ $0.target == .contact && $0.kind == (useEmail ? .email : .sms) })
                .min(by: { $0.name < $1.name }) else {
                throw internalError(CLIError.failed("no \(useEmail ? "email" : "SMS") channel is configured"), "send the confirmation")
            }
            let address = useEmail ? contact.email! : contact.phone!
            let url = links.confirmURL(list: name, address: address)
            let message = Message(template: template, data: ["confirm_url": .string(url), "list": .string(name)], kind: .transactional, listName: name)
            _ = try store.enqueue(message, deliveries: [NewDelivery(channel: channel.name, address: address, contactID: id)], idempotency: nil)
            wake([channel.name])
            Log.info("pending sign-up of contact \(id) to \(name); confirmation queued on \(channel.name)")
            return .now(.json(202, ["status": "pending", "list": .string(name)]))
        } catch let e as APIError {
            throw e
        } catch {
            throw internalError(error, "record the sign-up")
        }
    }

    /// The fields of a form-encoded or JSON body (JSON values must be strings).
    func formOrJSON(_ req: HTTPRequest) throws(APIError) -> [String: String] {
        switch req.mediaType {
        case "application/x-www-form-urlencoded":
            return Receipts.formFields(String(decoding: req.body, as: UTF8.self))
        case "application/json":
            let json: JSON
            do { json = try JSON.parse(req.body) } catch { throw APIError(400, "body: not valid JSON (\(error.description))") }
            guard let o = json.objectValue else { throw APIError(400, "body: must be a JSON object") }
            var out: [String: String] = [:]
            for (k, v) in o {
                guard let s = v.stringValue else { throw .badField(k, "must be a string") }
                out[k] = s
            }
            return out
        default:
            throw APIError(415, "Content-Type: must be application/x-www-form-urlencoded or application/json, not \(req.header("content-type") ?? "missing")")
        }
    }
}
