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
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
QEMU = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3", "-cpu",
        "cortex-a57", "-m", "512M", "-nographic", "-monitor", "none", "-serial", "stdio",
        "-nic", "none", "-semihosting", "-icount", "shift=0,sleep=off",
        "-global", "virtio-mmio.force-legacy=false"]
# Images that drive disks get fresh 64 MiB ones: storage-dom's on
# virtio-mmio transport 8, the direct driver's on transport 16.
DISK_BUSES = {"bench-block.elf": [8, 16], "bench-block-above.elf": [8, 16]}
# Those run with sleep=on: with sleep=off an idle guest warps virtual time
# while the host does the I/O, and the host spends its time on ticks (a
# request took ~0.1 s of host time). Instruction counts come from the
# instructions-retired event there, exact either way; only virtual time
# would differ, and no block figure uses it.
SLEEP_ON = {"bench-block.elf", "bench-block-above.elf"}
# The network benchmark's NICs: net-dom's uplink (transport 8) and the
# direct driver's (18) each on a user network of its own that talks to
# nobody (restrict=on: the frames, to a MAC nobody has, are dropped; a hub
# of one port would stall the sender instead), the direct driver's pair
# (16, 17) on one QEMU hub.
NIC_HUBS = {"bench-net.elf": [(8, None), (16, 2), (17, 2), (18, None)]}
# Once the image prints the first text, type the second on the console (to
# net-dom, which holds the input) and stop once the third has appeared.
CONSOLE_AFTER = {"bench-net.elf": ("BENCH-DONE", "counters\r", "counters port 3 ")}
COUNTERS = re.compile(r"^\[net\] counters port (\d+) (\S+): in (\d+)/(\d+) out (\d+)/(\d+) "
                      r"frames/bytes, copied (\d+) header (\d+) payload bytes")
LINE = re.compile(r"^(?:\[[\w.-]+\] )?BENCH (\S+) ((?:\w+=\d+ ?)+)$")
BASE = re.compile(r"^(?:\[[\w.-]+\] )?BENCH-BASELINE (\S+)$")
FIELDS = ["instructions", "el2_entries", "switches", "virqs", "bytes"]
# EL2 stretches (bench-stretch.elf, on the test hypervisor's probe): the
# workload a domain runs, then the longest stretch of each call it made.
PHASE = re.compile(r"^(?:\[[\w.-]+\] )?STRETCH-PHASE (\S+)$")
STRETCH = re.compile(r"^EL2-STRETCH call=(\d+) max=(\d+) chunks=(\d+)$")
STRETCH_LIMIT = 50000
# (phase, call): the call each workload is about. Every one must stay within
# STRETCH_LIMIT instructions; OPEN ones are reported, not enforced, until
# they are made preemptible (docs/benchmarks.md, docs/threat-model.md).
STRETCH_TARGETS = [
    ("revoke_deep_chain", "cap_revoke", False),
    ("revoke_wide_tree", "cap_revoke", False),
    ("retype_largest_frame", "untyped_retype", False),
    ("map_largest_frame", "memory_map", False),
    ("unmap_largest_frame", "memory_unmap", False),
    ("delete_full_cnode", "cap_delete", False),
    ("destroy_domain_full_cspace", "domain_destroy", False),
    ("revoke_pool_with_cnodes", "cap_revoke", False),
    ("destroy_boot_domain_16M", "domain_destroy", False),
]
# The performance targets: (image, benchmark, field, at most per op). A
# missed target is printed as MISSED and fails the command.
TARGETS = [
    ("bench-hypercall.elf", "null_hypercall_cap_lookup", "instructions", 150),
    ("bench-channel-prio.elf", "signal_to_handler", "instructions", 1500),
    # 1 notification per 8 messages of 56 bytes: 1024 / 56 / 8 vIRQs per KiB.
    ("bench-channel.elf", "ring_bulk_per_KiB", "virqs", 1024 / 56 / 8),
    # A guest's MMIO read answered by its VMM, round trip (docs/vmm.md).
    ("bench-vmm.elf", "guest_mmio_read_via_vmm", "instructions", 3000),
]


stretches = {}
counters = {}       # net-dom's counters by port name, as it printed them


