import CMalloc

/// The allocator settings of the processes that send (`serve`, `work`), set before they start.
enum Allocator {
    /// glibc's heap grows and shrinks by its top pad, 128 KB by default: a batch's messages (a few MB)
    /// were taken from the kernel (`brk`, `mmap`) and given back again for every batch, 0.4 system
    /// calls a message and ~8 % of a campaign's rate (docs/benchmarks-smtp.md). A 16 MB pad keeps that
    /// much at the top of each heap for reuse; memory beyond it is still given back. Setting the pad
    /// freezes glibc's otherwise self-raising mmap threshold at 128 KB, so it is set to 4 MB: a
    /// message with an attachment is built in the heap, not in a fresh mapping each time.
    /// Only the sending commands: the others keep glibc's defaults (`bounces parse` is tested to
    /// stay within a fixed address space).
    static func configureForSending() {
        _ = mallopt(M_TOP_PAD, 16 << 20)
        _ = mallopt(M_MMAP_THRESHOLD, 4 << 20)
    }
}
