import Foundation
import Outreach

extension API {
    /// `POST /v1/lists/{list}/subscribe`: a public sign-up form (form-encoded or JSON). A list with
    /// double opt-in gets a pending membership and a confirmation message with `confirm_url`.
    func subscribe(_ req: HTTPRequest, list name: String) throws(APIError) -> Reply {
        let live = snapshot
        if let wait = limiter.take(req.clientAddress, limit: live.settings.subscribeLimit) {
            throw APIError(
                429, "Too many sign-ups from \(req.clientAddress); try again in \(wait) seconds.",
                headers: [("Retry-After", String(wait))])
        }
        let fields = try formOrJSON(req)
        let contact: Contact
        do {
            contact = try ContactValidator(defaultCountry: live.defaultCountry).contact(
                email: fields["email"], phone: fields["phone"], name: fields["name"], locale: fields["locale"],
                timeZone: fields["timezone"], attributes: [:], preferredChannel: fields["preferred_channel"])
        } catch {
            let field: String
            switch error {
            case .badPhone: field = "phone"
            case .badLocale: field = "locale"
            case .badTimeZone: field = "timezone"
            case .badPreferredChannel: field = "preferred_channel"
            case .noAddress: field = "email"
            default: field = "email"
            }
            throw .badField(field, error.description)
        }
        let evidence = "ip=\(req.clientAddress); user-agent=\(req.header("user-agent") ?? "-")"
        // The confirmation, in case the person must confirm (decided by the store, with the membership).
        let useEmail = contact.email != nil
        let channel = live.channels.values.filter { $0.target == .contact && $0.kind == (useEmail ? .email : .sms) }
            .min { $0.name < $1.name }
        let confirmation = channel.flatMap { ch -> (message: Message, delivery: NewDelivery)? in
            guard
                let address = RecipientAddress.resolve(
                    email: contact.email, phone: contact.phone, kind: ch.kind, target: ch.target,
                    attribute: ch.addressAttribute)
            else { return nil }
            return (
                message: Message(
                    template: live.settings.confirmTemplate, data: ["list": .string(name)], kind: .transactional,
                    listName: name),
                delivery: NewDelivery(channel: ch.name, address: address)
            )
        }
        let outcome: SignUpOutcome
        do {
            outcome = try store.signUp(
                SignUpRequest(
                    contact: contact, list: name, consent: Consent(source: "api-signup", evidence: evidence),
                    confirmation: confirmation))
        } catch StoreError.unknownList {
            throw APIError(404, "There is no list named '\(name)'.")
        } catch {
            throw internalError(error, "record the sign-up")
        }
        switch outcome {
        case .alreadySubscribed:
            return .now(.json(200, ["status": "subscribed", "list": .string(name)]))
        case .subscribed(let id):
            Log.info("subscribed contact \(id) to \(name) (sign-up from \(req.clientAddress))")
            wake(Set(live.channels.keys))  // the list's events may have queued an invitation for them
            return .now(.json(200, ["status": "subscribed", "list": .string(name)]))
        case .confirmationQueued(let id, _):
            if let channel { wake([channel.name]) }
            Log.info("pending sign-up of contact \(id) to \(name); confirmation queued on \(channel?.name ?? "-")")
            return .now(.json(202, ["status": "pending", "list": .string(name)]))
        }
    }

    /// The fields of a form-encoded or JSON body (JSON values must be strings).
    func formOrJSON(_ req: HTTPRequest) throws(APIError) -> [String: String] {
        switch req.mediaType {
        case "application/x-www-form-urlencoded":
            return Receipts.formFields(String(decoding: req.body, as: UTF8.self))
        case "application/json":
            let json: JSON
            do { json = try JSON.parse(req.body) } catch {
                throw APIError(400, "body: not valid JSON (\(error.description))")
            }
            guard let o = json.objectValue else { throw APIError(400, "body: must be a JSON object") }
            var out: [String: String] = [:]
            for (k, v) in o {
                guard let s = v.stringValue else { throw .badField(k, "must be a string") }
                out[k] = s
            }
            return out
        default:
            throw APIError(
                415,
                "Content-Type: must be application/x-www-form-urlencoded or application/json, not \(req.header("content-type") ?? "missing")"
            )
        }
    }
}
