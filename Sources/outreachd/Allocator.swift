import CMalloc

/// The process's allocator settings, set once before anything runs.
enum Allocator {
    /// glibc's heap grows and shrinks by its top pad, 128 KB by default: a batch's messages (a few MB)
    /// were taken from the kernel (`brk`, `mmap`) and given back again for every batch, 0.4 system
    /// calls a message and ~8 % of a campaign's throughput (docs/benchmarks-smtp.md). A 16 MB pad keeps
    /// that much at the top of each heap for reuse instead; memory beyond it is still given back.
    static func configure() {
        _ = mallopt(M_TOP_PAD, 16 << 20)
    }
}
