#!/usr/bin/env python3
"""The disk alone: appends and fdatasync()s a file in a loop, as the daemon's log flush does.

    fsync.py DIR [SECONDS] [BYTES]     (5 s, 53,560 bytes: 13 WAL frames of 4,120 bytes)

Prints one line: fsyncs per second, median, p99 and maximum latency, and how many took over
20 ms. A disk that stalls here stalls the daemon's group commits the same way.
"""
import os, sys, time

folder = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
size = int(sys.argv[3]) if len(sys.argv) > 3 else 13 * 4120
path = os.path.join(folder, "fsync-probe.tmp")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
block = os.urandom(size)
lat, offset = [], 0
end = time.monotonic() + seconds
try:
    while time.monotonic() < end:
        os.pwrite(fd, block, offset)
        offset = 0 if offset > (64 << 20) else offset + size
        t = time.monotonic()
        os.fdatasync(fd)
        lat.append(time.monotonic() - t)
finally:
    os.close(fd)
    os.unlink(path)
lat.sort()
n = len(lat)
ms = lambda q: lat[min(n - 1, int(n * q))] * 1000
print(f"{n / seconds:.0f} fsyncs/s, median {ms(0.5):.2f} ms, p99 {ms(0.99):.2f} ms, "
      f"max {lat[-1] * 1000:.1f} ms, {sum(1 for x in lat if x > 0.02)} over 20 ms")
