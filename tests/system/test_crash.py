# SPDX-License-Identifier: MIT
"""Crash safety of storage-dom (docs/block-protocol.md: a completed write after a
completed FLUSH survives a kill of QEMU). The crash system's writer guest
(domains/tests/core/crashwriter.c) writes one-sector records through
storage-dom and prints "CRASH-ACK <seq>" each time a FLUSH covering records
up to seq is answered. QEMU is killed (SIGKILL) at a random moment, 24
times on one disk image; after each kill the host reads the image and
checks that every record acknowledged by a FLUSH is there: each of the 64
slots holds its newest acknowledged record or a newer one, never an older
or a damaged one. The next boot must go on from the records it finds.
Needs the built test image and QEMU. Run: python3 -m unittest tests/system/test_crash.py"""
import os
import random
import re
import struct
import subprocess
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("CLOISON_BUILD", os.path.join(ROOT, "build"))
IMAGE = os.path.join(BUILD, "tests", "system", "test-crash.elf")
QEMU = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3", "-cpu",
        "cortex-a57", "-m", "512M", "-nographic", "-monitor", "none", "-serial", "stdio",
        "-nic", "none", "-semihosting", "-global", "virtio-mmio.force-legacy=false"]
KILLS = 24
SLOTS = 64
EXTENT = 1 << 20        # the writer's disk starts 1 MiB into the image
MAGIC = 0x4b52574853415243
K = 0x9e3779b97f4a7c15
ACK = re.compile(rb"CRASH-ACK (\d+)")
START = re.compile(rb"CRASH-START (\d+)")


def read_records(path):
    """seq of each slot's record, or None for a slot with no valid record."""
    with open(path, "rb") as f:
        f.seek(EXTENT)
        data = f.read(SLOTS * 512)
    out = []
    for i in range(SLOTS):
        magic, seq, check = struct.unpack_from("<QQQ", data, i * 512)
        ok = magic == MAGIC and check == ((seq * K) & (2**64 - 1)) ^ MAGIC and \
            seq % SLOTS == i and \
            data[i * 512 + 24:(i + 1) * 512] == bytes((seq + b) & 0xff for b in range(488))
        out.append(seq if ok else None)
    return out


class CrashTest(unittest.TestCase):
    @unittest.skipUnless(os.path.exists(IMAGE), "test-crash.elf not built")
    def test_flushed_writes_survive_kills(self):
        rnd = random.Random(20261203)  # fixed: the kill times repeat
        with tempfile.TemporaryDirectory(prefix="cloison-crash-") as d:
            disk = os.path.join(d, "disk.img")
            with open(disk, "wb") as f:
                f.truncate(4 << 20)
            acked = -1          # highest seq covered by an answered FLUSH
            for n in range(KILLS):
                out = self.boot_and_kill(disk, rnd.uniform(0.3, 1.5))
                starts = [int(m) for m in START.findall(out)]
                acks = [int(m) for m in ACK.findall(out)]
                self.assertTrue(starts, "boot %d: the writer did not start:\n%s" % (n, out[-2000:]))
                # The writer resumes after everything acknowledged so far.
                self.assertGreater(starts[0], acked, "boot %d resumed before an acked record" % n)
                if acks:
                    acked = max(acked, max(acks))
                recs = read_records(disk)
                for i in range(SLOTS):
                    # the newest acknowledged record of slot i
                    want = acked - ((acked - i) % SLOTS) if acked >= i else None
                    if want is None:
                        continue
                    self.assertIsNotNone(recs[i], "kill %d: slot %d damaged (acked %d)" % (n, i, acked))
                    self.assertGreaterEqual(recs[i], want,
                                            "kill %d: slot %d holds record %d, but %d was "
                                            "acknowledged" % (n, i, recs[i], want))
            self.assertGreater(acked, KILLS * 8, "too little was written to mean anything")

    def boot_and_kill(self, disk, after):
        p = subprocess.Popen(QEMU + ["-kernel", IMAGE, "-drive",
                                     "if=none,format=raw,file=%s,id=disk0" % disk,
                                     "-device", "virtio-blk-device,drive=disk0,bus=virtio-mmio-bus.8"],
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        chunks = []

        def reader():
            for b in iter(lambda: p.stdout.read1(4096), b""):
                chunks.append(b)

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        # Count from the writer's first line, so every kill lands mid-work.
        t0 = time.monotonic()
        while b"CRASH-START" not in b"".join(chunks) and time.monotonic() - t0 < 20:
            time.sleep(0.02)
        time.sleep(after)
        p.kill()
        p.wait()
        t.join(5)
        p.stdout.close()
        return b"".join(chunks)


if __name__ == "__main__":
    unittest.main()
