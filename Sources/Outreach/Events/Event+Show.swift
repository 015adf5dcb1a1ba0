import Foundation

extension Event {
    /// What `events show NAME --json` prints: `EventSchedule.showJSON` (every occurrence, past ones
    /// marked `past`, and the exceptions) with the event's `name`, `title`, `titles` (by language),
    /// `data`, `list`, `channels`, `location`, `uid`, `sequence`, `state`, `created_at` and `updated_at`.
    public func showJSON(now: Date) -> JSON {
        var o = schedule.showJSON(now: now).objectValue ?? [:]
        o["name"] = .string(name)
        o["title"] = .string(title)
        o["titles"] = titles.translationsJSON
        o["data"] = data
        o["online"] = .bool(online)
        o["prefer"] = .string(prefer.rawValue)
        o["list"] = .string(list)
        o["channels"] = .array(channels.map { .string($0.name) })
        o["location"] = location.map { .string($0) } ?? .null
        o["uid"] = .string(uid)
        o["sequence"] = JSON(sequence)
        o["state"] = .string(state.rawValue)
        o["created_at"] = .string(WallClock.rfc3339(createdAt))
        o["updated_at"] = .string(WallClock.rfc3339(updatedAt))
        return .object(o)
    }
}
