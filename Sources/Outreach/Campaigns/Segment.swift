import Foundation

/// Who of a list a campaign reaches: the `--where` conditions, with defined rules.
///
/// - The same key given twice is OR: `country=DE`, `country=SE` reaches people in either.
/// - Different keys are AND: `country=DE`, `role=mentor` reaches mentors in Germany.
/// - `key!=value` excludes: `country!=DE` leaves out people whose country is DE (people with no
///   country at all stay in).
/// - Keys are the built-in fields (`Field.builtIn`) or the name of a contact attribute.
/// - `country` and `locale` compare without regard to case; `locale=de` also matches `de-AT`
///   and `de-CH`. `email` ignores case too; everything else compares exactly.
public struct Segment: Sendable, Equatable {
    /// What a condition reads of a contact.
    public enum Field: Sendable, Hashable, CustomStringConvertible {
        case email, phone, locale, country, timeZone
        /// Subscribed to another list too (`list=staff`), or not (`list!=staff`).
        case list
        /// A contact attribute, by its exact name.
        case attribute(String)

        /// The built-in fields, in the order messages name them.
        public static let builtIn: [Field] = [.email, .phone, .locale, .country, .timeZone, .list]

        /// Other spellings of the built-in keys: the CSV header's.
        static let aliases: [String: Field] = [
            "e-mail": .email, "mobile": .phone, "language": .locale, "tz": .timeZone, "time_zone": .timeZone,
        ]

        /// The key as written in `--where` and stored: `email`, `timezone`, an attribute's name.
        public var key: String {
            switch self {
            case .email: return "email"
            case .phone: return "phone"
            case .locale: return "locale"
            case .country: return "country"
            case .timeZone: return "timezone"
            case .list: return "list"
            case .attribute(let a): return a
            }
        }

        /// The key, as `--where` takes it.
        public var description: String { key }

        /// A built-in field by its key or an alias (any case); nil for anything else.
        public init?(builtIn key: String) {
            let k = key.lowercased()
            if let f = Self.builtIn.first(where: { $0.key == k }) {
                self = f
            } else if let f = Self.aliases[k] {
                self = f
            } else {
                return nil
            }
        }

        /// Values compare without regard to case.
        public var ignoresCase: Bool {
            switch self {
            case .email, .locale, .country: return true
            default: return false
            }
        }
    }

    /// One key's values: any of `anyOf` (when not empty) and none of `noneOf`.
    public struct Condition: Sendable, Equatable {
        public var field: Field
        /// The field must be one of these; empty for no such requirement.
        public var anyOf: [String]
        /// The field must be none of these.
        public var noneOf: [String]

        /// - Parameters:
        ///   - field: what the condition reads of a contact.
        ///   - anyOf: the field must be one of these (empty: no such requirement).
        ///   - noneOf: the field must be none of these.
        public init(field: Field, anyOf: [String] = [], noneOf: [String] = []) {
            self.field = field
            self.anyOf = anyOf
            self.noneOf = noneOf
        }
    }

    /// One condition per key, in key order; all must hold.
    public private(set) var conditions: [Condition]

    /// - Parameter conditions: conditions on the same field are merged.
    public init(_ conditions: [Condition] = []) {
        var merged: [Condition] = []
        for c in conditions {
            if let i = merged.firstIndex(where: { $0.field == c.field }) {
                merged[i].anyOf += c.anyOf.filter { !merged[i].anyOf.contains($0) }
                merged[i].noneOf += c.noneOf.filter { !merged[i].noneOf.contains($0) }
            } else {
                merged.append(c)
            }
        }
        self.conditions = merged.sorted { $0.field.key < $1.field.key }
    }

    /// Everyone on the list.
    public var isEmpty: Bool { conditions.isEmpty }

    /// The conditions as `--where` takes them (`country=DE`, `role!=staff`).
    public var clauses: [String] {
        conditions.flatMap { c in c.anyOf.map { "\(c.field.key)=\($0)" } + c.noneOf.map { "\(c.field.key)!=\($0)" } }
    }

    /// Reads `key=value` and `key!=value` clauses. A key that is not built-in is taken as an
    /// attribute name; `checked(attributes:lists:)` then says whether it exists.
    /// - Throws: `SegmentError` naming the clause that is not `key=value`, or a value that cannot be.
    public static func parse(_ clauses: [String]) throws(SegmentError) -> Segment {
        var conditions: [Condition] = []
        for clause in clauses {
            guard let eq = clause.firstIndex(of: "=") else { throw .malformed(clause) }
            var key = String(clause[..<eq])
            let excludes = key.hasSuffix("!")
            if excludes { key.removeLast() }
            key = key.trimmingSpaces
            let value = String(clause[clause.index(after: eq)...]).trimmingSpaces
            guard !key.isEmpty else { throw .malformed(clause) }
            guard !value.isEmpty else { throw .emptyValue(clause) }
            let field = Field(builtIn: key) ?? .attribute(key)
            var v = value
            switch field {
            case .locale:
                guard Locales.isValid(value.replacingOccurrences(of: "_", with: "-")) else {
                    throw .badLocale(value)
                }
                v = Locales.canonical(value)
            case .phone:
                v = (try? PhoneNumber.normalize(value, defaultCountry: nil)) ?? value
            default: break
            }
            conditions.append(Condition(field: field, anyOf: excludes ? [] : [v], noneOf: excludes ? [v] : []))
        }
        return Segment(conditions)
    }

