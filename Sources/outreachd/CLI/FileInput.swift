import Foundation

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
}
