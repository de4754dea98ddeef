#!/usr/bin/env python3
"""fdatasync latency of 2 KB appends: a new, growing file against one whose blocks are already written (a recycled
log segment, WriteAheadLog's SPARE), while another thread writes an 8 MB chunk and fsyncs it every second, as the
engine's checkpointer does. Prints percentiles per 8-second run, two runs of each, alternating.

    python3 engine/bench/fsync-recycled-vs-growing.py [DIR]    (DIR on the disk the data directory uses; default /tmp)
"""
import os, shutil, sys, tempfile, threading, time

root = tempfile.mkdtemp(prefix="fsync-ab-", dir=sys.argv[1] if len(sys.argv) > 1 else None)
stop = False


def checkpointer():
    fd = os.open(os.path.join(root, "store.db"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    chunk = os.urandom(1 << 20)
    while not stop:
        for _ in range(8):
            os.write(fd, chunk)
        os.fsync(fd)
        time.sleep(0.9)
    os.close(fd)


def run(mode, seconds=8):
    path = os.path.join(root, "segment.wal")
    if mode == "recycled":
        with open(path, "wb") as f:
            f.write(b"\1" * (64 << 20))
            f.flush()
            os.fsync(f.fileno())
        fd = os.open(path, os.O_WRONLY)
    else:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    record, latencies = os.urandom(2000), []
    end = time.time() + seconds
    while time.time() < end:
        os.write(fd, record)
        t = time.perf_counter()
        os.fdatasync(fd)
        latencies.append(time.perf_counter() - t)
    os.close(fd)
    latencies.sort()
    n = len(latencies)
    ms = lambda q: latencies[min(n - 1, int(n * q))] * 1e3
    print("%-8s %6d fsyncs  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.1f ms"
          % (mode, n, ms(0.5), ms(0.9), ms(0.99), ms(0.999), latencies[-1] * 1e3))


writer = threading.Thread(target=checkpointer)
writer.start()
try:
    for mode in ("growing", "recycled", "growing", "recycled"):
        run(mode)
finally:
    stop = True
    writer.join()
    shutil.rmtree(root)
