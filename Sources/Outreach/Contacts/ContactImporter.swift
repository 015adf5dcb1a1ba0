import Foundation
import Synchronization

/// The import of a CSV file of contacts, as every entry point runs it: every row is checked,
/// and unless bad rows may be skipped, nothing is stored when any row is bad. The file is
/// checked on one thread while this one writes what was checked, inside one transaction that
/// is rolled back when a bad row turns up.
public struct ContactImporter: Sendable {
    /// What an import did.
    public struct Report: Sendable {
        /// Data rows read.
        public var rows: Int
        /// What was stored; nil when nothing was (bad rows and no skipping).
        public var counts: ImportCounts?
        /// The rows refused, with their line numbers, in file order.
        public var rowErrors: [ContactImport.RowError]
        /// The byte between fields, as given or as detected from the header.
        public var delimiter: CSVDelimiter
    }

    public let validator: ContactValidator
    /// Bad rows are left out instead of stopping the import.
    public let skipInvalid: Bool
    /// Rows checked and written together (the hand-off between the two threads).
    public let chunkRows: Int
    /// The byte between fields; nil to detect it from the header line (`,` `;` or tab).
    public let delimiter: CSVDelimiter?

    /// - Parameters:
    ///   - validator: checks each row.
    ///   - skipInvalid: bad rows are left out instead of stopping the import.
    ///   - delimiter: the byte between fields; nil to detect it from the header line.
    ///   - chunkRows: rows checked and written together.
    public init(
        validator: ContactValidator, skipInvalid: Bool, delimiter: CSVDelimiter? = nil, chunkRows: Int = 4000
    ) {
        self.validator = validator
        self.skipInvalid = skipInvalid
        self.delimiter = delimiter
        self.chunkRows = chunkRows
    }

    /// Imports `text` into `store`, adding everyone to `list` when given.
    /// - Parameters:
    ///   - store: opened only once the file's header was read: a file that is no contact list
    ///     changes nothing, not even by creating the database.
    ///   - source: recorded with each consent change (`import:contacts.csv`).
    ///   - progress: rows written so far, called on this thread.
    /// - Returns: the rows read, what was stored and the rows refused.
    /// - Throws: `CSVError` when the file is not CSV (nothing stored); `StoreError.unknownList`.
    public func run(
        _ text: String, into opening: @autoclosure () throws -> any ContactStore & ConsentStore, list: String?,
        source: String, progress: (Int) -> Void = { _ in }
    ) throws -> Report {
        let checked = try ContactImport(text, validator: validator, delimiter: delimiter)
        let store = try opening()
        if let list, try store.list(named: list) == nil { throw StoreError.unknownList(list) }
        let chunks = BlockingQueue<[ContactRow]>(capacity: 4)
        let outcome = ParseOutcome()
        // Stored chunks go back to the parser thread to be freed: freeing 4,000 rows' strings is
        // measurable work, and the writing thread is the one the import waits for.
        let spent = Mutex<[[ContactRow]]>([])
        let chunkRows = chunkRows
        let parser = Thread {
            var reader = checked
            do throws(CSVError) {
                while let chunk = try reader.next(max: chunkRows, lanes: 2) {
                    chunks.push(chunk)
                    let done = spent.withLock { s in
                        defer { s = [] }
                        return s
                    }
                    _ = consume done
                }
            } catch {
                outcome.csvError = error
            }
            outcome.errors = reader.errors
            outcome.rows = reader.rows
            chunks.push(nil)
        }
        parser.start()
        var previous: [ContactRow]?
        let skipInvalid = skipInvalid
        let counts = try store.importContacts(
            list: list, source: source,
            next: {
                if let stored = previous { spent.withLock { $0.append(stored) } }
                previous = chunks.pop()
                return previous
            },
            shouldCommit: { outcome.csvError == nil && (skipInvalid || outcome.errors.isEmpty) },
            progress: progress)
        if let e = outcome.csvError { throw e }
        return Report(
            rows: outcome.rows, counts: counts, rowErrors: outcome.errors, delimiter: checked.delimiter)
    }
}

/// What the parser thread found, read by the writer after the closing chunk (the queue's
/// condition orders the parser's writes before the writer's reads).
private final class ParseOutcome: @unchecked Sendable {
    var errors: [ContactImport.RowError] = []
    var rows = 0
    var csvError: CSVError?
}
