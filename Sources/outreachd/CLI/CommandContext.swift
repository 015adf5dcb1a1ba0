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

    static func error(_ s: String) { write(s + "\n", to: 2) }
}