def call_names():
    import tomllib
    with open(os.path.join(ROOT, "hyp", "abi", "cloison-abi.toml"), "rb") as f:
        return {c["number"]: c["name"] for c in tomllib.load(f)["call"]}


def check_stretches():
    """Print the stretch table; False if an enforced target is missed."""
    names = call_names()
    ok = True
    print(f"{'workload':28} {'call':16} {'longest EL2 stretch':>20} {'EL2 entries':>12}")
    for phase, call, is_open in STRETCH_TARGETS:
        got = {names.get(n, str(n)): v for n, v in stretches.get(phase, {}).items()}
        if call not in got:
            print(f"target: {phase}: {call} did not report: MISSED")
            ok = False
            continue
        instr, chunks = got[call]
        met = instr <= STRETCH_LIMIT
        status = "met" if met else ("OPEN (not preemptible yet)" if is_open else "MISSED")
        print(f"{phase:28} {call:16} {instr:20d} {chunks:12d}")
        print(f"target: {phase} {call} longest stretch {instr} <= {STRETCH_LIMIT}: {status}")
        if not met and not is_open:
            ok = False
    return ok


def disk_args(image, directory):
    args = []
    for n, bus in enumerate(DISK_BUSES.get(os.path.basename(image), [])):
        path = os.path.join(directory, f"disk{n}.img")
        with open(path, "wb") as f:
            f.truncate(64 << 20)
        args += ["-drive", f"if=none,format=raw,file={path},id=disk{n}",
                 "-device", f"virtio-blk-device,drive=disk{n},bus=virtio-mmio-bus.{bus}"]
    return args


def nic_args(image):
    args = []
    for bus, hub in NIC_HUBS.get(os.path.basename(image), []):
        net = f"hubport,id=nic{bus},hubid={hub}" if hub else f"user,id=nic{bus},restrict=on"
        args += ["-netdev", net,
                 "-device", f"virtio-net-device,netdev=nic{bus},bus=virtio-mmio-bus.{bus},"
                 f"mac=52:54:00:00:00:{bus:02x}"]
    return args


def run_image(image, timeout):
    with tempfile.TemporaryDirectory(prefix="cloison-bench-") as d:
        return run_image_with(image, timeout, disk_args(image, d) + nic_args(image))


def run_interactive(cmd, timeout, after):
    """Run QEMU, type after[1] once after[0] appeared, stop once after[2]
    did; (0, output) then, else (exit status or "timeout", output)."""
    wait, send, last = after
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out, sent, deadline = b"", False, time.monotonic() + timeout
    os.set_blocking(p.stdout.fileno(), False)
    rc = "timeout"
    while time.monotonic() < deadline:
        chunk = p.stdout.read()
        if chunk:
            out += chunk
        elif p.poll() is not None:
            rc = p.returncode
            break
        else:
            time.sleep(0.05)
        text = out.decode("utf-8", "replace")
        if not sent and wait in text:
            p.stdin.write(send.encode())
            p.stdin.flush()
            sent = True
        if sent and last in text and text.rstrip(" ").endswith("\n"):
            rc = 0
            break
    p.kill()
    p.wait()
    return rc, out


