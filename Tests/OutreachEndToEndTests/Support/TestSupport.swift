import Foundation

/// Helpers shared by the tests: processes, temporary folders, loopback ports, the built binary.
enum TestSupport {
    struct ProcessResult {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: [UInt8]
    }

    /// Runs a program to completion, feeding `stdin`, and returns what it printed.
    @discardableResult
    static func run(
        _ executable: String, _ arguments: [String], stdin: [UInt8]? = nil,
        environment: [String: String]? = nil, cwd: String? = nil
    ) throws -> ProcessResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        p.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        // Read both pipes concurrently so a chatty child never blocks on a full pipe.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave()
        }
        if let stdin { inp.fileHandleForWriting.write(Data(stdin)) }
        try? inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return ProcessResult(
            status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: errBox.data, as: UTF8.self), stdoutBytes: Array(o))
    }

    final class DataBox: @unchecked Sendable { var data = Data() }

    /// Runs `python3 -c script args…`.
    @discardableResult
    static func python(_ script: String, _ arguments: [String] = [], stdin: [UInt8]? = nil) throws -> ProcessResult {
        try run("python3", ["-c", script] + arguments, stdin: stdin)
    }

    /// A fresh empty folder under the system temporary directory.
    static func temporaryDirectory(_ label: String = "t") -> String {
        let path = NSTemporaryDirectory() + "outreach-\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() -> Int {
        let r = try! python("import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
        return Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    /// The package root (the folder holding Package.swift).
    static var packageRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }

    /// The `outreachd` executable built beside the test bundle.
    static var outreachd: String {
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [bundle.path + "/outreachd", packageRoot + "/.build/debug/outreachd"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        fatalError("outreachd is not built; run `swift build` before `swift test`")
    }

    /// Runs the built `outreachd` with arguments, in `cwd`.
    @discardableResult
    static func outreachd(
        _ arguments: [String], cwd: String? = nil, stdin: [UInt8]? = nil,
        environment: [String: String]? = nil
    ) throws -> ProcessResult {
        try run(outreachd, arguments, stdin: stdin, environment: environment, cwd: cwd)
    }
}
