#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Instructions per function in a benchmark's windows (docs/benchmarks.md,
"Where the instructions go").

Boots a benchmark image as tests/bench/run does (same QEMU line, NICs and
console input), with QEMU's `-d in_asm,out_asm,exec,nochain` log: every
translated block's guest instructions (in_asm) and its host address
(out_asm), then every block executed (exec; nochain so that none is
skipped). Each execution counts the block's instructions against the
function its address belongs to. Domains are linked at the same address:
a block is put to the ELF (net-dom, the benchmark domain) whose bytes it
holds there; the hypervisor's code is at its own addresses (hyp-bench.elf,
the one the image is packed with: another build's symbols would name the
wrong functions).

A window is what runs between two calls of the benchmark domain's
`sample()`; --windows picks the last N windows (default 4: net-dom's four
in bench-net.elf). The figures are per frame (--ops, default 512).

    tests/bench/profile.py build/tests/bench/bench-net.elf [--top 40]
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

NM = "aarch64-linux-gnu-nm"
OBJCOPY = "aarch64-linux-gnu-objcopy"


class Elf:
    """Function symbols and the loaded bytes of one ELF."""

    def __init__(self, name, path):
        self.name = name
        out = subprocess.run([NM, "-n", path], capture_output=True, text=True, check=True).stdout
        self.addrs, self.syms = [], []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW":
                self.addrs.append(int(parts[0], 16))
                self.syms.append(parts[2])
        with tempfile.NamedTemporaryFile() as t:
            subprocess.run([OBJCOPY, "-O", "binary", "--only-section=.text*", path, t.name],
                           check=True)
            self.text = open(t.name, "rb").read()
        self.base = self.addrs[0] if self.addrs else 0

    def word(self, addr):
        o = addr - self.base
        if 0 <= o and o + 4 <= len(self.text):
            return int.from_bytes(self.text[o:o + 4], "little")
        return None

    def symbol(self, addr):
        i = bisect.bisect_right(self.addrs, addr) - 1
        return self.syms[i] if i >= 0 else "?"


IN = re.compile(r"^IN: ?(.*)$")
INSN = re.compile(r"^0x([0-9a-f]+):\s+([0-9a-f]{8})\s")
OUT = re.compile(r"^OUT: \[size=")
HOST = re.compile(r"^(?:  )?0x([0-9a-f]+):")
TRACE = re.compile(r"^Trace \d+: 0x([0-9a-f]+) \[[0-9a-f]+/([0-9a-f]+)/")


def classify(elfs, hyp, pc, first_word):
    """(domain image name, symbol) of a block at pc whose first
    instruction is first_word."""
    if hyp.word(pc) == first_word and pc >= hyp.base:
        return "el2", hyp.symbol(pc)
    for e in elfs:
        if e.word(pc) == first_word:
            return e.name, e.symbol(pc)
    return "?", hex(pc)


def profile(log, elfs, hyp, marker, marker_pc):
    """Per window: Counter of (image, symbol) -> instructions."""
    blocks = {}      # host address -> (pc, instructions, first word)
    pending = None   # the block of the last IN:, until its OUT:
    want_host = False
    windows, cur = [], None
    names = {}
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("Trace"):
                m = TRACE.match(line)
                if not m:
                    continue
                b = blocks.get(int(m.group(1), 16))
                if b is None:
                    continue
                pc, n, w = b
                key = names.get((pc, w))
                if key is None:
                    key = names[(pc, w)] = classify(elfs, hyp, pc, w)
                if key == marker and pc == marker_pc:
                    if cur is not None:
                        windows.append(cur)
                    cur = collections.Counter()
                if cur is not None:
                    cur[key] += n
                continue
            m = IN.match(line)
            if m:
                pending = [None, 0, None]
                continue
            if pending is not None and not want_host:
                m = INSN.match(line)
                if m:
                    if pending[0] is None:
                        pending[0], pending[2] = int(m.group(1), 16), int(m.group(2), 16)
                    pending[1] += 1
                    continue
                if OUT.match(line):
                    want_host = True
                continue
            if want_host:
                m = HOST.match(line)
                if m and pending[0] is not None:
                    blocks[int(m.group(1), 16)] = tuple(pending)
                    pending, want_host = None, False
    return windows


