import Foundation

/// SIGTERM, SIGINT and SIGHUP are blocked in every thread and taken synchronously by the main
/// thread with `sigtimedwait`, so no code runs in a signal handler.
struct SignalWaiter {
    enum Event { case terminate(Int32), reload, timeout }

    private var set = sigset_t()

    /// Call before any thread is started: threads inherit the mask.
    init() {
        sigemptyset(&set)
        for s in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, s) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
        // A file-size limit (RLIMIT_FSIZE) reached would kill the process; ignored, the write fails
        // with EFBIG instead and the request is refused with 503 like on a full disk.
        signal(SIGXFSZ, SIG_IGN)
    }

    mutating func wait(seconds: Double) -> Event {
        var ts = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        let s = sigtimedwait(&set, nil, &ts)
        switch s {
        case SIGHUP: return .reload
        case SIGTERM, SIGINT: return .terminate(s)
        default: return .timeout
        }
    }
}
