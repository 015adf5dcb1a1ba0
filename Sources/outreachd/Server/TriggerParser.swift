import Foundation
import Outreach

/// Checks the body of `POST /v1/messages` and turns it into deliveries, naming the field at fault.
struct TriggerParser {
    let live: API.Live
    /// Looks up `{"contact": "id-or-email"}` recipients.
    let contact: (String) throws -> Contact?
    let now: Int64

    func parse(_ body: [UInt8]) throws(APIError) -> (message: Message, deliveries: [NewDelivery]) {
        let o: TriggerBody
        do { o = try TriggerBody(body) } catch { throw APIError(400, "body: not valid JSON (\(error.description))") }
        guard o.isObject else { throw APIError(400, "body: must be a JSON object") }
        if let k = o.unknown.min() {
            throw .badField(k, "is not a field of a trigger (\(TriggerBody.fieldNames))")
        }
        guard let t = o.template else { throw .badField("template", "is required") }
        guard let template = t.stringValue, !template.isEmpty else {
            throw .badField("template", "must be a non-empty string")
        }
        // ASCII names are checked on bytes; others go through Unicode's letter and number classes.
        let asciiName = template.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
        }
        guard asciiName || template.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw .badField("template", "'\(template)' may contain only letters, digits, - and _")
        }
        guard live.templates.has(template) else {
            throw APIError(422, "template: there is no template named '\(template)'")
        }

        var data = JSON.object([:])
        if let d = o.data {
            guard d.objectValue != nil else { throw .badField("data", "must be a JSON object") }
            data = d
        }
        var notBefore: Int64? = nil
        if let s = o.sendAt {
            guard let text = s.stringValue, let at = Timestamps.parse(text) else {
                throw .badField("send_at", "must be an RFC 3339 time like 2026-12-01T09:00:00+01:00")
            }
            notBefore = max(at, now)
        }
        let explicit = try channels(o.channels)
        for c in explicit ?? [] where c.target == .contact {
            guard live.templates.has(template, kind: c.kind) else {
                throw APIError(422, "template: '\(template)' has no \(c.kind.rawValue) variant for channel '\(c.name)'")
            }
        }

        guard let toValue = o.to else {
            // Only room channels take a trigger without recipients: one post to each room.
            guard let explicit, let address = RecipientAddress.withoutRecipient(targets: explicit.map(\.target))
            else { throw .badField("to", "is required") }
            let deliveries = explicit.map { NewDelivery(channel: $0.name, address: address, notBefore: notBefore) }
            return (Message(template: template, data: data, kind: .transactional), deliveries)
        }
        guard case .array(let to) = toValue, !to.isEmpty else {
            throw .badField("to", "must be a non-empty array of recipients")
        }
        var deliveries: [NewDelivery] = []
        var seen: Set<String> = []
        var languages: Set<String> = []
        func add(_ d: NewDelivery) {
            // A handful of deliveries is searched; a long list gets a set of what it holds.
            if deliveries.count < 16 {
                if !deliveries.contains(where: { $0.channel == d.channel && $0.address == d.address }) {
                    deliveries.append(d)
                }
                return
            }
            if seen.isEmpty { for e in deliveries { seen.insert(e.channel + "\u{0}" + e.address) } }
            if seen.insert(d.channel + "\u{0}" + d.address).inserted { deliveries.append(d) }
        }
        for (i, r) in to.enumerated() {
            let field = FieldName(index: i)
            let recipient = try recipient(r, field: field)
            let targets: [ChannelInfo]
            if let explicit {
                targets = explicit
            } else {
                targets = try defaultChannels(for: recipient, field: field, template: template)
            }
            var any = false
            for c in targets {
                if c.target == .room {
                    add(NewDelivery(channel: c.name, address: RecipientAddress.room, notBefore: notBefore))
                    any = true
                    continue
                }
                let address = RecipientAddress.resolve(
                    email: recipient.email, phone: recipient.phone, attributes: recipient.attributes,
                    explicit: recipient.address, kind: c.kind, target: c.target,
                    attribute: c.addressAttribute)
                guard let address else {
                    if explicit != nil && targets.count == 1 {
                        throw .badField(
                            field.description,
                            "has no \(c.kind == .email ? "email" : c.kind == .sms ? "phone" : "address") for channel '\(c.name)'"
                        )
                    }
                    continue
                }
                any = true
                // Per-language data values are checked once per kind and language (issue 19.5).
                if languages.insert("\(c.kind)|\(recipient.locale ?? "")").inserted,
                    let m = live.templates.missingValue(
                        in: data, template: template, kind: c.kind, locale: recipient.locale)
                {
                    throw APIError(422, "data: " + m.description)
                }
                add(
                    NewDelivery(
                        channel: c.name, address: address, contactID: recipient.contactID,
                        name: recipient.contactID == nil ? recipient.name : nil,
                        locale: recipient.contactID == nil ? recipient.locale : nil,
                        timeZone: recipient.contactID == nil ? recipient.timeZone : nil, notBefore: notBefore))
            }
            guard any else {
                throw .badField(
                    field.description,
                    "has no address any of the channels (\(targets.map(\.name).joined(separator: ", "))) can send to")
            }
        }
        return (Message(template: template, data: data, kind: .transactional), deliveries)
    }

    /// `to[i]`, spelled out only when an error names it.
    struct FieldName: CustomStringConvertible {
        var index: Int
        var description: String { "to[\(index)]" }
    }

    struct Recipient {
        var email: String?
        var phone: String?
        var address: String?
        var name: String?
        var locale: String?
        var timeZone: String?
        var contactID: Int64?
        var attributes: [String: String] = [:]
    }

    func recipient(_ value: TriggerBody.Element, field: FieldName) throws(APIError) -> Recipient {
        guard case .recipient(let o) = value else {
            throw .badField(field.description, "must be an object like {\"email\": \"a@example.org\"}")
        }
        if let k = o.unknown.min() {
            throw .badField("\(field).\(k)", "is not a recipient field (\(TriggerBody.recipientFieldNames))")
        }
        func string(_ v: JSON?, _ k: String) throws(APIError) -> String? {
            guard let v else { return nil }
            guard let s = v.stringValue else { throw .badField("\(field).\(k)", "must be a string") }
            return s
        }
        var r = Recipient()
        if let key = try string(o.contact, "contact") {
            let found: Contact?
            do { found = try contact(key) } catch {
                throw APIError(500, "The server could not look up \(field).contact.")
            }
            guard let c = found, let id = c.id else {
                throw APIError(422, "\(field).contact: no contact matches '\(key)'")
            }
            r.contactID = id
            r.email = c.email
            r.phone = c.phone
            r.name = c.name
            r.locale = c.locale
            r.timeZone = c.timeZone
            r.attributes = c.attributes
            return r
        }
        if let e = try string(o.email, "email") {
            do { r.email = try EmailAddress.normalize(e) } catch {
                throw .badField("\(field).email", error.description)
            }
        }
        if let p = try string(o.phone, "phone") {
            do { r.phone = try PhoneNumber.normalize(p, defaultCountry: live.defaultCountry) } catch {
                throw .badField("\(field).phone", error.description)
            }
        }
        r.address = try string(o.address, "address")
        guard r.email != nil || r.phone != nil || r.address != nil else {
            throw .badField(field.description, "needs an email, a phone or a contact")
        }
        if let n = try string(o.name, "name") {
            let line = n.singleLine
            r.name = line.isEmpty ? nil : line
        }
        if let l = try string(o.locale, "locale") {
            guard Locales.isValid(l) else {
                throw .badField("\(field).locale", "'\(l)' is not a language tag like da, en or pt-BR")
            }
            r.locale = Locales.canonical(l)
        }
        if let z = try string(o.timezone, "timezone") {
            guard TimeZone(identifier: z) != nil else {
                throw .badField("\(field).timezone", "'\(z)' is not an IANA time zone like Europe/Copenhagen")
            }
            r.timeZone = z
        }
        return r
    }

    func channels(_ value: JSON?) throws(APIError) -> [ChannelInfo]? {
        guard let value else { return nil }
        guard let a = value.arrayValue, !a.isEmpty else {
            throw .badField("channels", "must be a non-empty array of channel names")
        }
        var out: [ChannelInfo] = []
        for (i, v) in a.enumerated() {
            guard let name = v.stringValue else { throw .badField("channels[\(i)]", "must be a string") }
            guard let c = live.channels[name] else {
                throw .badField(
                    "channels[\(i)]",
                    "there is no channel named '\(name)' (configured: \(live.channels.keys.sorted().joined(separator: ", ")))"
                )
            }
            if !out.contains(where: { $0.name == name }) { out.append(c) }
        }
        return out
    }

    /// Without `channels`: the first email channel for an email, the first SMS channel for a phone.
    func defaultChannels(for r: Recipient, field: FieldName, template: String) throws(APIError) -> [ChannelInfo] {
        var out: [ChannelInfo] = []
        let first = live.firstContactChannels
        if r.email != nil, let c = first[.email] { out.append(c) }
        if r.phone != nil, let c = first[.sms] { out.append(c) }
        if r.address != nil, let c = first[.chat] { out.append(c) }
        guard !out.isEmpty else {
            throw .badField(
                field.description, "no configured channel can reach this recipient; name one in \"channels\"")
        }
        // Prefer the channels the template has a variant for; refuse when it has none of them.
        let usable = out.filter { live.templates.has(template, kind: $0.kind) }
        guard !usable.isEmpty else {
            throw APIError(
                422, "template: '\(template)' has no \(out.map(\.kind.rawValue).joined(separator: " or ")) variant")
        }
        return usable
    }
}
