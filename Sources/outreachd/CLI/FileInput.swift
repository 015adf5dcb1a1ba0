import Foundation
import Outreach

/// Files the command line was pointed at, read as they come: a regular file, a pipe (`--data <(…)`,
/// /dev/stdin) or a device, to its end.
enum FileInput {
    static func bytes(_ path: String) throws(CLIError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable(path: path) }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return out }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path)
            }
            out.append(contentsOf: buffer[0..<n])
        }
    }

    /// A `--data` file of an event or a list: a JSON object, whose keys templates see at the top
    /// level (`{"description": "…", "rsvp_url": "…"}`).
    static func jsonObject(_ path: String) throws -> JSON {
        let json = try SendCommand.readJSON(path)
        guard json.objectValue != nil else {
            throw CLIError.badFile(
                path: path,
                problem: "not a JSON object; write {\"key\": value, …}, whose keys the templates see (organisation, …)")
        }
        return json
    }
}
