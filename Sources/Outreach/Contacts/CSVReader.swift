/// RFC 4180 CSV: quoted fields with delimiters, quotes and line breaks inside; CRLF or LF rows.
/// The delimiter is a comma unless another is given (`CSVDelimiter.detect` finds a file's).
public struct CSVReader: Sequence, IteratorProtocol, Sendable {
    /// One record, with the physical line it starts on (1-based, counting the header).
    public struct Row: Sendable {
        public var line: Int
        public var fields: [String]
    }

    private let bytes: [UInt8]
    /// The byte between fields.
    public let delimiter: CSVDelimiter
    private var i = 0
    private var line = 1
    public private(set) var error: CSVError?

    /// - Parameters:
    ///   - text: the whole file; a leading byte order mark is skipped.
    ///   - delimiter: the byte between fields.
    public init(_ text: String, delimiter: CSVDelimiter = .comma) {
        self.delimiter = delimiter
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
        // Unquoted fields, the common case, are decoded straight from the file's bytes; only a
        // quoted field is copied byte by byte (to drop its quotes).
        var fieldStart = i
        var field: [UInt8]? = nil
        var quoted = false
        let separator = self.delimiter.rawValue
        func text(_ end: Int) -> String {
            if let f = field { return String(decoding: f, as: UTF8.self) }
            return bytes.withUnsafeBufferPointer {
                String(decoding: UnsafeBufferPointer(rebasing: $0[fieldStart..<end]), as: UTF8.self)
            }
        }
        while i < bytes.count {
            let c = bytes[i]
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") { field!.append(c); i += 2; continue }
                    quoted = false
                    i += 1
                    continue
                }
                if c == UInt8(ascii: "\n") { line += 1 }
                field!.append(c)
                i += 1
                continue
            }
            if c == separator {
                fields.append(text(i))
                field = nil
                i += 1
                fieldStart = i
                continue
            }
            switch c {
            case UInt8(ascii: "\""):
                if field == nil && i == fieldStart {
                    quoted = true
                    field = []
                } else {
                    if field == nil { field = Array(bytes[fieldStart..<i]) }
                    field!.append(c)
                }
                i += 1
            case UInt8(ascii: "\r"):
                if field == nil, i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") {
                    fields.append(text(i))
                    i += 2
                    line += 1
                    return Row(line: start, fields: fields)
                }
                // A CR anywhere else outside quotes is dropped.
                if field == nil { field = Array(bytes[fieldStart..<i]) }
                i += 1
            case UInt8(ascii: "\n"):
                fields.append(text(i))
                i += 1
                line += 1
                return Row(line: start, fields: fields)
            default:
                field?.append(c)
                i += 1
            }
        }
        if quoted {
            error = CSVError(line: start, message: "a quoted field is never closed")
            return nil
        }
        fields.append(text(i))
        return Row(line: start, fields: fields)
    }
}

public struct CSVError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}
