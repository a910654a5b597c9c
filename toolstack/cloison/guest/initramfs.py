# SPDX-License-Identifier: MIT
"""The guest's initramfs: busybox (static), the device nodes the kernel
needs before devtmpfs, and a tiny /init that mounts proc/sys/dev, prints a
marker line and starts a shell on the console."""
import hashlib

from .cpio import Cpio

# What the tests wait for before they type (a shell prompt follows it).
READY_MARKER = "cloison-guest: init ready"
# The benchmark's CPU job reads this many bytes (busybox sha256sum).
BENCH_FILE = "bench/16m"
BENCH_SIZE = 16 << 20

INIT = f"""#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "{READY_MARKER}"
if grep -q cloison.bench /proc/cmdline; then
    # The benchmark (tests/linux/bench.py): monotonic ns at init, then the
    # CPU job, then off. /proc/timer_list's "now" follows the counter.
    now() {{ awk '/^now at / {{ print $3; exit }}' /proc/timer_list; }}
    a=$(now)
    echo "BENCH-BOOT ns=$a"
    sha256sum /{BENCH_FILE}
    b=$(now)
    echo "BENCH-JOB ns=$((b - a))"
    poweroff -f
fi
exec setsid cttyhack sh
"""


def bench_data(size=BENCH_SIZE):
    """Deterministic, incompressible-looking content: a SHA-256 chain."""
    out = bytearray()
    h = hashlib.sha256(b"cloison-bench").digest()
    block = bytearray()
    while len(out) < size:
        block.clear()
        for _ in range(128):
            h = hashlib.sha256(h).digest()
            block += h
        out += block
    return bytes(out[:size])


def build(busybox, with_bench=False):
    """A newc cpio archive (bytes) holding busybox and /init."""
    c = Cpio()
    for d in ("bin", "dev", "proc", "sys", "tmp", "root"):
        c.directory(d)
    c.chardev("dev/console", 5, 1)
    c.chardev("dev/null", 1, 3, 0o666)
    c.file("bin/busybox", busybox, 0o755)
    c.symlink("bin/sh", "busybox")
    c.file("init", INIT.encode(), 0o755)
    if with_bench:
        c.directory("bench")
        c.file(BENCH_FILE, bench_data())
    return c.finish()
