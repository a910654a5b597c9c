#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cloison benchmarks: boot each benchmark system under
`-icount shift=0,sleep=off` (one instruction = one virtual ns, byte-for-byte
repeatable) and collect the lines its benchmark domain prints:

    BENCH <name> ops=<n> instructions=<n> el2_entries=<n> switches=<n> virqs=<n> bytes=<n>

`instructions` is counted by the domain with PMCCNTR_EL0 (which equals the
instruction count under icount, EL2 included) around `ops` operations; the
event counts come from the hypervisor's counters read through the
system_stats call around the same window. Each figure is printed per
operation and as a ratio against the baseline of the same run (the
benchmark named in that system's `baseline` line:
`BENCH-BASELINE <name>`). Because trap costs are invisible under icount,
the event counts are the other half of every result.
"""
import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
QEMU = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3", "-cpu",
        "cortex-a57", "-m", "512M", "-nographic", "-monitor", "none", "-serial", "stdio",
        "-nic", "none", "-semihosting", "-icount", "shift=0,sleep=off"]
LINE = re.compile(r"^(?:\[[\w.-]+\] )?BENCH (\S+) ((?:\w+=\d+ ?)+)$")
BASE = re.compile(r"^(?:\[[\w.-]+\] )?BENCH-BASELINE (\S+)$")
FIELDS = ["instructions", "el2_entries", "switches", "virqs", "bytes"]
# The issues' performance targets: (image, benchmark, field, at most per op,
# issue). A missed target is printed as MISSED and fails the command.
TARGETS = [
    ("bench-hypercall.elf", "null_hypercall_cap_lookup", "instructions", 150, "F3"),
    ("bench-channel-prio.elf", "signal_to_handler", "instructions", 1500, "F5"),
    # 1 notification per 8 messages of 56 bytes: 1024 / 56 / 8 vIRQs per KiB.
    ("bench-channel.elf", "ring_bulk_per_KiB", "virqs", 1024 / 56 / 8, "F5"),
    # A guest's MMIO read answered by its VMM, round trip (docs/vmm.md).
    ("bench-vmm.elf", "guest_mmio_read_via_vmm", "instructions", 3000, "linux"),
]


def run_image(image, timeout):
    t0 = time.monotonic()
    try:
        p = subprocess.run(QEMU + ["-kernel", image], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        rc, raw = p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        rc, raw = "timeout", e.stdout or b""
    out = raw.decode("utf-8", "replace").replace("\r", "")
    results, baseline = {}, None
    for line in out.split("\n"):
        m = LINE.match(line)
        if m:
            kv = dict(x.split("=") for x in m.group(2).split())
            results[m.group(1)] = {k: int(v) for k, v in kv.items()}
        m = BASE.match(line)
        if m:
            baseline = m.group(1)
    return rc, out, results, baseline, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("images", nargs="*", help="benchmark images (default: build/tests/bench/*.elf)")
    ap.add_argument("--timeout", type=int, default=300)
    args = ap.parse_args()
    images = args.images
    if not images:
        d = os.path.join(args.build, "tests", "bench")
        images = sorted(os.path.join(d, f) for f in os.listdir(d)
                        if f.startswith("bench-") and f.endswith(".elf")) \
            if os.path.isdir(d) else []
    if not images:
        print("bench: no benchmark images built", file=sys.stderr)
        return 1
    failed = False
    for image in images:
        rc, out, results, baseline, secs = run_image(image, args.timeout)
        print(f"== {os.path.basename(image)} (QEMU exit {rc}, {secs:.1f}s host time)")
        if rc != 0 or not results:
            print(out[-3000:])
            failed = True
            continue
        base = results.get(baseline)
        hdr = f"{'benchmark':28} {'ops':>8} " + " ".join(f"{f + '/op':>16}" for f in FIELDS)
        if base:
            hdr += f" {'instr ratio':>12}"
        print(hdr)
        for name, r in results.items():
            ops = max(1, r.get("ops", 1))
            cols = " ".join(f"{r.get(f, 0) / ops:16.2f}" for f in FIELDS)
            ratio = ""
            if base:
                b = base["instructions"] / max(1, base.get("ops", 1))
                ratio = f" {(r['instructions'] / ops) / b if b else float('inf'):12.2f}"
            print(f"{name:28} {ops:8d} {cols}{ratio}")
        if baseline:
            print(f"(ratios against {baseline}, measured in the same run)")
        for timage, name, field, limit, issue in TARGETS:
            if timage != os.path.basename(image):
                continue
            r = results.get(name)
            if r is None:
                print(f"target {issue}: {name} did not report: MISSED")
                failed = True
                continue
            v = r.get(field, 0) / max(1, r.get("ops", 1))
            ok = v <= limit
            failed |= not ok
            print(f"target {issue}: {name} {field}/op {v:.2f} <= {limit:.2f}: "
                  f"{'met' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
