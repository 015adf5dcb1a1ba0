import Foundation
import Outreach

/// One line per event on stderr with a syslog priority prefix (`<6>`), which journald reads as
/// the line's priority; newlines inside a message are flattened so an event stays one line.
enum Log {
    enum Priority: Int { case error = 3, warning = 4, notice = 5, info = 6, debug = 7 }

    static func error(_ m: String) { write(.error, m) }
    static func warning(_ m: String) { write(.warning, m) }
    static func notice(_ m: String) { write(.notice, m) }
    static func info(_ m: String) { write(.info, m) }

    /// The core's long-running parts write here.
    static let sink: LogSink = { p, m in write(Priority(rawValue: p.rawValue) ?? .info, m) }

    static func write(_ p: Priority, _ message: String) {
        let flat = message.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        // One write(2) per line: lines from different threads never interleave.
        let bytes = Array("<\(p.rawValue)>\(flat)\n".utf8)
        bytes.withUnsafeBytes { _ = Foundation.write(2, $0.baseAddress, $0.count) }
    }
}
