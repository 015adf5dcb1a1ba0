/// How interpolated values are escaped; follows the output the template produces.
public enum TemplateEscaping: String, Sendable {
    /// HTML escaping (`.html`, `.htm`, `.mustache`).
    case html
    /// Nothing escaped (`.txt`).
    case none
    /// JSON string escaping without quotes (`.json`).
    case json
    /// application/x-www-form-urlencoded (`.form`).
    case form

    /// The escaping for a file name's extension; nil when the extension is not a template's.
    public init?(fileExtension ext: String) {
        switch ext.lowercased() {
        case "html", "htm", "mustache": self = .html
        case "txt", "text": self = .none
        case "json": self = .json
        case "form": self = .form
        default: return nil
        }
    }

    /// Appends `s` to `out`, escaped for this output.
    @inline(__always)
    func append(_ s: String, to out: inout [UInt8]) {
        switch self {
        case .none: out.append(contentsOf: s.utf8)
        case .html: Self.appendHTML(s, to: &out)
        case .json: out.append(contentsOf: JSON.escape(s).utf8)
        case .form: Self.appendForm(s, to: &out)
        }
    }

    /// `s` escaped for HTML text and attribute values (the same escaping `.html` templates use).
    public static func html(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        appendHTML(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendHTML(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { buf in
            var start = 0
            for i in 0..<buf.count {
                let rep: StaticString
                switch buf[i] {
                case UInt8(ascii: "&"): rep = "&amp;"
                case UInt8(ascii: "<"): rep = "&lt;"
                case UInt8(ascii: ">"): rep = "&gt;"
                case UInt8(ascii: "\""): rep = "&quot;"
                case UInt8(ascii: "'"): rep = "&#39;"
                default: continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<i]))
                rep.withUTF8Buffer { out.append(contentsOf: $0) }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<buf.count]))
        }
    }

    static func appendForm(_ s: String, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(b)
            case UInt8(ascii: " "): out.append(UInt8(ascii: "+"))
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            }
        }
    }
}
