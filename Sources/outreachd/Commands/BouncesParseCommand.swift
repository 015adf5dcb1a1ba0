import Foundation
import Outreach

/// `bounces parse`: what returned messages say, applying nothing and opening no store.
struct BouncesParseCommand: Command {
    static let path = ["bounces", "parse"]
    static let summary = "show what bounce, complaint or auto-reply messages report (applies nothing)"
    static let help = """
        outreachd bounces parse FILE… [--json]
          Parses each FILE (one RFC 5322 message; `-` reads standard input) and prints per recipient the
          kind (hard, soft, delayed, complaint, auto-reply, unknown), status, diagnostic and delivery.
          --json prints one object per message per line: {"file", "results": [{"recipient", "kind",
          "status", "diagnostic", "delivery"}]}, or {"file", "error"} for a message that cannot be parsed.
          VERP tokens are checked with the data directory's link key when it has one (never created).
          Exit status 0 when every file parsed, 1 otherwise.
        """
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        guard !args.positionals.isEmpty else { throw UsageError("missing FILE (or - for standard input)") }
        let key = LinkSigner.existingKey(config: try context.config)
        let parser = BounceParser(verp: key.map(VERPToken.init(key:)))
        let json = args.has("--json")
        var status: Int32 = 0
        for file in args.positionals {
            do {
                let report = try parser.parse(try FileInput.bytes(file == "-" ? "/dev/stdin" : file))
                if json {
                    context.printJSON(["file": .string(file), "results": .array(report.results.map(\.json))])
                } else {
                    printTable(file, report, context)
                }
            } catch {
                status = 1
                let sentence = CLI.sentence(error)
                if json {
                    context.printJSON(["file": .string(file), "error": .string(sentence)])
                } else {
                    Output.error("outreachd: \(file): \(sentence)")
                }
            }
        }
        return status
    }

    static func printTable(_ file: String, _ report: BounceReport, _ context: CommandContext) {
        let name = Output.escapingControls(file)
        guard !report.results.isEmpty else {
            context.print("\(name): not a bounce")
            return
        }
        context.print("\(name):")
        for r in report.results {
            let cells = [
                r.kind.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0),
                (r.recipient ?? "-").padding(toLength: 32, withPad: " ", startingAt: 0),
                (r.status ?? "-").padding(toLength: 7, withPad: " ", startingAt: 0),
                r.delivery.map { "delivery \($0)" } ?? "unattributed",
                r.diagnostic.map { String($0.prefix(100)) } ?? "",
            ]
            var line = cells.joined(separator: " ")
            while line.hasSuffix(" ") { line.removeLast() }
            context.print("  " + Output.escapingControls(line))
        }
    }
}

extension BounceResult {
    /// `{"recipient", "kind", "status", "diagnostic", "delivery"}`, nulls kept.
    var json: JSON {
        [
            "recipient": recipient.map(JSON.string) ?? .null, "kind": .string(kind.rawValue),
            "status": status.map(JSON.string) ?? .null, "diagnostic": diagnostic.map(JSON.string) ?? .null,
            "delivery": delivery.map { .number(String($0)) } ?? .null,
        ]
    }
}
