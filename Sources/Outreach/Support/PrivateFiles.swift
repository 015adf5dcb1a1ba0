import Glibc

/// Folders and files that hold personal data (the data directory, the database, the outbox) are
/// created owner-only, 0700 and 0600, whatever the umask: outside systemd a shell's umask of 022
/// made them readable by every user of the machine. The mode is set when they are made; what
/// already exists keeps its mode, which an operator may have chosen.
public enum PrivateFiles {
    public static let directoryMode: mode_t = 0o700
    public static let fileMode: mode_t = 0o600

    /// Creates `path` and every missing folder above it, each 0700.
    public static func makeDirectory(_ path: String) throws(PrivateFileError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            if isDirectory(prefix) { continue }
            if mkdir(prefix, directoryMode) == 0 {
                // mkdir's mode passes through the umask, which may take the owner's bits too.
                _ = chmod(prefix, directoryMode)
                continue
            }
            let e = errno
            if e == EEXIST, isDirectory(prefix) { continue }  // made by another process meanwhile
            throw .cannotCreate(path: prefix, reason: e == EEXIST ? "a file of that name is in the way" : reason(e))
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
    }

    /// Creates `path` empty and 0600 unless it exists. Done before SQLite opens a new database,
    /// since SQLite gives the `-wal` and `-shm` files it creates the database file's mode.
    public static func createFile(_ path: String) throws(PrivateFileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        if fd < 0 {
            let e = errno
            if e == EEXIST { return }
            throw .cannotCreate(path: path, reason: Self.reason(e))
        }
        _ = fchmod(fd, fileMode)
        close(fd)
    }

    /// `open(2)` for writing, creating the file 0600: the umask cannot widen (or narrow) it, and a
    /// file left over (a temporary one after a crash) is brought to 0600 too. -1 with `errno` on failure.
    public static func openForWriting(_ path: String, truncate: Bool = true) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : 0), fileMode)
        if fd >= 0 { _ = fchmod(fd, fileMode) }
        return fd
    }

    static func reason(_ e: Int32) -> String { String(cString: strerror(e)) }
}

/// A private folder or file that could not be made.
public enum PrivateFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotCreate(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason): return "Cannot create \(path): \(reason)."
        }
    }
}
