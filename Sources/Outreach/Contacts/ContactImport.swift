import Foundation
import Synchronization

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

    /// The next valid contacts (at most `max` rows read), or nil at the end of the file. Bad rows
    /// are collected in `errors`. Rows are checked in `lanes` parallel slices (the checks are pure);
    /// duplicates are then found in file order.
    public mutating func next(max: Int, lanes: Int = 1) throws(CSVError) -> [Contact]? {
        var batch: [CSVReader.Row] = []
        batch.reserveCapacity(max)
        while batch.count < max, let row = reader.next() {
            if row.fields.count == 1, row.fields[0].trimmingSpaces.isEmpty { continue }
            batch.append(row)
        }
        if let e = reader.error { throw e }
        if batch.isEmpty { return nil }
        rows += batch.count
        let checked = check(batch, lanes: lanes)
        var out: [Contact] = []
        out.reserveCapacity(batch.count)
        for (row, result) in zip(batch, checked) {
            do throws(ContactError) {
                let c = try result.get()
                for key in [c.email, c.phone].compactMap({ $0 }) {
                    if let first = seen[key] { throw .duplicate(key, firstLine: first) }
                }
                for key in [c.email, c.phone].compactMap({ $0 }) { seen[key] = row.line }
                out.append(c)
            } catch {
                errors.append(RowError(line: row.line, error: error))
            }
        }
        return out
    }

    private func check(_ batch: [CSVReader.Row], lanes: Int) -> [Result<Contact, ContactError>] {
        if lanes <= 1 || batch.count < 256 { return batch.map(contact) }
        let results = Mutex([[Result<Contact, ContactError>]](repeating: [], count: lanes))
        let slice = (batch.count + lanes - 1) / lanes
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            let part = batch[min(batch.count, lane * slice)..<min(batch.count, (lane + 1) * slice)].map(contact)
            results.withLock { $0[lane] = part }
        }
        return results.withLock { $0.flatMap { $0 } }
    }

    private func contact(_ row: CSVReader.Row) -> Result<Contact, ContactError> {
        func f(_ i: Int?) -> String? { i.flatMap { $0 < row.fields.count ? row.fields[$0] : nil } }
        guard row.fields.count <= names.count else { return .failure(.fieldCount(found: row.fields.count, expected: names.count)) }
        var attrs: [String: String] = [:]
        attrs.reserveCapacity(names.count - known.count)
        for (i, n) in names.enumerated() where !known.contains(i) && !n.isEmpty && i < row.fields.count {
            let v = row.fields[i].trimmingSpaces
            if !v.isEmpty { attrs[n] = v }
        }
        do throws(ContactError) {
            return .success(try validator.contact(email: f(iEmail), phone: f(iPhone), name: f(iName), locale: f(iLocale),
                                                  timeZone: f(iTZ), attributes: attrs))
        } catch {
            return .failure(error)
        }
    }

    /// The whole file at once (small files and tests).
    public static func parse(_ text: String, validator: ContactValidator) throws(CSVError) -> (contacts: [Contact], errors: [RowError], rows: Int) {
        var r = try ContactImport(text, validator: validator)
        var all: [Contact] = []
        while let chunk = try r.next(max: 4096) { all += chunk }
        return (all, r.errors, r.rows)
    }
}
