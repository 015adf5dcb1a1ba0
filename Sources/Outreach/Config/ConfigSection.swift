import Foundation
import Synchronization

/// A scalar or string array from the TOML subset.
public enum ConfigValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    /// A number with a fraction or exponent (`3.5`, `1e3`).
    case float(Double)
    case bool(Bool)
    case strings([String])
}

/// One `[table]` of the configuration file, with the line of every key for error messages.
public struct ConfigSection: Sendable {
    public let name: String
    public let file: String
    /// Directory relative secret paths are resolved against when no credentials directory has them.
    public let baseDirectory: String
    /// systemd's `$CREDENTIALS_DIRECTORY`, searched first for relative secret paths; `Config.parse`
    /// sets it from the environment it is given, so the lookup sees the same environment as the rest.
    var credentialsDirectory = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"]
    var entries: [String: (value: ConfigValue, line: Int)] = [:]
    /// Every key asked for, present or not, shared by all copies of the section (see `unreadKeys`).
    let reads = KeyReads()
    /// The credentials read through `secret(_:)` or marked with `noteSecret(_:)`, shared likewise.
    let secretsRead = SecretValues()

    public init(name: String, file: String, baseDirectory: String, values: [String: ConfigValue] = [:]) {
        self.name = name
        self.file = file
        self.baseDirectory = baseDirectory
        for (k, v) in values { entries[k] = (v, 0) }
    }

    public var keys: [String] { entries.keys.sorted() }

    /// The values without their lines, leaving out `keys` (to compare two readings of a section).
    public func values(except keys: Set<String> = []) -> [String: ConfigValue] {
        entries.filter { !keys.contains($0.key) }.mapValues(\.value)
    }

    public func line(_ key: String) -> Int { entries[key]?.line ?? 0 }
    public func has(_ key: String) -> Bool { entries[key] != nil }

    mutating func set(_ key: String, _ value: ConfigValue, line: Int) { entries[key] = (value, line) }

    public func string(_ key: String) throws(ConfigError) -> String? {
        reads.note(key)
        guard let e = entries[key] else { return nil }
        guard case .string(let s) = e.value else {
            throw .wrongType(file: file, line: e.line, key: key, expected: "a string")
        }
        return s
    }

    public func requireString(_ key: String) throws(ConfigError) -> String {
        guard let s = try string(key) else { throw .missing(file: file, section: name, key: key) }
        return s
    }

    public func int(_ key: String) throws(ConfigError) -> Int? {
        reads.note(key)
        guard let e = entries[key] else { return nil }
        guard case .integer(let i) = e.value else {
            throw .wrongType(file: file, line: e.line, key: key, expected: "an integer")
        }
        return i
    }

    /// A number, written with or without a fraction (`3`, `3.5`).
    public func number(_ key: String) throws(ConfigError) -> Double? {
        reads.note(key)
        guard let e = entries[key] else { return nil }
        switch e.value {
        case .integer(let i): return Double(i)
        case .float(let d): return d
        default: throw .wrongType(file: file, line: e.line, key: key, expected: "a number")
        }
    }

    public func bool(_ key: String) throws(ConfigError) -> Bool? {
        reads.note(key)
        guard let e = entries[key] else { return nil }
        guard case .bool(let b) = e.value else {
            throw .wrongType(file: file, line: e.line, key: key, expected: "true or false")
        }
        return b
    }

    public func strings(_ key: String) throws(ConfigError) -> [String]? {
        reads.note(key)
        guard let e = entries[key] else { return nil }
        guard case .strings(let a) = e.value else {
            throw .wrongType(file: file, line: e.line, key: key, expected: "an array of strings")
        }
        return a
    }

    /// An error about `key`'s value, for checks the section's user makes.
    public func invalid(_ key: String, _ message: String) -> ConfigError {
        .invalid(file: file, line: line(key), key: key, message: message)
    }

    /// The value of `key`, or the contents of the file named by `key_file` (trailing newline removed).
    ///
    /// A relative path is looked up in `$CREDENTIALS_DIRECTORY` first (systemd `LoadCredential`),
    /// then beside the configuration file.
    public func secret(_ key: String) throws(ConfigError) -> String? {
        let fileKey = key + "_file"
        if let v = try string(key) {
            if has(fileKey) { throw invalid(fileKey, "is set together with '\(key)'; keep one of them") }
            noteSecret(v)
            return v
        }
        guard let path = try string(fileKey) else { return nil }
        let resolved = ConfigSection.resolveSecretPath(path, base: baseDirectory, credentials: credentialsDirectory)
        guard let data = FileManager.default.contents(atPath: resolved),
            var text = String(data: data, encoding: .utf8)
        else { throw .unreadableSecret(file: file, line: line(fileKey), key: fileKey, path: resolved) }
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        noteSecret(text)
        return text
    }

    /// The path `key` names (relative: in `$CREDENTIALS_DIRECTORY`, else beside the configuration
    /// file), refused now if it cannot be read, rather than at the first send.
    public func readableFile(_ key: String) throws(ConfigError) -> String? {
        guard let path = try string(key) else { return nil }
        let resolved = ConfigSection.resolveSecretPath(path, base: baseDirectory, credentials: credentialsDirectory)
        guard FileManager.default.isReadableFile(atPath: resolved) else {
            throw .unreadableSecret(file: file, line: line(key), key: key, path: resolved)
        }
        return resolved
    }

    static func resolveSecretPath(_ path: String, base: String, credentials: String?) -> String {
        if path.hasPrefix("/") { return path }
        if let creds = credentials, !creds.isEmpty {
            let p = creds + "/" + path
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        return base.isEmpty ? path : base + "/" + path
    }
}
