import Foundation

/// A list's public sign-up form (issue 19.7): which fields it may set, how their values are
/// checked, and when they reach the contact.
///
/// A form is filled in by anyone, with anyone's address, so what it says about a person is not
/// taken on its word: while the sign-up waits for the person's confirmation (a double opt-in list,
/// or someone who unsubscribed before) the values wait with it and are written when the person
/// confirms by the link; otherwise they go to a new contact, and on an existing one they only fill
/// fields it does not have yet.
public enum SignUpForm {
    /// The sign-up's own fields, read on every form: who signs up and in which language. They make
    /// a new contact and never change an existing one; a list cannot declare them.
    public static let ownFields: Set<String> = ["email", "phone", "name", "locale", "timezone", "preferred_channel"]
    /// The built-in field a list may declare: the ISO 3166 alpha-2 country, kept as the `country`
    /// attribute that segments read (`--where country=IT`). Any other declared name is an attribute.
    public static let builtInFields: Set<String> = ["country"]
    /// The longest value kept, in characters.
    public static let maxValueLength = 200
    /// The most fields one list may declare.
    public static let maxFields = 20

    /// `country,role` as given to `--form-fields`; empty removes them all.
    public static func fieldNames(_ text: String) throws(SignUpFormError) -> [String] {
        var names: [String] = []
        for part in text.split(separator: ",") {
            let name = part.trimmingSpaces
            guard !name.isEmpty else { continue }
            guard !ownFields.contains(name) else { throw .ownField(name) }
            guard name.count <= 64,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) })
            else { throw .badFieldName(name) }
            if !names.contains(name) { names.append(name) }
        }
        guard names.count <= maxFields else { throw .tooManyFields(names.count) }
        return names
    }

    /// A thank-you URL as given to `--thank-you-url`: absolute http or https with a host; empty
    /// removes it (nil).
    public static func thankYouURL(_ text: String) throws(SignUpFormError) -> String? {
        let t = text.trimmingSpaces
        if t.isEmpty { return nil }
        guard t.singleLine == t, !t.contains(" "), let u = URLComponents(string: t),
            let scheme = u.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = u.host, !host.isEmpty
        else { throw .badURL(t) }
        return t
    }

    /// The declared fields' values of a form, checked: empty ones are skipped (an optional field
    /// left blank), others must fit on one line within `maxValueLength`; `country` must be an
    /// ISO 3166 alpha-2 code and is kept upper-case. Fields not declared are ignored.
    public static func values(_ form: [String: String], declared: [String]) throws(SignUpFormError) -> [String: String]
    {
        var out: [String: String] = [:]
        for name in declared {
            guard let raw = form[name]?.trimmingSpaces, !raw.isEmpty else { continue }
            guard raw.singleLine == raw else { throw .badValue(field: name, reason: "must be one line of text") }
            guard raw.count <= maxValueLength else {
                throw .badValue(field: name, reason: "must be at most \(maxValueLength) characters")
            }
            if name == "country" {
                let code = raw.uppercased()
                guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }), PhoneNumber.knowsCountry(code)
                else { throw .badValue(field: name, reason: "must be an ISO 3166 alpha-2 country code like IT or DE") }
                out[name] = code
            } else {
                out[name] = raw
            }
        }
        return out
    }

    /// `attributes` with a form's values: all of them when the person confirmed (their own word),
    /// else only those the contact does not have yet.
    public static func merge(_ values: [String: String], into attributes: [String: String], confirmed: Bool)
        -> [String: String]
    {
        attributes.merging(values) { old, new in confirmed ? new : old }
    }

    /// A sign-up's values as they wait for the person's confirmation: with the instant the form
    /// came, so that only a confirmation link made after it writes them (`confirmedValues`).
    public static func pendingJSON(_ values: [String: String], at: Int64) -> String? {
        values.isEmpty
            ? nil : JSON.object(["at": JSON(Int(at)), "fields": .object(values.mapValues(JSON.string))]).serialized
    }

    /// What a confirmation by a link made at `issuedAt` writes of the pending values: all of them
    /// when the form came before the link, else none. A later form (anyone can post one with the
    /// person's address) replaces the pending values, and the person clicking the link of their own,
    /// earlier sign-up must not write what someone else typed.
    public static func confirmedValues(pending json: String?, issuedAt: Int64) -> [String: String] {
        guard let json, let o = (try? JSON.parse(json))?.objectValue else { return [:] }
        guard let at = o["at"]?.intValue, let fields = o["fields"] else { return attributes(json: json) }
        return Int64(at) <= issuedAt ? (fields.objectValue ?? [:]).compactMapValues(\.stringValue) : [:]
    }

    /// Stored attributes or pending values (a JSON object of strings) read back.
    public static func attributes(json: String?) -> [String: String] {
        guard let json else { return [:] }
        return ((try? JSON.parse(json))?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }
}

/// A form setting or a form value that cannot be used; says what to write.
public enum SignUpFormError: Error, Sendable, Equatable, CustomStringConvertible {
    case badFieldName(String)
    case ownField(String)
    case tooManyFields(Int)
    case badURL(String)
    case badValue(field: String, reason: String)

    public var description: String {
        switch self {
        case .badFieldName(let n):
            return "--form-fields: '\(n)' is not a field name (letters, digits, _ - . up to 64 characters)."
        case .ownField(let n):
            return
                "--form-fields: '\(n)' is read from every sign-up form already and only for new contacts; declare country or attributes."
        case .tooManyFields(let n):
            return "--form-fields: \(n) fields given; a form may set at most \(SignUpForm.maxFields)."
        case .badURL(let u):
            return "--thank-you-url: '\(u)' is not an absolute http or https URL with a host."
        case .badValue(let field, let reason):
            return "\(field): \(reason)"
        }
    }
}
