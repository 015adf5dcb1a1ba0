/// A CSV file checked row by row. Rows come out in chunks, so a large file can be stored while the
/// rest is still being checked; the caller commits only if no row was bad.
public struct ContactImport: Sendable {
    public struct RowError: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var error: ContactError
        public var description: String { "line \(line): \(error.description)" }
    }

    public private(set) var errors: [RowError] = []
    public private(set) var rows = 0

    private var reader: CSVReader
    private let validator: ContactValidator
    private let names: [String]
    private let iEmail, iPhone, iName, iLocale, iTZ: Int?
    private let known: Set<Int>
    private var seen: [String: Int] = [:]

    /// Reads the header row: `email`, `phone`, `name`, `locale`, `timezone`; every other column
    /// becomes an attribute.
    public init(_ text: String, validator: ContactValidator) throws(CSVError) {
        reader = CSVReader(text)
        self.validator = validator
        let header = reader.next()
        names = (header?.fields ?? []).map { $0.trimmingSpaces.lowercased() }
        let names = self.names
        func col(_ n: String...) -> Int? { names.firstIndex { n.contains($0) } }
        iEmail = col("email", "e-mail")
        iPhone = col("phone", "mobile")
        iName = col("name")
        iLocale = col("locale", "language")
        iTZ = col("timezone", "tz", "time_zone")
        guard header != nil, iEmail != nil || iPhone != nil else {
            throw CSVError(line: 1, message: "the header row needs an email or phone column")
        }
        known = Set([iEmail, iPhone, iName, iLocale, iTZ].compactMap { $0 })
        seen.reserveCapacity(text.utf8.count / 40)
    }

    /// The next valid contacts (at most `max`), or nil at the end of the file. Bad rows are
    /// collected in `errors`.
    public mutating func next(max: Int) throws(CSVError) -> [Contact]? {
        var out: [Contact] = []
        out.reserveCapacity(max)
        while out.count < max, let row = reader.next() {
            if row.fields.count == 1, row.fields[0].trimmingSpaces.isEmpty { continue }
            rows += 1
            do throws(ContactError) {
                out.append(try contact(row))
            } catch {
                errors.append(RowError(line: row.line, error: error))
            }
        }
        if let e = reader.error { throw e }
        return out.isEmpty ? nil : out
    }

    private mutating func contact(_ row: CSVReader.Row) throws(ContactError) -> Contact {
        func f(_ i: Int?) -> String? { i.flatMap { $0 < row.fields.count ? row.fields[$0] : nil } }
        guard row.fields.count <= names.count else { throw .fieldCount(found: row.fields.count, expected: names.count) }
        var attrs: [String: String] = [:]
        attrs.reserveCapacity(names.count - known.count)
        for (i, n) in names.enumerated() where !known.contains(i) && !n.isEmpty && i < row.fields.count {
            let v = row.fields[i].trimmingSpaces
            if !v.isEmpty { attrs[n] = v }
        }
        let c = try validator.contact(email: f(iEmail), phone: f(iPhone), name: f(iName), locale: f(iLocale),
                                      timeZone: f(iTZ), attributes: attrs)
        for key in [c.email, c.phone].compactMap({ $0 }) {
            if let first = seen[key] { throw .duplicate(key, firstLine: first) }
        }
        for key in [c.email, c.phone].compactMap({ $0 }) { seen[key] = row.line }
        return c
    }

    /// The whole file at once (small files and tests).
    public static func parse(_ text: String, validator: ContactValidator) throws(CSVError) -> (contacts: [Contact], errors: [RowError], rows: Int) {
        var r = try ContactImport(text, validator: validator)
        var all: [Contact] = []
        while let chunk = try r.next(max: 4096) { all += chunk }
        return (all, r.errors, r.rows)
    }
}
