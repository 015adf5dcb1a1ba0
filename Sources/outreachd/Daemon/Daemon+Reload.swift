import Channels
import Outreach

extension Daemon {
    /// What SIGHUP checks in the new configuration's channels before taking it: each is built as
    /// at start (and closed again), so a bad or mistyped setting fails the reload, not a send.
    /// Returns the channels whose settings changed, which keep their old ones until a restart.
    static func checkChannels(of next: Config, against current: Config) throws -> [String] {
        // Quiet hours are taken on reload; everything else a channel holds is built at start.
        let reloaded: Set<String> = ["quiet_hours", "quiet_hours_zone"]
        var changed: [String] = []
        for (name, section) in next.channels.sorted(by: { $0.key < $1.key }) {
            let channel = try ChannelFactory.make(name: name, section: section, config: next)
            channel.close()
            _ = try ChannelSchedule.checked(name: name, section: section, publicURL: next.publicURL)
            if let old = current.channels[name], old.values(except: reloaded) != section.values(except: reloaded) {
                changed.append(name)
            }
        }
        return changed
    }
}
