#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Linux guest benchmark: the pinned kernel with the benchmark initramfs
boots, runs busybox sha256sum over a 16 MiB file, and powers off; once on
QEMU's board with no hypervisor (the baseline) and once as a Cloison guest
with its VMM, in the same run, both under -icount shift=0,sleep=off (one
instruction = one virtual ns; repeatable). Reports the guest's monotonic
ns at /init (boot) and around the job, the VMM's exits by reason and the
hypervisor's event counters. Needs the fetched guest files
(toolstack/lib/deps.sh cloison_fetch_linux_guest) and a build.

usage: python3 tests/linux/bench.py [--build DIR]
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guest  # noqa: E402



def run(argv, timeout=240):
    t0 = time.monotonic()
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout)
    out = p.stdout.decode("utf-8", "replace").replace("\r", "")
    return p.returncode, out, time.monotonic() - t0


def field(pattern, text, cast=int):
    m = re.search(pattern, text, re.M)
    if not m:
        raise SystemExit("bench: no %r in the output:\n%s" % (pattern, text[-3000:]))
    return cast(m.group(1)) if len(m.groups()) == 1 else m.groups()


def main():
    guest.require_files()
    rc_b, base, host_b = run(guest.baseline_argv(guest.INITRAMFS_BENCH, icount=True,
                                                 append="quiet panic=-1 cloison.bench") + ["-no-reboot"])
    # linux-bench.toml gives the guest the same command line (cloison.bench).
    image = guest.cloison_image("cloison-linux-bench",
                                os.path.join(guest.ROOT, "tests", "linux", "systems",
                                             "linux-bench.toml"))
    rc_c, clo, host_c = run(guest.cloison_argv(image, icount=True))
    rows = []
    for name, out, rc, host in (("QEMU virt, no hypervisor", base, rc_b, host_b),
                                ("Cloison guest + VMM", clo, rc_c, host_c)):
        boot = field(r"BENCH-BOOT ns=(\d+)", out)
        job = field(r"BENCH-JOB ns=(\d+)", out)
        digest = field(r"^(?:\[\S+\] )?([0-9a-f]{64})  /bench/16m", out, str)
        rows.append((name, boot, job, digest, rc, host))
    print("%-28s %16s %16s %10s %s" % ("run", "boot ns (/init)", "sha256 16 MiB ns",
                                       "host s", "exit"))
    for name, boot, job, digest, rc, host in rows:
        print("%-28s %16d %16d %10.1f %s" % (name, boot, job, host, rc))
    print("ratio Cloison/baseline: boot %.3f, job %.3f" %
          (rows[1][1] / rows[0][1], rows[1][2] / rows[0][2]))
    if rows[0][3] != rows[1][3]:
        print("bench: the two runs hashed differently!")
        return 1
    exits = field(r"vmm: guest .*; exits: (.*)$", clo, str)
    stats = field(r"vmm: hypervisor since boot: (.*)$", clo, str)
    print("VMM exits by reason: %s" % (exits if isinstance(exits, str) else exits[0]))
    print("hypervisor counters: %s" % (stats if isinstance(stats, str) else stats[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
