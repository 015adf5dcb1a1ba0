import Foundation

/// Errors of the command line itself (files it was pointed at).
enum CLIError: Error, CustomStringConvertible {
    case unreadable(path: String)
    case notUTF8(path: String)
    case badFile(path: String, problem: String)
    case badRows(path: String, count: Int)
    case notFound(what: String)
    case failed(String)

    var description: String {
        switch self {
        case .unreadable(let p):
            var isDirectory: ObjCBool = false
            let why =
                !FileManager.default.fileExists(atPath: p, isDirectory: &isDirectory)
                ? "there is no such file"
                : isDirectory.boolValue ? "it is a folder" : "permission denied"
            return "Cannot read \(p): \(why)."
        case .notUTF8(let p): return "\(p) is not UTF-8 text."
        case .badFile(let p, let m): return "\(p): \(m)."
        case .badRows(let p, let n):
            return
                "\(p) has \(n) invalid row\(n == 1 ? "" : "s") (listed above); nothing was imported — fix them or use --skip-invalid."
        case .notFound(let w): return "\(w) was not found."
        case .failed(let m): return m
        }
    }
}
