import CPostgres
import Foundation

/// A failed PostgreSQL call: the server's SQLSTATE and message, and the start of the statement.
/// It never carries the connection's password: a connection failure's text is scrubbed of it.
public struct PostgresError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The five-character SQLSTATE (`23505` unique violation, `08006` connection failure); nil when
    /// libpq failed before the server answered (a malformed connection string).
    public var sqlState: String?
    /// The server's primary message, or libpq's.
    public var message: String
    /// The first 80 characters of the statement involved, when there was one.
    public var sql: String?

    /// - Parameter sql: kept to its first 80 characters.
    public init(sqlState: String?, message: String, sql: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.sql = sql.map { String($0.prefix(80)) }
    }

    /// "PostgreSQL failed: MESSAGE (SQLSTATE XXXXX) (in STATEMENT…)"; a connection that could
    /// not be made says what to check.
    public var description: String {
        if sqlState == "08001", sql == nil {
            return "Could not connect to PostgreSQL: \(message); check [storage] url and password_file, "
                + "and that the server runs"
        }
        return "PostgreSQL failed: \(message)" + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
            + (sql.map { " (in \($0))" } ?? "")
    }

    /// A unique or primary-key constraint refused the row.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// The connection is gone or could not be made (class 08, or no answer at all).
    public var isConnectionFailure: Bool { sqlState?.hasPrefix("08") ?? true }
    /// The server's disk will not take the write: 53100 disk full, 25006 read-only (a standby), 58030
    /// I/O; or the server is away: class 08 (the connection), 57P01–57P03 (shut down, starting up).
    var storageCause: StorageUnavailable.Cause? {
        switch sqlState {
        case "53100"?: return .full
        case "25006"?: return .readOnly
        case "58030"?: return .failing
        case let s? where s.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(s): return .unreachable
        default: return nil
        }
    }
    /// Another transaction got in the way (serialization failure, deadlock): the same work can be redone.
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }
}

/// A value bound to a statement, sent in PostgreSQL's text format (the server casts it to the
/// parameter's type, so `$1::bigint` or a column comparison decides how it is read).
public enum PostgresValue: Sendable, Equatable {
    /// SQL NULL.
    case null
    /// Text, any Unicode but NUL.
    case text(String)
    /// Sent in decimal.
    case integer(Int64)
    /// Sent as `t` or `f`.
    case boolean(Bool)
    /// Sent as bytea's hex form (`\x…`).
    case bytes([UInt8])

    /// Text, or NULL for nil.
    public init(_ s: String?) { self = s.map { .text($0) } ?? .null }
    /// An integer, or NULL for nil.
    public init(_ i: Int64?) { self = i.map { .integer($0) } ?? .null }

    /// The text sent to the server, or nil for NULL.
    var wireText: String? {
        switch self {
        case .null: return nil
        case .text(let s): return s
        case .integer(let n): return String(n)
        case .boolean(let b): return b ? "t" : "f"
        case .bytes(let b): return "\\x" + Crypto.hex(b)
        }
    }
}

/// One row of a result, copied out of libpq (so it outlives the result and crosses threads).
/// Cells are the server's text form; the accessors read them as the column's type.
public struct PostgresRow: Sendable, Equatable {
    /// The cells in column order, nil for NULL.
    public let cells: [String?]
    /// The columns' names, for error messages.
    public let columns: [String]

    /// A row of these cells.
    public init(cells: [String?], columns: [String]) {
        self.cells = cells
        self.columns = columns
    }

