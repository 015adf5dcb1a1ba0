import Channels
import Outreach

extension CheckCommand {
    /// `[bounces] mailbox`: its settings (URL, TLS, poll, processed_folder, a readable password_file),
    /// no key of `[bounces]` that nothing reads, and with `probe` a login and SELECT of the mailbox.
    static func bounceMailboxProblems(_ config: Config, probe: Bool) -> [String] {
        do {
            let settings = try BounceMailboxSettings.from(config)
            // The pipeline reads the other keys; when its own check failed, it is reported already.
            if (try? BouncePolicy(config: config)) != nil { try config.sections["bounces"]?.refuseUnreadKeys() }
            if probe, let settings, let why = IMAPMailbox(settings: settings).probe() {
                return ["[bounces] cannot read the mailbox \(settings.displayName): \(why)"]
            }
            return []
        } catch {
            return [CLI.sentence(error)]
        }
    }
}
