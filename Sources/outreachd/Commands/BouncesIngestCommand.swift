import Foundation
import Outreach

/// `bounces ingest`: applies returned messages (files, maildir folders, standard input) through the
/// bounce pipeline. Exit statuses follow sysexits(3) so Postfix's pipe(8) does the right thing.
struct BouncesIngestCommand: Command {
    static let path = ["bounces", "ingest"]
    static let summary = "apply bounce, complaint and auto-reply messages (files, maildir, stdin)"
    static let help = """
        outreachd bounces ingest [FILE…|-] [--json]
          Applies each returned message: a FILE is one RFC 5322 message (a maildir's file); a folder
          reads every file in it, or in its new/ and cur/ when it is a maildir; `-` or no FILE reads one
          message from standard input (Postfix pipe(8), procmail, .forward). Each result is attributed to
          its delivery (VERP token, returned X-Outreach-Delivery, else the latest email to the recipient
          within 30 days), scored, and suppresses as docs/bounces-pipeline.md says; the same message
          twice counts once. A message that cannot be read or parsed is named and skipped. Files are
          never moved or deleted.
          --json prints one object per message per line: {"file", "outcome" (applied, not-a-bounce,
          unparseable, unreadable), "results": [{"recipient", "kind", "status", "diagnostic", "delivery",
          "address", "action"}], "error"}.
          Exit status (sysexits): 0 every message applied or not a bounce; 65 a message could not be
          parsed; 66 a file could not be read; 75 the configuration or the store could not be used —
          nothing more is applied (pipe(8) defers the message and tries again).
        """
    static let flags: Set<String> = ["--json"]

    static let dataError: Int32 = 65  // EX_DATAERR
    static let noInput: Int32 = 66  // EX_NOINPUT
    static let tempFail: Int32 = 75  // EX_TEMPFAIL

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let json = args.has("--json")
        let processor: BounceProcessor
        do {
            processor = try Composition.bounceProcessor(try context.config, store: try context.store)
        } catch {
            Output.error("outreachd: \(CLI.sentence(error)) Nothing was applied; try again when it is fixed.")
            return tempFail
        }
        var status: Int32 = 0
        for input in inputs(args.positionals.isEmpty ? ["-"] : args.positionals) {
            let name = input == "-" ? "stdin" : input
            let bytes: [UInt8]
            do {
                bytes = try FileInput.bytes(input == "-" ? "/dev/stdin" : input)
            } catch {
                report(name, outcome: "unreadable", error: CLI.sentence(error), json: json, context)
                status = max(status, noInput)
                continue
            }
            let done: BounceIngest
            do {
                done = try processor.process(message: bytes, source: input == "-" ? "stdin" : "file \(input)")
            } catch {
                Output.error(
                    "outreachd: \(name): \(CLI.sentence(error)) Nothing of it was applied, nor of any message after it."
                )
                return tempFail
            }
            switch done.outcome {
            case .applied:
                if json {
                    context.printJSON([
                        "file": .string(name), "outcome": "applied", "results": .array(done.applied.map(\.json)),
                    ])
                } else {
                    for a in done.applied { context.print(Output.escapingControls("\(name): " + line(a))) }
                }
            case .notABounce:
                if json {
                    context.printJSON(["file": .string(name), "outcome": "not-a-bounce", "results": []])
                } else {
                    context.print(
                        Output.escapingControls("\(name): not a bounce, a complaint or an auto-reply; left alone"))
                }
            case .unparseable(let why):
                report(name, outcome: "unparseable", error: CLI.sentence(CLIError.failed(why)), json: json, context)
                status = max(status, dataError)
            }
        }
        return status
    }

    /// Files as given; a folder's files in name order (a maildir's new/ and cur/).
    static func inputs(_ given: [String]) -> [String] {
        given.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            guard path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
                isDirectory.boolValue
            else { return [path] }
            let fm = FileManager.default
            let maildir = ["new", "cur"].filter { fm.fileExists(atPath: path + "/" + $0) }
            let folders = maildir.isEmpty ? [path] : maildir.map { path + "/" + $0 }
            return folders.flatMap { folder in
                ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
                    .map { folder + "/" + $0 }
                    .filter { fm.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue }
            }
        }
    }

    static func report(_ name: String, outcome: String, error: String, json: Bool, _ context: CommandContext) {
        if json {
            context.printJSON([
                "file": .string(name), "outcome": .string(outcome), "results": [], "error": .string(error),
            ])
        } else {
            Output.error("outreachd: \(name): \(error) Skipped.")
        }
    }

    /// `a@example.org hard 5.1.1, delivery 12: suppressed (score 1.0)`
    static func line(_ a: BounceApplied) -> String {
        let who = a.address ?? a.result.recipient ?? "(no recipient)"
        var s = "\(who) \(a.result.kind.rawValue)" + (a.result.status.map { " \($0)" } ?? "")
        s += a.delivery.map { ", delivery \($0)" } ?? ""
        s += ": \(a.action.rawValue)"
        if let score = a.score { s += " (score \(score))" }
        if !a.listsLeft.isEmpty { s += "; unsubscribed from " + a.listsLeft.joined(separator: ", ") }
        return s
    }
}