    /// Whether column `i` is NULL.
    public func isNull(_ i: Int) -> Bool { cells[i] == nil }
    /// A text column; "" for NULL.
    public func text(_ i: Int) -> String { cells[i] ?? "" }
    /// A text column; nil for NULL.
    public func optionalText(_ i: Int) -> String? { cells[i] }
    /// An integer column (smallint, integer, bigint, count).
    /// - Throws: `PostgresError` when the cell is NULL or not an integer.
    public func int(_ i: Int) throws(PostgresError) -> Int64 {
        guard let s = cells[i], let n = Int64(s) else { throw mismatch(i, "an integer") }
        return n
    }
    /// An integer column; nil for NULL.
    public func optionalInt(_ i: Int) throws(PostgresError) -> Int64? { cells[i] == nil ? nil : try int(i) }
    /// A boolean column (`t`/`f`).
    public func bool(_ i: Int) throws(PostgresError) -> Bool {
        switch cells[i] {
        case "t"?: return true
        case "f"?: return false
        default: throw mismatch(i, "a boolean")
        }
    }
    /// A bytea column (hex output, PostgreSQL's default); a text column gives its UTF-8.
    public func bytes(_ i: Int) throws(PostgresError) -> [UInt8] {
        guard let s = cells[i] else { return [] }
        guard s.hasPrefix("\\x") else { return Array(s.utf8) }
        let hex = Array(s.utf8.dropFirst(2))
        guard hex.count % 2 == 0 else { throw mismatch(i, "bytea") }
        var out: [UInt8] = []
        out.reserveCapacity(hex.count / 2)
        var k = 0
        while k < hex.count {
            guard let hi = Self.nibble(hex[k]), let lo = Self.nibble(hex[k + 1]) else { throw mismatch(i, "bytea") }
            out.append(hi << 4 | lo)
            k += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private func mismatch(_ i: Int, _ what: String) -> PostgresError {
        let name = i < columns.count ? columns[i] : String(i)
        return PostgresError(sqlState: nil, message: "column \(name) is not \(what): \(cells[i] ?? "NULL")")
    }
}

/// What a statement returned: its rows and how many rows it changed (INSERT/UPDATE/DELETE).
public struct PostgresResult: Sendable {
    /// What the statement returned (a SELECT, or RETURNING), copied.
    public var rows: [PostgresRow]
    /// How many rows an INSERT, UPDATE or DELETE changed; 0 for other statements.
    public var affected: Int
}

/// One libpq connection. Not thread-safe: its owner keeps it behind a Mutex.
public final class PostgresConnection {
    let handle: OpaquePointer
    /// Strings that must never appear in an error (the password, as given and as the URL spells it).
    let secrets: [String]

    /// Connects.
    /// - Parameters:
    ///   - conninfo: a `postgresql://user@host:5432/db?host=/run/postgresql` URL or a
    ///     `host=… dbname=…` key/value string.
    ///   - password: used instead of one in `conninfo` (a `password_file`'s content); nil for none.
    ///   - settings: more libpq keywords, overriding `conninfo`'s (`connect_timeout`).
    /// - Throws: `PostgresError` with libpq's reason, the password scrubbed from it.
    public init(_ conninfo: String, password: String? = nil, settings: [(String, String)] = []) throws(PostgresError) {
        var secrets = Self.passwords(in: conninfo)
        if let password, !password.isEmpty { secrets.append(password) }
        self.secrets = secrets
        // A fallback: `application_name` in the URL or `PGAPPNAME` names a node in `pg_stat_activity`.
        var keys = ["dbname", "fallback_application_name"]
        var values = [conninfo, "outreachd"]
        if let password {
            keys.append("password")
            values.append(password)
        }
        keys += settings.map(\.0)
        values += settings.map(\.1)
        let h: OpaquePointer? = Self.withCStrings(keys) { k in
            Self.withCStrings(values) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let h else { throw PostgresError(sqlState: nil, message: "out of memory connecting") }
        guard PQstatus(h) == CONNECTION_OK else {
            // libpq's text spans lines ("…failed: Connection refused\n\tIs the server running…"): one line.
            let text = String(cString: PQerrorMessage(h)).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
            let message = Self.scrub(text, secrets)
            PQfinish(h)
            throw PostgresError(sqlState: "08001", message: message)
        }
        handle = h
        // A notice (`relation already exists, skipping`) is not for standard error.
        PQsetNoticeProcessor(h, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// Whether the connection is still up (it is not after the server closed it).
    public var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Connects again with the same parameters, after the server closed the connection (a
    /// restart); whether it is up after.
    @discardableResult
    public func reconnect() -> Bool {
        PQreset(handle)
        return isConnected
    }

    /// The server's version as a number (150018 for 15.18).
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Runs one or more statements without parameters (migrations, BEGIN); rows are discarded.
    public func execute(_ sql: String) throws(PostgresError) {
        guard let r = PQexec(handle, sql) else { throw connectionError(sql) }
        defer { PQclear(r) }
        try check(r, sql)
    }

    /// Runs one statement with `$1…$n` bound to `parameters`, sent as text.
    /// - Returns: the rows, copied, and the number of rows changed.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresResult {
        let texts = parameters.map(\.wireText)
        // PostgreSQL's text cannot hold NUL, and a C string would end at it: refuse, never truncate.
        if let i = texts.firstIndex(where: { $0?.utf8.contains(0) ?? false }) {
            throw PostgresError(
                sqlState: "22021",
                message: "parameter $\(i + 1) contains a NUL character, which PostgreSQL cannot store",
                sql: sql)
        }
        let r: OpaquePointer? = Self.withOptionalCStrings(texts) { p in
            PQexecParams(handle, sql, Int32(texts.count), nil, p, nil, nil, 0)
        }
        guard let r else { throw connectionError(sql) }
        defer { PQclear(r) }
        try check(r, sql)
        let nrows = Int(PQntuples(r))
        let ncols = Int(PQnfields(r))
        let columns = (0..<ncols).map { String(cString: PQfname(r, Int32($0))) }
        var rows: [PostgresRow] = []
        rows.reserveCapacity(nrows)
        for i in 0..<nrows {
            let cells: [String?] = (0..<ncols).map { j in
                PQgetisnull(r, Int32(i), Int32(j)) != 0 ? nil : String(cString: PQgetvalue(r, Int32(i), Int32(j)))
            }
            rows.append(PostgresRow(cells: cells, columns: columns))
        }
        let affected = Int(String(cString: PQcmdTuples(r))) ?? 0
        return PostgresResult(rows: rows, affected: affected)
    }

    /// `query`'s rows, each mapped.
    public func rows<T>(_ sql: String, _ parameters: [PostgresValue] = [], _ map: (PostgresRow) throws -> T) throws
        -> [T]
    {
        try query(sql, parameters).rows.map(map)
    }

    /// Runs `body` between BEGIN and COMMIT; anything it throws rolls the transaction back and is
    /// rethrown. A transaction a failed statement aborted inside `body` (an error `body` caught)
    /// is rolled back and reported, never committed as if it had worked.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        let value: T
        do {
            value = try body()
        } catch {
            rollback()
            throw error
        }
        if PQtransactionStatus(handle) == PQTRANS_INERROR {
            rollback()
            throw PostgresError(
                sqlState: "25P02", message: "a statement failed inside the transaction; nothing of it was kept")
        }
        try execute("COMMIT")
        return value
    }

    /// Whether a transaction is open on this connection.
    public var inTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

    private func rollback() {
        guard isConnected, inTransaction else { return }
        if let r = PQexec(handle, "ROLLBACK") { PQclear(r) }
    }

    private func check(_ r: OpaquePointer, _ sql: String) throws(PostgresError) {
        switch PQresultStatus(r) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        default:
            let state = outreach_pq_sqlstate(r).map { String(cString: $0) }
            let primary = outreach_pq_primary_message(r).map { String(cString: $0) }
            let message =
                primary
                ?? String(cString: PQresultErrorMessage(r)).trimmingCharacters(in: .whitespacesAndNewlines)
            throw PostgresError(
                sqlState: state ?? (isConnected ? nil : "08006"), message: Self.scrub(message, secrets), sql: sql)
        }
    }

    func connectionError(_ sql: String) -> PostgresError {
        let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        return PostgresError(sqlState: "08006", message: Self.scrub(message, secrets), sql: sql)
    }
}

extension PostgresConnection {
    /// The passwords a connection string carries, as written and percent-decoded: the URL's
    /// `user:password@`, a `password=` query parameter or key/value pair.
    static func passwords(in conninfo: String) -> [String] {
        var found: [String] = []
        if let scheme = conninfo.range(of: "://") {
            let rest = conninfo[scheme.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                found.append(String(authority[authority.index(after: colon)..<at]))
            }
            if let q = rest.firstIndex(of: "?") {
                for pair in rest[rest.index(after: q)...].split(separator: "&") where pair.hasPrefix("password=") {
                    found.append(String(pair.dropFirst("password=".count)))
                }
            }
        } else {
            // Every `password = value` pair (the keyword standing alone, not inside another word).
            var from = conninfo.startIndex
            while let r = conninfo.range(of: "password", range: from..<conninfo.endIndex) {
                from = r.upperBound
                guard r.lowerBound == conninfo.startIndex || conninfo[conninfo.index(before: r.lowerBound)] == " "
                else { continue }
                var rest = conninfo[r.upperBound...].drop { $0 == " " }
                guard rest.first == "=" else { continue }
                rest = rest.dropFirst().drop { $0 == " " }
                if rest.first == "'" {
                    found.append(String(rest.dropFirst().prefix { $0 != "'" }))
                } else {
                    found.append(String(rest.prefix { $0 != " " }))
                }
            }
        }
        found += found.compactMap { s in s.removingPercentEncoding.flatMap { $0 == s ? nil : $0 } }
        return found.filter { !$0.isEmpty }
    }

    /// `message` with every secret replaced by `***`.
    static func scrub(_ message: String, _ secrets: [String]) -> String {
        var m = message.trimmingCharacters(in: .whitespacesAndNewlines)
        for s in secrets.sorted(by: { $0.count > $1.count }) {
            m = m.replacingOccurrences(of: s, with: "***")
        }
        return m
    }

    /// Calls `body` with a NULL-terminated array of C strings.
    static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        withOptionalCStrings(strings.map { Optional($0) }) { body($0) }
    }

    /// Calls `body` with an array of C strings, nil kept as NULL, followed by a NULL.
    static func withOptionalCStrings<R>(
        _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R
    ) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0)! } }
        defer { for c in copies { free(c) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