    /// The segment with every attribute key checked against the attribute names that exist
    /// (a key differing only in case takes the existing spelling) and every `list` value
    /// against the lists that exist.
    /// - Parameters:
    ///   - attributes: the attribute names contacts have.
    ///   - lists: the names of the lists.
    /// - Throws: `SegmentError.unknownKey` or `.unknownList`, naming the closest existing one.
    public func checked(attributes: Set<String>, lists: Set<String>) throws(SegmentError) -> Segment {
        var out: [Condition] = []
        for var c in conditions {
            switch c.field {
            case .attribute(let key) where !attributes.contains(key):
                let sameButCase = attributes.filter { $0.lowercased() == key.lowercased() }
                if sameButCase.count == 1 {
                    c.field = .attribute(sameButCase.first!)
                } else {
                    // An attribute spelled like a built-in key (`country`) is named once, as built-in.
                    let own = attributes.filter { Field(builtIn: $0) == nil }.sorted()
                    let keys = Field.builtIn.map(\.key) + own
                    throw .unknownKey(key, closest: Spelling.closest(to: key, among: keys), attributes: own)
                }
            case .list:
                for l in c.anyOf + c.noneOf where !lists.contains(l) {
                    throw .unknownList(l, closest: Spelling.closest(to: l, among: lists.sorted()))
                }
            default: break
            }
            out.append(c)
        }
        return Segment(out)
    }

    /// The form stored with a campaign: `[{"key": "country", "is": ["DE"], "not": []}]`.
    public var json: JSON {
        .array(
            conditions.map {
                .object([
                    "key": .string($0.field.key), "is": .array($0.anyOf.map { .string($0) }),
                    "not": .array($0.noneOf.map { .string($0) }),
                ])
            })
    }

    /// Reads the stored form, and the form of campaigns stored before schema 8 (`{"key": "value"}`,
    /// each an equality; a key that is now built-in follows the built-in rules).
    public init(json: JSON) {
        if let o = json.objectValue {
            self.init(
                o.compactMap { k, v in
                    v.stringValue.map { Condition(field: Field(builtIn: k) ?? .attribute(k), anyOf: [$0]) }
                })
            return
        }
        self.init(
            (json.arrayValue ?? []).compactMap { j -> Condition? in
                guard let k = j["key"]?.stringValue else { return nil }
                return Condition(
                    field: Field(builtIn: k) ?? .attribute(k),
                    anyOf: (j["is"]?.arrayValue ?? []).compactMap(\.stringValue),
                    noneOf: (j["not"]?.arrayValue ?? []).compactMap(\.stringValue))
            })
    }
}

/// A `--where` condition refused, and what to write instead.
public enum SegmentError: Error, Equatable, CustomStringConvertible {
    /// Not `key=value` or `key!=value`.
    case malformed(String)
    /// `key=` with nothing after it.
    case emptyValue(String)
    /// `locale=` with something that is not a language tag.
    case badLocale(String)
    /// No built-in field and no attribute has this name.
    case unknownKey(String, closest: String?, attributes: [String])
    /// `list=NAME` names no list.
    case unknownList(String, closest: String?)

    /// One sentence saying what to write instead.
    public var description: String {
        switch self {
        case .malformed(let c):
            return "--where '\(c)' is not key=value or key!=value (country=DE, role!=staff)."
        case .emptyValue(let c):
            return "--where '\(c)' has no value; write the value after the = (country=DE)."
        case .badLocale(let v):
            return "--where locale=\(v): '\(v)' is not a language tag like de or pt-BR."
        case .unknownKey(let k, let closest, let attributes):
            var s = "--where \(k): there is no field or contact attribute '\(k)'"
            if let closest { s += "; did you mean '\(closest)'?" } else { s += "." }
            s += " Built-in: " + Segment.Field.builtIn.map(\.key).joined(separator: ", ") + "; attributes: "
            s += attributes.isEmpty ? "none yet." : attributes.prefix(20).joined(separator: ", ") + "."
            return s
        case .unknownList(let l, let closest):
            var s = "--where list=\(l): there is no list named '\(l)'"
            s += closest.map { "; did you mean '\($0)'?" } ?? "."
            return s
        }
    }
}

/// The nearest of some names to a mistyped one.
enum Spelling {
    /// - Returns: the name within a few edits of `word` (ties: the first in order), or nil.
    static func closest(to word: String, among names: [String]) -> String? {
        let w = word.lowercased()
        let limit = max(2, w.count / 3)
        return names.map { (name: $0, distance: ConfigSection.editDistance($0.lowercased(), w)) }
            .filter { $0.distance <= limit }
            .min { $0.distance < $1.distance }?.name
    }
}
