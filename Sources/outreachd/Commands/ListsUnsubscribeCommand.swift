import Outreach

struct ListsUnsubscribeCommand: Command {
    static let path = ["lists", "unsubscribe"]
    static let summary = "unsubscribe contacts from a list"
    static let help = "outreachd lists unsubscribe NAME ADDRESS… [--evidence TEXT]"
    static let valueOptions: Set<String> = ["--evidence"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        try ListsSubscribeCommand.change(args, context, to: .unsubscribed)
    }
}
