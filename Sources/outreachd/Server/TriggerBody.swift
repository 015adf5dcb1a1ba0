import Outreach

/// The fields of a `POST /v1/messages` body as written, before they are checked.
///
/// Read member by member into fixed slots rather than through `JSON.parse`: the trigger is the
/// API's hot path, and a dictionary per object (hashing every key, then looking each field up)
/// cost more than the rest of reading it. The whole text is read before anything is checked, so a
/// syntax error anywhere is reported first, as it would be from a parsed tree.
struct TriggerBody {
    /// The members read below, as error messages list them.
    static let fieldNames = "template, to, channels, data, send_at"
    static let recipientFieldNames = "email, phone, contact, name, locale, timezone, address"

    /// False when the text is valid JSON but not an object.
    var isObject = true
    var template: JSON?
    var to: To?
    var channels: JSON?
    var data: JSON?
    var sendAt: JSON?
    /// Keys that are not fields of a trigger.
    var unknown: [String] = []

    /// `to` as written: an array (of recipients, or of whatever else it holds), or another value.
    enum To {
        case array([Element])
        case other(JSON)
    }

    enum Element {
        case recipient(Recipient)
        case other(JSON)
    }

    /// One recipient object's members.
    struct Recipient {
        var email: JSON?
        var phone: JSON?
        var contact: JSON?
        var name: JSON?
        var locale: JSON?
        var timezone: JSON?
        var address: JSON?
        var unknown: [String] = []
    }

    init(_ bytes: [UInt8]) throws(JSONError) {
        var r = JSONReader(bytes: bytes)
        guard r.peek() == UInt8(ascii: "{") else {
            _ = try r.value(depth: 0)
            try r.end()
            isObject = false
            return
        }
        try r.readMembers(depth: 0) { key, r throws(JSONError) in
            switch key {
            case "template": template = try r.value(depth: 1)
            case "to": to = try Self.readTo(&r)
            case "channels": channels = try r.value(depth: 1)
            case "data": data = try r.value(depth: 1)
            case "send_at": sendAt = try r.value(depth: 1)
            default:
                _ = try r.value(depth: 1)
                unknown.append(key)
            }
        }
        try r.end()
    }

    private static func readTo(_ r: inout JSONReader) throws(JSONError) -> To {
        guard r.peek() == UInt8(ascii: "[") else { return .other(try r.value(depth: 1)) }
        var elements: [Element] = []
        try r.readElements(depth: 1) { r throws(JSONError) in
            guard r.peek() == UInt8(ascii: "{") else {
                elements.append(.other(try r.value(depth: 2)))
                return
            }
            var p = Recipient()
            try r.readMembers(depth: 2) { key, r throws(JSONError) in
                let v = try r.value(depth: 3)
                switch key {
                case "email": p.email = v
                case "phone": p.phone = v
                case "contact": p.contact = v
                case "name": p.name = v
                case "locale": p.locale = v
                case "timezone": p.timezone = v
                case "address": p.address = v
                default: p.unknown.append(key)
                }
            }
            elements.append(.recipient(p))
        }
        return .array(elements)
    }
}
