#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""System-test runner: one QEMU boot per scenario, with a hard timeout.

A scenario is a TOML file (tests/system/scenarios/*.toml):

    name = "boot-smoke"            # defaults to the file name
    image = "hyp/hyp-test.elf"     # relative to the build directory
    append = "selftest=boot"       # kernel command line (device tree bootargs)
    timeout = 30                   # seconds of host time, hard limit
    silence = 10                   # seconds without console output = CRASH
    icount = true                  # -icount shift=0,sleep=off (deterministic)
    expect_tests = ["boot.platform.ram"]  # each must report PASS
    expect = "pass"                # "clean": exit 0 without a test block;
                                   # "alive": still running once every
                                   #   expect_output text has appeared (the
                                   #   runner then stops QEMU);
                                   # "crash": the run must be a CRASH
    expect_output = ["PANIC"]      # substrings the console must contain
    reject_output = ["oops"]       # substrings the console must not contain
    expect_order = ["a", "b"]      # substrings that must appear in this order
    [[reject_between]]             # text that must not appear between two marks
    after = "stop guest1: ok"
    before = "resume guest1: ok"
    text = "[guest1] heartbeat"
    qemu_args = []                 # extra QEMU arguments; "{disk0}" .. name
                                   #   the files of `disks`, "{root}" the
                                   #   source tree
    disks = ["16M"]                # fresh zeroed raw disk images, one per
                                   #   entry (a size), removed after the run
    disk_zero = [["0", "1M"]]      # byte ranges [start, size] of disk0 that
                                   #   must still be all zero after the run
    reboot_after = ["text"]        # boot once until every text appeared, stop
                                   #   QEMU, then boot again on the same disks:
                                   #   the checks above apply to the second boot
    [[interact]]                   # typed on the serial console, in order:
    wait = "dom0> "                #   once this text has appeared (after the
    send = "stop guest1\n"         #   previous wait), send this

The image reports results on the console (<cloison/std/testout.h>, hyp/abi/std):
TEST-BEGIN <suite> / TEST <name> PASS|FAIL <msg> / TEST-END <suite> passed=N failed=M.

Verdicts: PASS; FAIL (a test failed, the run was otherwise clean); CRASH (a
PANIC, a non-zero QEMU exit, no TEST-END, counts that do not add up, an
expected test missing, or no output at all); TIMEOUT. Only PASS is a pass:
silence, a hang or a crash can never read as one.
Exit status: 0 if every selected scenario met its expectation, 1 otherwise.
"""
import argparse
import concurrent.futures
import fnmatch
import os
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

QEMU = "qemu-system-aarch64"
QEMU_BASE = ["-M", "virt,virtualization=on,gic-version=3", "-cpu", "cortex-a57",
             "-m", "512M", "-nographic", "-monitor", "none", "-serial", "stdio",
             "-nic", "none", "-semihosting",
             # virtio 1.x transports (version 2), not legacy: drivers/virtio
             "-global", "virtio-mmio.force-legacy=false"]

KNOWN_KEYS = {"name", "image", "append", "timeout", "silence", "icount", "expect_tests",
              "expect", "expect_output", "reject_output", "qemu_args", "description",
              "interact", "expect_order", "reject_between", "disks", "disk_zero", "reboot_after"}

# Lines may carry the hypervisor's per-domain console prefix "[name] ".
PREFIX = r"^(?:\[([A-Za-z0-9_.-]+)\] )?"
RESULT_RE = re.compile(PREFIX + r"TEST (\S+) (PASS|FAIL)(?: (.*))?$")
BEGIN_RE = re.compile(PREFIX + r"TEST-BEGIN (\S+)$")
END_RE = re.compile(PREFIX + r"TEST-END (\S+) passed=(\d+) failed=(\d+)$")


class ScenarioError(Exception):
    pass


def parse_size(text):
    """ "16M" -> bytes (K, M, G: powers of 1024); None if malformed."""
    m = re.fullmatch(r"(\d+)([KMG]?)", str(text))
    if not m:
        return None
    return int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[m.group(2)]


def make_disks(scenario, directory):
    """Fresh zeroed (sparse) disk files for the scenario's `disks`."""
    paths = {}
    for i, size in enumerate(scenario["disks"]):
        path = os.path.join(directory, f"disk{i}.img")
        with open(path, "wb") as f:
            f.truncate(parse_size(size))
        paths[f"disk{i}"] = path
    return paths


def load_scenario(path):
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ScenarioError(f"{path}: {e}")
    unknown = set(data) - KNOWN_KEYS
    if unknown:
        raise ScenarioError(f"{path}: unknown key(s): {', '.join(sorted(unknown))}")
    if "image" not in data:
        raise ScenarioError(f"{path}: missing 'image'")
    data.setdefault("name", os.path.splitext(os.path.basename(path))[0])
    data.setdefault("append", "")
    data.setdefault("timeout", 30)
    data.setdefault("silence", min(10, data["timeout"]))
    data.setdefault("icount", False)
    data.setdefault("expect_tests", [])
    data.setdefault("expect", "pass")
    data.setdefault("expect_output", [])
    data.setdefault("reject_output", [])
    data.setdefault("qemu_args", [])
    data.setdefault("disks", [])
    data.setdefault("disk_zero", [])
    data.setdefault("reboot_after", [])
    for r in data["disk_zero"]:
        if (not data["disks"] or not isinstance(r, list) or len(r) != 2
                or any(parse_size(x) is None for x in r)):
            raise ScenarioError(f"{path}: disk_zero: each entry is [start, size] of disk0")
    for d in data["disks"]:
        if parse_size(d) is None:
            raise ScenarioError(f"{path}: disks: bad size {d!r}")
    data.setdefault("interact", [])
    data.setdefault("expect_order", [])
    data.setdefault("reject_between", [])
    for rb in data["reject_between"]:
        if set(rb) != {"after", "before", "text"}:
            raise ScenarioError(f"{path}: each [[reject_between]] needs after, before and text")
    for step in data["interact"]:
        if set(step) - {"wait", "send"} or "wait" not in step or "send" not in step:
            raise ScenarioError(f"{path}: each [[interact]] needs exactly wait and send")
    if data["expect"] not in ("pass", "clean", "crash", "alive"):
        raise ScenarioError(f"{path}: expect must be 'pass', 'clean', 'crash' or 'alive'")
    if data["expect"] == "alive" and not data["expect_output"]:
        raise ScenarioError(f"{path}: expect = 'alive' needs expect_output")
    data["path"] = path
    return data


class Result:
    def __init__(self, scenario):
        self.scenario = scenario
        self.verdict = None        # PASS / FAIL / CRASH / TIMEOUT
        self.reason = ""
        self.tests = []            # (name, ok, message)
        self.output = ""
        self.exit_code = None
        self.seconds = 0.0

    @property
    def met_expectation(self):
        if self.scenario["expect"] == "crash":
            return self.verdict == "CRASH" and not self.missing_output()
        return self.verdict == "PASS" and not self.missing_output()

    def missing_output(self):
        """Expected text that is absent, and rejected text that is present."""
        missing = [s for s in self.scenario["expect_output"] if s not in self.output]
        missing += ["(never prompted) " + w for w in getattr(self, "pending_input", [])]
        pos = 0
        for s in self.scenario["expect_order"]:
            at = self.output.find(s, pos)
            if at < 0:
                missing.append("(out of order or absent) " + s)
                break
            pos = at + len(s)
        for rb in self.scenario["reject_between"]:
            a = self.output.find(rb["after"])
            b = self.output.find(rb["before"], a + 1) if a >= 0 else -1
            if a < 0 or b < 0:
                missing.append(f"(marks absent) {rb['after']} .. {rb['before']}")
            elif rb["text"] in self.output[a:b]:
                missing.append(f"(between marks) {rb['text']}")
        return missing + getattr(self, "disk_damage", []) + [
            "(must not appear) " + s for s in self.scenario["reject_output"] if s in self.output]


def qemu_command(scenario, build_dir, disks=None):
    image = os.path.join(build_dir, scenario["image"])
    disks = disks or {}
    cmd = [QEMU] + QEMU_BASE
    if scenario["icount"]:
        cmd += ["-icount", "shift=0,sleep=off"]
    cmd += ["-kernel", image]
    if scenario["append"]:
        cmd += ["-append", scenario["append"]]
    cmd += [a.format(root=ROOT, **disks) if disks else a for a in scenario["qemu_args"]]
    return cmd


def classify(res, timed_out, silent_for=None):
    """Set res.verdict and res.reason from the console output and exit code."""
    lines = [l.rstrip("\r") for l in res.output.split("\n")]
    # Several domains may each report a block; results are matched to the
    # open block of the same console prefix.
    open_blocks, counts, bad_counts = {}, {}, []
    began = ended = False
    for line in lines:
        m = BEGIN_RE.match(line)
        if m:
            began = True
            open_blocks[m.group(1)] = m.group(2)
            counts[m.group(1)] = [0, 0]
            continue
        m = RESULT_RE.match(line)
        if m:
            ok = m.group(3) == "PASS"
            res.tests.append((m.group(2), ok, m.group(4) or ""))
            if m.group(1) in counts:
                counts[m.group(1)][0 if ok else 1] += 1
            continue
        m = END_RE.match(line)
        if m and m.group(1) in open_blocks:
            want = [int(m.group(3)), int(m.group(4))]
            if counts[m.group(1)] != want:
                bad_counts.append(f"TEST-END {m.group(2)} says passed={want[0]} failed={want[1]} "
                                  f"but {counts[m.group(1)][0]} passed / "
                                  f"{counts[m.group(1)][1]} failed lines were seen")
            del open_blocks[m.group(1)]
    ended = began and not open_blocks
    passed = sum(1 for t in res.tests if t[1])
    failed = len(res.tests) - passed
    names = {t[0] for t in res.tests if t[1]}
    missing = [t for t in res.scenario["expect_tests"] if t not in names]

    if silent_for is not None:
        what = "printed nothing" if not res.output.strip() else "went silent"
        res.verdict, res.reason = "CRASH", f"silent: the image {what} for {silent_for} s"
    elif timed_out:
        res.verdict, res.reason = "TIMEOUT", f"no exit within {res.scenario['timeout']} s"
    elif not res.output.strip():
        res.verdict, res.reason = "CRASH", "silent: the image printed nothing"
    elif "PANIC" in res.output:
        res.verdict, res.reason = "CRASH", "the hypervisor panicked"
    elif res.scenario["expect"] == "alive":
        res.verdict, res.reason = "PASS", "running as expected when stopped"
    elif res.exit_code != 0:
        res.verdict, res.reason = "CRASH", f"QEMU exited with status {res.exit_code}"
    elif res.scenario["expect"] == "crash":
        res.verdict, res.reason = "PASS", "ran to completion (a crash was expected)"
    elif res.scenario["expect"] == "clean" and not began:
        res.verdict, res.reason = "PASS", "booted and powered off cleanly"
    elif not began or not ended:
        res.verdict, res.reason = "CRASH", "no complete TEST-BEGIN/TEST-END block"
    elif bad_counts:
        res.verdict, res.reason = "CRASH", bad_counts[0]
    elif missing:
        res.verdict, res.reason = "CRASH", f"expected tests missing: {', '.join(missing)}"
    elif failed:
        res.verdict, res.reason = "FAIL", f"{failed} test(s) failed"
    else:
        res.verdict, res.reason = "PASS", f"{passed} test(s) passed"


def run_scenario(scenario, build_dir):
    with tempfile.TemporaryDirectory(prefix="cloison-disks-") as d:
        disks = make_disks(scenario, d)
        if scenario["reboot_after"]:
            first = run_scenario_with(dict(scenario, expect="alive", expect_tests=[],
                                           expect_output=scenario["reboot_after"],
                                           expect_order=[], reject_between=[], interact=[]),
                                      build_dir, disks)
            if not first.met_expectation:
                first.reason = "first boot: " + first.reason
                return first
        res = run_scenario_with(scenario, build_dir, disks)
        res.disk_damage = check_disk_zero(scenario, disks)
        return res


def check_disk_zero(scenario, disks):
    """Ranges of disk0 that should be zero and are not (host-side check)."""
    bad = []
    for start, size in scenario["disk_zero"]:
        with open(disks["disk0"], "rb") as f:
            f.seek(parse_size(start))
            data = f.read(parse_size(size))
        if data.count(0) != len(data):
            bad.append(f"(disk0 changed outside the extents) [{start}, +{size}) has "
                       f"{len(data) - data.count(0)} non-zero bytes")
    return bad


def run_scenario_with(scenario, build_dir, disks):
    res = Result(scenario)
    cmd = qemu_command(scenario, build_dir, disks)
    if not os.path.exists(cmd[cmd.index("-kernel") + 1]):
        res.verdict, res.reason = "CRASH", f"image not built: {scenario['image']}"
        return res
    start = time.monotonic()
    timed_out, silent_for = False, None
    steps = list(scenario["interact"])
    alive = scenario["expect"] == "alive"
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if steps else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    chunks, last = [], [start]
    seen_upto = 0  # interaction waits match only text after the previous one

    def reader():
        while True:
            b = proc.stdout.read1(4096)
            if not b:
                return
            chunks.append(b)
            last[0] = time.monotonic()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    while proc.poll() is None:
        if alive:
            text = b"".join(chunks).decode("utf-8", "replace").replace("\r", "")
            if all(s in text for s in scenario["expect_output"]) and not steps:
                proc.kill()
                break
        if steps:
            text = b"".join(chunks).decode("utf-8", "replace").replace("\r", "")
            at = text.find(steps[0]["wait"], seen_upto)
            if at >= 0:
                seen_upto = at + len(steps[0]["wait"])
                try:
                    proc.stdin.write(steps[0]["send"].encode())
                    proc.stdin.flush()
                except OSError:
                    pass
                steps.pop(0)
        now = time.monotonic()
        if now - start > scenario["timeout"]:
            timed_out = True
        elif now - last[0] > scenario["silence"]:
            silent_for = scenario["silence"]
        if timed_out or silent_for is not None:
            proc.kill()
            break
        time.sleep(0.05)
    proc.wait()
    t.join(timeout=5)
    res.seconds = time.monotonic() - start
    res.exit_code = proc.returncode
    res.output = b"".join(chunks).decode("utf-8", "replace").replace("\r", "")
    res.command = cmd
    if steps:
        res.pending_input = [st["wait"] for st in steps]
    classify(res, timed_out, silent_for)
    return res


def write_junit(results, path):
    suites = ET.Element("testsuites")
    for res in results:
        sc = res.scenario
        suite = ET.SubElement(suites, "testsuite", name=sc["name"],
                              time=f"{res.seconds:.2f}")
        cases = list(res.tests)
        if sc["expect"] != "pass" or res.verdict in ("CRASH", "TIMEOUT") or res.missing_output():
            cases = [(f"{sc['name']}.run", res.met_expectation, res.reason)] + cases
        for name, ok, msg in cases:
            case = ET.SubElement(suite, "testcase", name=name, classname=sc["name"])
            if not ok:
                ET.SubElement(case, "failure", message=msg or res.reason)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if not c[1])))
        ET.SubElement(suite, "system-out").text = res.output
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


def count(res):
    """(passed, failed) test cases contributed by one scenario."""
    if res.scenario["expect"] in ("crash", "clean", "alive"):
        return (1, 0) if res.met_expectation else (0, 1)
    passed = sum(1 for t in res.tests if t[1])
    failed = len(res.tests) - passed
    if res.verdict in ("CRASH", "TIMEOUT") or res.missing_output():
        failed += 1  # the run itself
    return passed, failed


def discover(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".toml"))
        else:
            files.append(p)
    return files


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", default=[os.path.join(HERE, "scenarios")],
                    help="scenario files or directories (default: tests/system/scenarios)")
    ap.add_argument("-B", "--build", default=os.path.join(ROOT, "build"), help="build directory")
    ap.add_argument("-k", "--pattern", action="append", default=[],
                    help="only scenarios whose name matches this glob (repeatable)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="QEMU instances at once")
    ap.add_argument("--junit", help="write JUnit XML here")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every console log")
    ap.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = ap.parse_args(argv)

    try:
        scenarios = [load_scenario(f) for f in discover(args.paths)]
    except ScenarioError as e:
        print(f"runner: {e}", file=sys.stderr)
        return 2
    if args.pattern:
        scenarios = [s for s in scenarios
                     if any(fnmatch.fnmatch(s["name"], p) for p in args.pattern)]
    if not scenarios:
        print("runner: no scenario selected", file=sys.stderr)
        return 2
    if args.list:
        for s in scenarios:
            print(s["name"])
        return 0

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        results = list(ex.map(lambda s: run_scenario(s, args.build), scenarios))

    total_p = total_f = 0
    for res in results:
        p, f = count(res)
        total_p += p
        total_f += f
        ok = res.met_expectation
        exp = " (crash expected)" if res.scenario["expect"] == "crash" else ""
        print(f"[{'ok' if ok else 'FAILED'}] {res.scenario['name']}: {res.verdict}{exp}"
              f" - {res.reason} ({res.seconds:.1f}s)")
        missing = res.missing_output()
        if missing:
            print(f"    console lacks: {missing}")
        for name, tok, msg in res.tests:
            if not tok:
                print(f"    FAIL {name}: {msg}")
        if not ok or args.verbose:
            print("    command: " + " ".join(shlex.quote(c) for c in getattr(res, "command", [])))
            tail = res.output.strip().split("\n")[-25:]
            for line in tail:
                print("    | " + line)
    if args.junit:
        write_junit(results, args.junit)
    bad = [r for r in results if not r.met_expectation]
    print(f"system: {total_p} passed, {total_f} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
