import Foundation
import Outreach
import Channels

/// What commands share: the configuration, and the store and templates opened on first use.
final class CommandContext {
    let configPath: String?
    private var _config: Config?
    private var _store: (any Store)?
    /// Set by `templates` (CommandContext+Delivery).
    var cachedTemplates: TemplateLibrary?

    init(configPath: String?) { self.configPath = configPath }

    var config: Config {
        get throws {
            if let c = _config { return c }
            let c = try Config.load(explicitPath: configPath)
            _config = c
            return c
        }
    }

    var store: any Store {
        get throws {
            if let s = _store { return s }
            let s = try Composition.openStore(try config)
            _store = s
            return s
        }
    }

    /// Whether stdout/stderr are terminals (progress bars only then).
    var stderrIsTerminal: Bool { isatty(2) == 1 }

    func print(_ s: String) { Output.write(s + "\n") }

    func printJSON(_ j: JSON) { Output.write(j.serialized + "\n") }
}

/// Unbuffered writes to stdout and stderr.
enum Output {
    static func write(_ s: String, to fd: Int32 = 1) {
        var bytes = Array(s.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Foundation.write(fd, $0.baseAddress! + off, $0.count - off) }
            if n <= 0 { return }
            off += n
        }
    }

    /// One message, one line: control characters a message quotes from its input (a key, a tag, a
    /// cell) are written as escapes, so a quoted CR, newline or ESC cannot split, rewrite or hide it.
    static func error(_ s: String) { write(escapingControls(s) + "\n", to: 2) }

    static func escapingControls(_ s: String) -> String {
        func isControl(_ c: Unicode.Scalar) -> Bool {
            c.value < 0x20 || (0x7F...0x9F).contains(c.value) || c.value == 0x2028 || c.value == 0x2029
        }
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            guard isControl(c) else { out.append(c); continue }
            switch c {
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            default: out.append(contentsOf: "\\u{\(String(c.value, radix: 16, uppercase: true))}".unicodeScalars)
            }
        }
        return String(out)
    }
}
