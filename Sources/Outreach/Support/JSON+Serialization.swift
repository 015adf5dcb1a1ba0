extension JSON {
    /// Compact JSON text; object keys sorted so output is deterministic.
    public var serialized: String { String(decoding: serializedBytes, as: UTF8.self) }

    /// The same text as UTF-8 bytes, written byte by byte (the API answers every request with one).
    public var serializedBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        write(to: &out)
        return out
    }

    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): JSON.writeString(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (n, v) in a.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                v.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (n, k) in o.keys.sorted().enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                JSON.writeString(k, to: &out)
                out.append(UInt8(ascii: ":"))
                o[k]!.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `s` as a quoted JSON string.
    public static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        appendEscaped(s, to: &out)
        out.append(0x22)
    }

    /// The escaping rules, once: `"`, `\`, and control characters (`\n`, `\r`, `\t`, else `\u00XX`).
    static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
    }

    /// Appends `s` as a quoted JSON string.
    public static func writeString(_ s: String, to out: inout String) {
        out += "\""
        out += escape(s)
        out += "\""
    }

    /// JSON string escaping without the surrounding quotes (also used by `.json` templates).
    public static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 8)
        appendEscaped(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