def report(args, windows, bench_lines):
    # sample() runs at both ends of a window: windows alternate with the
    # gaps between them.
    windows = windows[::2][-args.windows:] if len(windows) >= 2 * args.windows - 1 else []
    if not windows:
        print("profile: fewer windows than asked for", file=sys.stderr)
        return 1
    if args.only is not None:
        windows = [windows[args.only]]
    for line in bench_lines[-args.windows:]:
        print(line)
    total = collections.Counter()
    for w in windows:
        total.update(w)
    per = args.ops * len(windows)
    by_image = collections.Counter()
    for (img, _), n in total.items():
        by_image[img] += n
    print(f"per operation, over the last {len(windows)} windows "
          f"({sum(total.values()) / per:.0f} instructions):")
    for img, n in by_image.most_common():
        print(f"  {img:12} {n / per:8.1f}")
    print(f"{'image':12} {'function':36} {'instr/op':>9}")
    for (img, fn), n in total.most_common(args.top):
        print(f"{img:12} {fn:36} {n / per:9.1f}")
    for i, w in enumerate(windows):
        print(f"window {i}: {sum(w.values()) / args.ops:.0f} instructions/op")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("image")
    ap.add_argument("--build", default=os.path.join(bench.ROOT, "build"))
    ap.add_argument("--domains", default="net-dom/net-dom.elf,tests/bench/netbench.elf",
                    help="domain ELFs under --build, comma-separated")
    ap.add_argument("--marker", default="netbench:sample",
                    help="IMAGE:FUNCTION whose calls delimit the windows")
    ap.add_argument("--windows", type=int, default=4, help="the last N windows")
    ap.add_argument("--only", type=int, help="of those, only the Kth (from 0)")
    ap.add_argument("--ops", type=int, default=512, help="operations per window")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--log", help="keep QEMU's log here (else a temporary file)")
    ap.add_argument("--reuse", action="store_true",
                    help="read the --log of an earlier run instead of booting")
    ap.add_argument("--timeout", type=int, default=900)
    args = ap.parse_args()

    elfs = [Elf(os.path.basename(p).rsplit(".", 1)[0], os.path.join(args.build, p))
            for p in args.domains.split(",")]
    hyp = Elf("el2", os.path.join(args.build, "hyp", "hyp-bench.elf"))
    img, fn = args.marker.split(":")
    marker = (img, fn)
    e = next(e for e in elfs if e.name == img)
    marker_pc = e.addrs[e.syms.index(fn)]
    if args.reuse:
        return report(args, profile(args.log, elfs, hyp, marker, marker_pc), [])
    with tempfile.TemporaryDirectory(prefix="cloison-profile-") as d:
        log = args.log or os.path.join(d, "qemu.log")
        extra = bench.nic_args(args.image) + ["-d", "in_asm,out_asm,exec,nochain", "-D", log]
        qemu = bench.QEMU + extra + ["-kernel", args.image]
        after = bench.CONSOLE_AFTER.get(os.path.basename(args.image))
        if after:
            rc, out = bench.run_interactive(qemu, args.timeout, after)
        else:
            p = subprocess.run(qemu, stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=args.timeout)
            rc, out = p.returncode, p.stdout
        if rc != 0:
            print(out.decode("utf-8", "replace")[-2000:])
            print(f"profile: QEMU exit {rc}", file=sys.stderr)
            return 1
        bench_lines = [line for line in out.decode("utf-8", "replace").replace("\r", "").split("\n")
                       if "BENCH " in line]
        return report(args, profile(log, elfs, hyp, marker, marker_pc), bench_lines)


if __name__ == "__main__":
    sys.exit(main())
