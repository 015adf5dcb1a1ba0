/// RFC 4180 CSV: quoted fields with commas, quotes and line breaks inside; CRLF or LF rows.
public struct CSVReader: Sequence, IteratorProtocol, Sendable {
    /// One record, with the physical line it starts on (1-based, counting the header).
    public struct Row: Sendable {
        public var line: Int
        public var fields: [String]
    }

    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    public private(set) var error: CSVError?

    public init(_ text: String) {
        var b = Array(text.utf8)
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }  // Excel's BOM
        bytes = b
    }

    /// True once every byte has been read.
    public var isAtEnd: Bool { i >= bytes.count }

    public mutating func next() -> Row? {
        guard error == nil, i < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        while i < bytes.count {
            let c = bytes[i]
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") { field.append(c); i += 2; continue }
                    quoted = false
                    i += 1
                    continue
                }
                if c == UInt8(ascii: "\n") { line += 1 }
                field.append(c)
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: "\""):
                if field.isEmpty && !wasQuoted { quoted = true; wasQuoted = true } else { field.append(c) }
                i += 1
            case UInt8(ascii: ","):
                fields.append(String(decoding: field, as: UTF8.self))
                field = []
                wasQuoted = false
                i += 1
            case UInt8(ascii: "\r"):
                i += 1
            case UInt8(ascii: "\n"):
                i += 1
                line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return Row(line: start, fields: fields)
            default:
                field.append(c)
                i += 1
            }
        }
        if quoted {
            error = CSVError(line: start, message: "a quoted field is never closed")
            return nil
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return Row(line: start, fields: fields)
    }
}

public struct CSVError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}
