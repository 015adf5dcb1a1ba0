import Foundation
import Outreach

extension API {
    /// `POST /v1/lists/{list}/subscribe`: a public sign-up form (form-encoded, multipart or JSON). A
    /// list with double opt-in gets a pending membership and a confirmation message with `confirm_url`.
    /// A browser posting a form (`Accept: text/html`) is sent on to the list's thank-you page (303),
    /// or gets the built-in one; API clients get JSON. Allowed origins get CORS headers.
    func subscribe(_ req: HTTPRequest, list name: String) throws(APIError) -> Reply {
        let live = snapshot
        let html = SignUpForm.prefersHTML(accept: req.header("accept"))
        let cors = corsHeaders(req, live.settings.allowedOrigins)
        var fields: [String: String] = [:]
        do {
            fields = try formOrJSON(req)
            let (list, outcome, address) = try signUp(req, list: name, fields: fields, live: live)
            let pending: Bool
            switch outcome {
            case .alreadySubscribed, .subscribed: pending = false
            case .confirmationQueued: pending = true
            }
            var response: HTTPResponse
            if !html {
                response = .json(
                    pending ? 202 : 200, ["status": pending ? "pending" : "subscribed", "list": .string(name)])
            } else if let url = list.details.thankYouURL {
                response = HTTPResponse(status: 303, headers: [("Location", url), ("Cache-Control", "no-store")])
            } else {
                let lang = LinkPages.language([fields["locale"], req.header("accept-language")])
                let title = list.details.titles(name: list.name).text(for: lang.lang)
                response = .html(
                    pending ? 202 : 200,
                    pending
                        ? LinkPages.checkInbox(lang, list: title, address: address)
                        : LinkPages.confirmed(lang, list: title))
            }
            response.headers += cors
            return .now(response)
        } catch {
            var response: HTTPResponse
            if html {
                let lang = LinkPages.language([fields["locale"], req.header("accept-language")])
                response = .html(
                    error.status, LinkPages.signUpFailed(lang, status: error.status, detail: error.message))
                response.headers += error.headers
            } else {
                response = error.response
            }
            response.headers += cors
            return .now(response)
        }
    }

    /// `OPTIONS /v1/lists/{list}/subscribe`: the CORS preflight of a page's script. 204 with the
    /// allowance for an origin in `[server] allowed_origins`, else 403 (the browser then does not post).
    func subscribePreflight(_ req: HTTPRequest) -> Reply {
        let origins = snapshot.settings.allowedOrigins
        let cors = corsHeaders(req, origins)
        guard !cors.isEmpty else {
            var r = HTTPResponse.error(
                403, "Origin: \(req.header("origin") ?? "missing") is not one of [server] allowed_origins.")
            r.headers.append(("Vary", "Origin"))
            return .now(r)
        }
        return .now(
            HTTPResponse(
                status: 204,
                headers: cors + [
                    ("Access-Control-Allow-Methods", "POST"), ("Access-Control-Allow-Headers", "Content-Type"),
                    ("Access-Control-Max-Age", "7200"),
                ]))
    }

    /// The CORS headers of an answer to `req`: its origin back when allowed, else none (the browser
    /// then keeps the answer from the page's script).
    func corsHeaders(_ req: HTTPRequest, _ origins: AllowedOrigins) -> [(String, String)] {
        guard let origin = req.header("origin"), origins.allows(origin) else { return [] }
        return [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
    }

    /// Checks and stores one sign-up; the list, what the store did, and the address the person
    /// gave (for the thank-you page).
    private func signUp(_ req: HTTPRequest, list name: String, fields: [String: String], live: Live) throws(APIError)
        -> (MailingList, SignUpOutcome, String)
    {
        if let wait = limiter.take(req.clientAddress, limit: live.settings.subscribeLimit) {
            throw APIError(
                429, "Too many sign-ups from \(req.clientAddress); try again in \(wait) seconds.",
                headers: [("Retry-After", String(wait))])
        }
        let list: MailingList
        do {
            guard let l = try store.list(named: name) else { throw APIError(404, "There is no list named '\(name)'.") }
            list = l
        } catch let e as APIError {
            throw e
        } catch {
            throw internalError(error, "record the sign-up")
        }
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
        let values: [String: String]
        do { values = try SignUpForm.values(fields, declared: list.details.formFields) } catch {
            throw APIError(400, error.description)
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
                    confirmation: confirmation, fields: values))
        } catch StoreError.unknownList {
            throw APIError(404, "There is no list named '\(name)'.")
        } catch {
            throw internalError(error, "record the sign-up")
        }
        switch outcome {
        case .alreadySubscribed:
            break
        case .subscribed(let id):
            Log.info("subscribed contact \(id) to \(name) (sign-up from \(req.clientAddress))")
            wake(Set(live.channels.keys))  // the list's events may have queued an invitation for them
        case .confirmationQueued(let id, _):
            if let channel { wake([channel.name]) }
            Log.info("pending sign-up of contact \(id) to \(name); confirmation queued on \(channel?.name ?? "-")")
        }
        return (list, outcome, contact.email ?? contact.phone ?? "")
    }

    /// The fields of a form-encoded, multipart or JSON body (JSON values must be strings).
    func formOrJSON(_ req: HTTPRequest) throws(APIError) -> [String: String] {
        if let form = SignUpForm.formFields(body: req.body, contentType: req.header("content-type")) { return form }
        guard req.mediaType == "application/json" else {
            throw APIError(
                415,
                "Content-Type: must be application/x-www-form-urlencoded, multipart/form-data or application/json, not \(req.header("content-type") ?? "missing")"
            )
        }
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
    }
}
