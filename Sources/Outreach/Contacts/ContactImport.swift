/// A CSV file checked row by row before anything is stored.
public struct ContactImport: Sendable {
    public struct RowError: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var error: ContactError
        public var description: String { "line \(line): \(error.description)" }
    }

    public var contacts: [Contact] = []
    public var errors: [RowError] = []
    public var rows = 0

    /// Reads the whole file: header row, then `email`, `phone`, `name`, `locale`, `timezone`, and
    /// every other column as an attribute.
    public static func parse(_ text: String, validator: ContactValidator) throws(CSVError) -> ContactImport {
        var reader = CSVReader(text)
        var result = ContactImport()
        guard let header = reader.next() else { return result }
        let names = header.fields.map { $0.trimmingSpaces.lowercased() }
        func col(_ n: String...) -> Int? { names.firstIndex { n.contains($0) } }
        let iEmail = col("email", "e-mail"), iPhone = col("phone", "mobile"), iName = col("name")
        let iLocale = col("locale", "language"), iTZ = col("timezone", "tz", "time_zone")
        guard iEmail != nil || iPhone != nil else {
            throw CSVError(line: 1, message: "the header row needs an email or phone column")
        }
        let known = Set([iEmail, iPhone, iName, iLocale, iTZ].compactMap { $0 })
        var seen: [String: Int] = [:]
        while let row = reader.next() {
            if row.fields.count == 1, row.fields[0].trimmingSpaces.isEmpty { continue }
            result.rows += 1
            func f(_ i: Int?) -> String? { i.flatMap { $0 < row.fields.count ? row.fields[$0] : nil } }
            var attrs: [String: String] = [:]
            for (i, n) in names.enumerated() where !known.contains(i) && !n.isEmpty && i < row.fields.count {
                let v = row.fields[i].trimmingSpaces
                if !v.isEmpty { attrs[n] = v }
            }
            do throws(ContactError) {
                if row.fields.count > names.count {
                    throw .fieldCount(found: row.fields.count, expected: names.count)
                }
                let c = try validator.contact(email: f(iEmail), phone: f(iPhone), name: f(iName), locale: f(iLocale),
                                              timeZone: f(iTZ), attributes: attrs)
                for key in [c.email, c.phone].compactMap({ $0 }) {
                    if let first = seen[key] { throw .duplicate(key, firstLine: first) }
                }
                for key in [c.email, c.phone].compactMap({ $0 }) { seen[key] = row.line }
                result.contacts.append(c)
            } catch {
                result.errors.append(RowError(line: row.line, error: error))
            }
        }
        if let e = reader.error { throw e }
        return result
    }
}
