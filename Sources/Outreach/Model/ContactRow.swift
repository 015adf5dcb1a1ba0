/// A checked contact on its way into the store, its attributes already in their stored JSON form:
/// an import renders that on the checking threads, not on the one that writes.
public struct ContactRow: Sendable {
    /// The contact; an import leaves `attributes` empty and carries them only as `attributesJSON`.
    public var contact: Contact
    public var attributesJSON: String

    public init(_ contact: Contact) {
        self.contact = contact
        attributesJSON = contact.attributesJSON
    }

    init(contact: Contact, attributesJSON: String) {
        self.contact = contact
        self.attributesJSON = attributesJSON
    }

    /// The attributes, decoded (for merging into a contact that exists, and for tests).
    public var attributes: [String: String] {
        guard case .object(let o)? = try? JSON.parse(attributesJSON) else { return contact.attributes }
        var out: [String: String] = [:]
        for (k, v) in o { if case .string(let s) = v { out[k] = s } }
        return out
    }

    /// The contact with its attributes filled in.
    public var fullContact: Contact {
        var c = contact
        c.attributes = attributes
        return c
    }
}

extension Contact {
    /// The attributes as a JSON object with sorted keys, as the store keeps them.
    public var attributesJSON: String {
        if attributes.isEmpty { return "{}" }
        var out = "{"
        for (n, k) in attributes.keys.sorted().enumerated() {
            if n > 0 { out += "," }
            JSON.writeString(k, to: &out)
            out += ":"
            JSON.writeString(attributes[k]!, to: &out)
        }
        return out + "}"
    }
}
