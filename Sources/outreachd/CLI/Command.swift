import Outreach

/// One CLI command (`contacts add`, `send`, …). Each lives in its own file under Commands/.
protocol Command: Sendable {
    /// The words that select it: `["contacts", "add"]`.
    static var path: [String] { get }
    static var summary: String { get }
    /// The usage lines and option descriptions shown by `--help`.
    static var help: String { get }
    /// Options that take a value (`--email`), repeatable ones included.
    static var valueOptions: Set<String> { get }
    /// Options without a value (`--json`).
    static var flags: Set<String> { get }
    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32
}

extension Command {
    static var valueOptions: Set<String> { [] }
    static var flags: Set<String> { [] }
}

/// Wrong usage: printed with a hint to `--help`, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
