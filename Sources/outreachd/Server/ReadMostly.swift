import Foundation

/// A value read by every request and replaced only on SIGHUP (or a template change): a pthread read-write lock, so the
/// pool threads reading it never wait for each other (a Mutex would make them queue, and its
/// priority-inheriting futex is costly under contention).
final class ReadMostly<Value: Sendable>: @unchecked Sendable {
    // `value` is only touched with `lock` held (shared for reads, exclusive for writes).
    private var value: Value
    private let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)

    init(_ value: Value) {
        self.value = value
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    func read() -> Value {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return value
    }

    func replace(_ new: Value) {
        pthread_rwlock_wrlock(lock)
        value = new
        pthread_rwlock_unlock(lock)
    }

    /// Changes part of the value under the write lock (a template change beside a SIGHUP's replace).
    func update(_ change: (inout Value) -> Void) {
        pthread_rwlock_wrlock(lock)
        change(&value)
        pthread_rwlock_unlock(lock)
    }
}
