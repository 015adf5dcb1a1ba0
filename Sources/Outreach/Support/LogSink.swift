/// How important a line of the log is (syslog priorities, which journald reads).
public enum LogPriority: Int, Sendable {
    case error = 3, warning = 4, notice = 5, info = 6, debug = 7
}

/// Where the core's long-running parts (group committer, channel loops) report what happened;
/// the executable decides where lines go (stderr with a priority prefix, for journald).
public typealias LogSink = @Sendable (LogPriority, String) -> Void
