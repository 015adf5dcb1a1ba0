import Foundation
import Outreach

/// The hand-written command-line front end: global options, dispatch, help, exit codes.
enum CLI {
    static let commands: [any Command.Type] = [
        WorkCommand.self, CheckCommand.self, SendCommand.self,
        ContactsAddCommand.self, ContactsImportCommand.self, ContactsListCommand.self, ContactsShowCommand.self,
        ContactsExportCommand.self, ContactsEraseCommand.self,
        ListsCreateCommand.self, ListsSubscribeCommand.self, ListsUnsubscribeCommand.self, ListsShowCommand.self,
        ListsListCommand.self, ListsUpdateCommand.self,
        ServeCommand.self,
        QueueStatusCommand.self, QueueListCommand.self, QueueRetryCommand.self, QueueCancelCommand.self,
        RenderCommand.self,
        CampaignsCreateCommand.self, CampaignsStartCommand.self, CampaignsPauseCommand.self,
        CampaignsResumeCommand.self,
        CampaignsCancelCommand.self, CampaignsStatusCommand.self, CampaignsListCommand.self,
        CampaignsReportCommand.self, CampaignsPreviewCommand.self, CampaignsTestCommand.self,
        CampaignsShowCommand.self, CampaignsUpdateCommand.self, CampaignsDeleteCommand.self,
        EventsCreateCommand.self, EventsListCommand.self, EventsShowCommand.self, EventsUpdateCommand.self,
        EventsCancelCommand.self,
        BouncesParseCommand.self, BouncesIngestCommand.self, BouncesListCommand.self,
        SuppressionsListCommand.self, SuppressionsShowCommand.self, SuppressionsRemoveCommand.self,
        StorageMigrateCommand.self, StorageCopyCommand.self,
    ]

    /// Dispatched like `commands` but left out of the overview: benchmark helpers of bench/.
    static let hidden: [any Command.Type] = [StorageBenchQueueCommand.self]

    static func main(_ argv: [String]) -> Int32 {
        var words = argv
        var configPath: String?
        while let first = words.first, first.hasPrefix("--") {
            if first == "--config", words.count > 1 {
                configPath = words[1]
                words.removeFirst(2)
            } else if first.hasPrefix("--config=") {
                configPath = String(first.dropFirst("--config=".count))
                words.removeFirst()
            } else if first == "--help" || first == "-h" {
                Output.write(overview())
                return 0
            } else if first == "--version" {
                Output.write("outreachd \(version)\n")
                return 0
            } else {
                Output.error("outreachd: unknown option \(first). Run `outreachd --help`.")
                return 2
            }
        }
        if words.isEmpty || words == ["help"] {
            Output.write(overview())
            return words.isEmpty ? 2 : 0
        }
        // The longest command path that matches the leading words.
        let match = (commands + hidden).filter { Array(words.prefix($0.path.count)) == $0.path }.max {
            $0.path.count < $1.path.count
        }
        guard let command = match else {
            let group = commands.filter { $0.path.first == words[0] }
            // `campaigns --help`, `campaigns help`: the group's commands, as asked; a bare
            // `campaigns` gets them too, on the error stream with the usage status.
            if !group.isEmpty, words.count == 1 || ["--help", "-h", "help"].contains(words[1]) {
                let text = overview(of: group)
                Output.write(text, to: words.count == 1 ? 2 : 1)
                return words.count == 1 ? 2 : 0
            }
            if !group.isEmpty {
                Output.error(
                    "outreachd: '\(words.dropFirst().first ?? "")' is not a \(words[0]) command; use one of: "
                        + group.map { $0.path.dropFirst().joined(separator: " ") }.joined(separator: ", ") + ".")
            } else {
                Output.error("outreachd: unknown command '\(words[0])'. Run `outreachd --help`.")
            }
            return 2
        }
        let rest = Array(words.dropFirst(command.path.count))
        if rest.contains("--help") || rest.contains("-h") {
            Output.write("usage: " + command.help + "\n")
            return 0
        }
        let context = CommandContext(configPath: configPath)
        do {
            let args = try Arguments(rest, valueOptions: command.valueOptions, flags: command.flags)
            return try command.run(args, context)
        } catch let e as UsageError {
            Output.error(
                "outreachd \(command.path.joined(separator: " ")): \(e.message). Run `outreachd \(command.path.joined(separator: " ")) --help`."
            )
            return 2
        } catch {
            Output.error("outreachd: \(sentence(error))")
            return 1
        }
    }

    static let version = "0.1.0"

    /// One sentence for any error: typed errors describe themselves.
    static func sentence(_ error: any Error) -> String {
        var s = String(describing: error)
        // Capitalise a leading word, never a leading file path or name ("templates/x.txt:1: …").
        let firstWord = s.prefix { $0 != " " }
        if let f = s.first, f.isLowercase, firstWord.allSatisfy({ $0.isLetter }) { s = f.uppercased() + s.dropFirst() }
        if !s.hasSuffix(".") { s += "." }
        return s
    }

    /// The usage of a group's commands (`campaigns create`, `campaigns start`, …) and their summaries.
    static func overview(of group: [any Command.Type]) -> String {
        var s = "usage: outreachd [--config FILE] \(group[0].path[0]) COMMAND …\n\nCommands:\n"
        for c in group {
            let name = c.path.joined(separator: " ")
            s += "  " + name.padding(toLength: 22, withPad: " ", startingAt: 0) + c.summary + "\n"
        }
        s += "\nRun `outreachd \(group[0].path[0]) COMMAND --help` for a command's options.\n"
        return s
    }

    static func overview() -> String {
        var s = "usage: outreachd [--config FILE] COMMAND …\n\nCommands:\n"
        for c in commands {
            let name = c.path.joined(separator: " ")
            s += "  " + name.padding(toLength: 22, withPad: " ", startingAt: 0) + c.summary + "\n"
        }
        s += "\nRun `outreachd COMMAND --help` for a command's options.\n"
        return s
    }
}
