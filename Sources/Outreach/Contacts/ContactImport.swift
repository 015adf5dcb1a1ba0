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
    private let iEmail, iPhone, iName, iLocale, iTZ, iPreferred: Int?
    /// The attribute columns in the order their keys are stored (sorted), each with its key
    /// already as JSON (`"city":`); a repeated column name keeps its last column.
    private let attributeColumns: [(index: Int, key: String)]
    private var seen: [String: Int] = [:]

    /// The byte between fields: given, or detected from the header line.
    public let delimiter: CSVDelimiter

    /// Reads the header row: `email`, `phone`, `name`, `locale`, `timezone`, `preferred_channel`; every other column
    /// becomes an attribute.
    /// - Parameter delimiter: the byte between fields; nil to detect it from the header line
    ///   (`,` `;` or tab, `CSVDelimiter.detect`).
    /// - Throws: `CSVError` when the header has no email or phone column, naming the delimiter it
    ///   was split at and the columns that gave.
    public init(_ text: String, validator: ContactValidator, delimiter given: CSVDelimiter? = nil) throws(CSVError) {
        let delimiter = given ?? CSVDelimiter.detect(text)
        self.delimiter = delimiter
        reader = CSVReader(text, delimiter: delimiter)
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
        iPreferred = col("preferred_channel")
        guard header != nil, iEmail != nil || iPhone != nil else {
            throw Self.headerError(names, delimiter: delimiter, detected: given == nil)
        }
        let known = Set([iEmail, iPhone, iName, iLocale, iTZ, iPreferred].compactMap { $0 })
        var last: [String: Int] = [:]
        for (i, n) in names.enumerated() where !known.contains(i) && !n.isEmpty { last[n] = i }
        attributeColumns = last.keys.sorted().map { n in
            var key = ""
            JSON.writeString(n, to: &key)
            return (last[n]!, key + ":")
        }
        seen.reserveCapacity(text.utf8.count / 40)
    }

    /// "needs an email or phone column", with what the header was read as.
    static func headerError(_ names: [String], delimiter: CSVDelimiter, detected: Bool) -> CSVError {
        var m = "the header row needs an email or phone column"
        let shown = names.prefix(8).map { $0.isEmpty ? "(empty)" : "'\($0.singleLine)'" }
        if names.isEmpty || names == [""] {
            m += "; the file is empty"
        } else {
            m += "; split at \(delimiter)\(detected ? ", detected from the header," : "") it has "
            m += names.count == 1 ? "one column, " : "\(names.count) columns: "
            m += shown.joined(separator: ", ") + (names.count > shown.count ? ", …" : "")
            m += ". If the fields are separated by another character, name it with --delimiter (, ; or tab)"
        }
        return CSVError(line: 1, message: m)
    }

    /// The next valid contacts (at most `max` rows read), or nil at the end of the file. Bad rows
    /// are collected in `errors`. Rows are checked in `lanes` parallel slices (the checks are pure);
    /// duplicates are then found in file order.
    public mutating func next(max: Int, lanes: Int = 1) throws(CSVError) -> [ContactRow]? {
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
        var out: [ContactRow] = []
        out.reserveCapacity(batch.count)
        for (row, result) in zip(batch, checked) {
            do throws(ContactError) {
                let checkedRow = try result.get()
                let email = checkedRow.contact.email, phone = checkedRow.contact.phone
                if let email, let first = seen[email] { throw .duplicate(email, firstLine: first) }
                if let phone, let first = seen[phone] { throw .duplicate(phone, firstLine: first) }
                if let email { seen[email] = row.line }
                if let phone { seen[phone] = row.line }
                out.append(checkedRow)
            } catch {
                errors.append(RowError(line: row.line, error: error))
            }
        }
        return out
    }

    private func check(_ batch: [CSVReader.Row], lanes: Int) -> [Result<ContactRow, ContactError>] {
        if lanes <= 1 || batch.count < 256 { return batch.map(contact) }
        let results = Mutex([[Result<ContactRow, ContactError>]](repeating: [], count: lanes))
        let slice = (batch.count + lanes - 1) / lanes
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            let part = batch[min(batch.count, lane * slice)..<min(batch.count, (lane + 1) * slice)].map(contact)
            results.withLock { $0[lane] = part }
        }
        return results.withLock { $0.flatMap { $0 } }
    }

    private func contact(_ row: CSVReader.Row) -> Result<ContactRow, ContactError> {
        func f(_ i: Int?) -> String? { i.flatMap { $0 < row.fields.count ? row.fields[$0] : nil } }
        guard row.fields.count <= names.count else {
            return .failure(.fieldCount(found: row.fields.count, expected: names.count))
        }
        var attributes = "{"
        for a in attributeColumns where a.index < row.fields.count {
            let v = row.fields[a.index].trimmingSpaces
            if v.isEmpty { continue }
            if attributes.utf8.count > 1 { attributes += "," }
            attributes += a.key
            JSON.writeString(v, to: &attributes)
        }
        attributes += "}"
        do throws(ContactError) {
            let c = try validator.contact(
                email: f(iEmail), phone: f(iPhone), name: f(iName), locale: f(iLocale), timeZone: f(iTZ),
                attributes: [:], preferredChannel: f(iPreferred))
            return .success(ContactRow(contact: c, attributesJSON: attributes))
        } catch {
            return .failure(error)
        }
    }

    /// The whole file at once (small files and tests).
    public static func parse(
        _ text: String, validator: ContactValidator, delimiter: CSVDelimiter? = nil
    ) throws(CSVError) -> (contacts: [Contact], errors: [RowError], rows: Int) {
        var r = try ContactImport(text, validator: validator, delimiter: delimiter)
        var all: [Contact] = []
        while let chunk = try r.next(max: 4096) { all += chunk.map(\.fullContact) }
        return (all, r.errors, r.rows)
    }
}
