"""Writes N bytes of 64-byte lines to stdout in 1 MiB writes, then exits.

Used by the log-throughput benchmark: one process, one pipe, large writes,
so the daemon reading the pipe is what limits the rate.
"""
import os
import sys

total = int(sys.argv[1])
chunk = (b"x" * 63 + b"\n") * 16384  # 1 MiB
fd = sys.stdout.fileno()
left = total
while left > 0:
    piece = chunk if left >= len(chunk) else chunk[:left]
    view = memoryview(piece)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    left -= len(piece)