def run_image_with(image, timeout, extra):
    t0 = time.monotonic()
    qemu = QEMU
    if os.path.basename(image) in SLEEP_ON:
        qemu = [a.replace("sleep=off", "sleep=on") for a in QEMU]
    after = CONSOLE_AFTER.get(os.path.basename(image))
    if after:
        rc, raw = run_interactive(qemu + extra + ["-kernel", image], timeout, after)
    else:
        try:
            p = subprocess.run(qemu + extra + ["-kernel", image], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
            rc, raw = p.returncode, p.stdout
        except subprocess.TimeoutExpired as e:
            rc, raw = "timeout", e.stdout or b""
    out = raw.decode("utf-8", "replace").replace("\r", "")
    results, baseline = {}, None
    phase = None
    for line in out.split("\n"):
        m = PHASE.match(line)
        if m:
            phase = m.group(1)
        m = STRETCH.match(line)
        if m and phase:
            stretches.setdefault(phase, {})[int(m.group(1))] = (int(m.group(2)), int(m.group(3)))
        m = LINE.match(line)
        if m:
            kv = dict(x.split("=") for x in m.group(2).split())
            results[m.group(1)] = {k: int(v) for k, v in kv.items()}
        m = BASE.match(line)
        if m:
            baseline = m.group(1)
        m = COUNTERS.match(line)
        if m:
            counters[m.group(2)] = dict(zip(
                ("in_frames", "in_bytes", "out_frames", "out_bytes", "hdr_copied",
                 "payload_copied"), map(int, m.group(3, 4, 5, 6, 7, 8))))
    return rc, out, results, baseline, time.monotonic() - t0


# The block targets, front end through storage-dom against the same
# driver run directly (pairs front_X / direct_X of one run): instructions
# per request at most 3x at QD1 and 1.5x at QD32 (QD16 has no ratio target);
# at most one notification per 8 requests each way at QD32; no data byte
# copied. The notification and copy targets hold on every line, or the
# command fails. QD16's notifications are printed against 1/8 too, but do not
# fail the command: with 16 in flight, whether the front end finds its
# answers before it sleeps depends on the host's I/O timing (its random
# lines read 0.06-0.15 from run to run of one tree). The instruction ratios are judged on the median of a
# depth's eight lines: a line's direct baseline moves with the host's I/O
# timing (800 to 2,900 instructions a request at QD1 for the same tree; the
# first window of the boot most), so one line can read 4-9x in a run where
# the others read 2.6x (docs/benchmarks.md, "Block I/O"). Each median is
# printed against its target (QD1's is met in most runs, by a margin the
# host's load can take away; QD32's is open work) and fails the command
# only above its guard: a regression beyond the spread of runs of this tree
# (QD1 medians 2.6-3.3, QD32 1.7-1.9).
PATH_TARGETS = {"qd1": 3.0, "qd32": 1.5}
PATH_GUARDS = {"qd1": 3.6, "qd32": 2.2}
NOTIFY_PER_REQUEST = 1 / 8


def compare_paths(results):
    failed = False
    pairs = [(n, "direct_" + n[len("front_"):]) for n in results if n.startswith("front_")]
    pairs = [(f, d) for f, d in pairs if d in results]
    if not pairs:
        return False
    ratios = {}
    print(f"{'front vs direct':28} {'instr ratio':>12} {'notify_tx/op':>13} "
          f"{'notify_rx/op':>13} {'copied/byte':>12}")
    for f, d in pairs:
        rf, rd = results[f], results[d]
        ratio = (rf["instructions"] / rf["ops"]) / max(1, rd["instructions"] / rd["ops"])
        tx, rx = rf.get("notify_tx", 0) / rf["ops"], rf.get("notify_rx", 0) / rf["ops"]
        copied = rf.get("copied", 0) / max(1, rf.get("bytes", 1))
        qd = f.rsplit("_", 1)[1]
        ratios.setdefault(qd, []).append(ratio)
        misses, notes = [], []
        if qd != "qd1" and (tx > NOTIFY_PER_REQUEST or rx > NOTIFY_PER_REQUEST):
            (misses if qd == "qd32" else notes).append("notifications > 1/8 per request")
        if copied:
            misses.append("data copied")
        failed |= bool(misses)
        verdict = "  MISSED: " + ", ".join(misses) if misses else "  met"
        if notes:
            verdict += " (" + ", ".join(notes) + ": no target at this depth)"
        print(f"{f[len('front_'):]:28} {ratio:12.2f} {tx:13.3f} {rx:13.3f} {copied:12.1f}"
              + verdict)
    for qd in sorted(PATH_TARGETS.keys() & ratios.keys()):
        median, target, guard = statistics.median(ratios[qd]), PATH_TARGETS[qd], PATH_GUARDS[qd]
        if median <= target:
            verdict = "met"
        elif median <= guard:
            verdict = "MISSED (open, docs/benchmarks.md)"
        else:
            verdict = f"MISSED: above the guard {guard:.1f}, a regression"
            failed = True
        print(f"target: {qd} median instr ratio {median:.2f} <= {target:.1f} "
              f"(lines {min(ratios[qd]):.2f}-{max(ratios[qd]):.2f}): {verdict}")
    return failed


# The network targets (docs/benchmarks.md, "Network"), net-dom against the
# same driver run directly, pairs netdom_X / direct_X of one run: guest to
# uplink at most 2x the direct instructions per 1500-byte frame with no
# payload byte copied (net-dom's uplink sends the guest's buffer by
# scatter-gather: its counters say how many bytes it copied); at most one
# notification per 8 frames each way, everywhere.
NET_RATIO = {"netdom_g2u_1500": 2.0}
# What the open ratio may not exceed: above what this tree reached (3.7x,
# docs/benchmarks.md), a regression fails the command.
NET_RATIO_CEILING = {"netdom_g2u_1500": 5.0}
NET_NOTIFY = 1 / 8
# Not met yet (docs/benchmarks.md, "Network": open work): printed as
# MISSED (open), without failing the command.
NET_RATIO_OPEN = True


def compare_net(results):
    pairs = [(n, "direct_" + n[len("netdom_"):]) for n in results if n.startswith("netdom_")]
    pairs = [(f, d) for f, d in pairs if d in results]
    if not pairs:
        return False
    failed = False
    print(f"{'net-dom vs direct':28} {'instr ratio':>12} {'notify_tx/op':>13} "
          f"{'notify_rx/op':>13}")
    for f, d in pairs:
        rf, rd = results[f], results[d]
        ratio = (rf["instructions"] / rf["ops"]) / max(1, rd["instructions"] / rd["ops"])
        tx, rx = rf["notify_tx"] / rf["ops"], rf["notify_rx"] / rf["ops"]
        misses, open_misses = [], []
        if ratio > NET_RATIO.get(f, float("inf")):
            (open_misses if NET_RATIO_OPEN else misses).append("instr ratio > %.1f" % NET_RATIO[f])
        if ratio > NET_RATIO_CEILING.get(f, float("inf")):
            misses.append("instr ratio > %.1f (a regression)" % NET_RATIO_CEILING[f])
        if tx > NET_NOTIFY or rx > NET_NOTIFY:
            misses.append("notifications > 1/8 per frame")
        if not rf.get("ok") or not rd.get("ok"):
            misses.append("frames lost")
        failed |= bool(misses)
        verdict = "  MISSED: " + ", ".join(misses) if misses else "  met"
        if open_misses:
            verdict += "  MISSED (open, docs/benchmarks.md): " + ", ".join(open_misses)
        print(f"{f[len('netdom_'):]:28} {ratio:12.2f} {tx:13.3f} {rx:13.3f}" + verdict)
    up = counters.get("uplink")
    if up is None:
        print("target: net-dom's counters were not printed: MISSED")
        return True
    for name, c in counters.items():
        print(f"net-dom port {name}: {c['out_frames']} frames out, {c['hdr_copied']} header "
              f"and {c['payload_copied']} payload bytes copied into them")
    payload_out = up["out_bytes"] - up["hdr_copied"]
    ok = payload_out > 0 and up["payload_copied"] == 0
    failed |= not ok
    print(f"target: guest to uplink payload bytes copied 0 (headers {up['hdr_copied'] / max(1, up['out_frames']):.1f} "
          f"bytes/frame copied, {payload_out} payload bytes sent from the guests' buffers): "
          f"{'met' if ok else 'MISSED'}")
    return failed


def main():
    ap = argparse.ArgumentParser(prog="tests/bench/run", description=__doc__.split("\n")[0])
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
        if os.path.basename(image) == "bench-stretch.elf":
            if rc != 0 or not stretches:
                print(out[-3000:])
                failed = True
            elif not check_stretches():
                failed = True
            continue
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
        # A domain whose PMU is trapped reads PMCCNTR_EL0 as 0: every target
        # would be "met". Only hyp-bench.elf leaves the PMU to the domains.
        zero = [n for n, r in results.items() if r.get("instructions", 0) == 0]
        if zero:
            print(f"no instruction count for {', '.join(zero)}: PMU not readable "
                  "(was the image packed with hyp-bench.elf?): FAILED")
            failed = True
            continue
        failed |= compare_paths(results)
        failed |= compare_net(results)
        for timage, name, field, limit in TARGETS:
            if timage != os.path.basename(image):
                continue
            r = results.get(name)
            if r is None:
                print(f"target: {name} did not report: MISSED")
                failed = True
                continue
            v = r.get(field, 0) / max(1, r.get("ops", 1))
            ok = v <= limit
            failed |= not ok
            print(f"target: {name} {field}/op {v:.2f} <= {limit:.2f}: "
                  f"{'met' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
