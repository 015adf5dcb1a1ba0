import Outreach

struct ServeCommand: Command {
    static let path = ["serve"]
    static let summary = "the daemon: HTTP API, scheduler, workers"
    static let help = """
        outreachd serve [--listen HOST:PORT]
          Serves the HTTP API on [server] listen (127.0.0.1:8025 by default) and sends due deliveries
          on every configured channel. Speaks sd_notify (Type=notify, WATCHDOG=1) when systemd asks.
          SIGTERM drains (stops claiming, finishes or gives back in-flight deliveries, exits 0);
          SIGHUP reloads the configuration and templates. Logs one line per event to stderr.
        """
    static let valueOptions: Set<String> = ["--listen"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        Allocator.configureForSending()
        return try Daemon(configPath: context.configPath, listenOverride: args.value("--listen")).run()
    }
}
