import Foundation
import Outreach
import Channels

struct CheckCommand: Command {
    static let path = ["check"]
    static let summary = "validate the configuration and every template"
    static let help = """
        outreachd check [--probe] [--json]
          Reads the configuration ([storage] url, password_file, heartbeat, poll and notify among it), checks
          [server] and [bounces], builds every channel as serve does (secrets
          readable, keys valid; rate, workers, retries, quiet hours, receipt settings) and every
          [hooks.NAME] (url, known event types, a readable signing secret of 24 bytes or more), and
          checks every template: parse errors, unknown partials or parents, email variants without a
          subject, a language with HTML but no text part, partials that expand past [templates]
          max_render_bytes.
          Exits 1 on any problem, listing each. Warnings (a sending channel without public_url, SMTP
          without [sender] from, a template writing out {{organisation}}, {{website}} or
          {{postal_address}} that [sender] does not give) are listed but do not fail.
          --probe also connects once to each channel's endpoint (TCP, TLS, the SMTP greeting and EHLO)
          and each hook's URL, sending nothing, and logs in to the [bounces] mailbox and selects it,
          reading nothing; an endpoint that cannot be reached is a problem.
        """
    static let flags: Set<String> = ["--json", "--probe"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        let config = try context.config
        var problems: [String] = []
        do { _ = try ServerSettings(section: config.server) } catch { problems.append(CLI.sentence(error)) }
        do { _ = try BouncePolicy(config: config) } catch { problems.append(CLI.sentence(error)) }
        problems += bounceMailboxProblems(config, probe: args.has("--probe"))
        for (name, section) in config.channels.sorted(by: { $0.key < $1.key }) {
            do {
                let channel = try ChannelFactory.make(name: name, section: section, config: config)
                _ = try ChannelSchedule.checked(section: section, channel: channel)
                if args.has("--probe"), let why = channel.probe() {
                    problems.append("[channels.\(name)] cannot reach its endpoint: \(why)")
                }
            } catch {
                problems.append(CLI.sentence(error))
            }
        }
        for (name, section) in config.hooks.sorted(by: { $0.key < $1.key }) {
            do {
                let hook = try ChannelFactory.makeHook(name: name, section: section)
                if args.has("--probe"), let why = hook.probe() {
                    problems.append("[hooks.\(name)] cannot reach its URL: \(why)")
                }
                hook.close()
            } catch {
                problems.append(CLI.sentence(error))
            }
        }
        var templateCount = 0
        var warnings = config.warnings
        do {
            let library = try context.templates
            templateCount = library.names.count
            problems += library.check().map { CLI.sentence($0) }
            warnings += library.missingValueWarnings(provided: config.templateDefaults)
        } catch {
            problems.append(CLI.sentence(error))
        }
        if args.has("--json") {
            context.printJSON([
                "ok": .bool(problems.isEmpty), "templates": JSON(templateCount),
                "channels": JSON(config.channels.count), "hooks": JSON(config.hooks.count),
                "problems": .array(problems.map { .string($0) }), "warnings": .array(warnings.map { .string($0) }),
            ])
        } else {
            for p in problems { Output.error(p) }
            for w in warnings { Output.error("warning: " + w + ".") }
            let source = config.file ?? "embedded defaults"
            if problems.isEmpty {
                let channels = "\(config.channels.count) channel\(config.channels.count == 1 ? "" : "s")"
                let hooks =
                    config.hooks.isEmpty ? "" : ", \(config.hooks.count) hook\(config.hooks.count == 1 ? "" : "s")"
                let templates = "\(templateCount) templates in \(config.templatesDir)"
                context.print("OK: \(source), \(channels)\(hooks), \(templates).")
            } else {
                Output.error("\(problems.count) problem\(problems.count == 1 ? "" : "s") found.")
            }
        }
        return problems.isEmpty ? 0 : 1
    }
}
