#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run every Cloison test group and print one total.

Groups (each can be chosen with --only): unit (meson suite 'unit': host C
tests, TAP subtests counted one by one), toolstack (Python unittest in
tests/toolstack), runner (the system-test runner's own tests), loader (the
hypervisor's policy loader booted on corrupted policies), crash (storage-dom's
flushed writes across 24 kills of QEMU), system (QEMU
scenarios in tests/system/scenarios and domains/tests/scenarios), net (net-dom
on the network test rig, and the network guests: tests/net), linux (the
Linux guest fetched and checked by toolstack/lib/deps.sh, then booted:
tests/linux), fuzz (meson suite 'fuzz': bounded
libFuzzer runs). The last line is "N passed, N failed"; the exit status is 1 if
anything failed or a group could not run.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GROUPS = ["unit", "toolstack", "runner", "loader", "crash", "system", "net", "linux", "fuzz"]


def sh(cmd, **kw):
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)


def meson_suite(build, suite):
    """Run one meson test suite; count TAP subtests (or whole tests)."""
    log = os.path.join(build, "meson-logs", "testlog.json")
    if os.path.exists(log):
        os.unlink(log)
    p = sh(["meson", "test", "-C", build, "--no-rebuild", "--suite", suite,
            "--print-errorlogs", "--num-processes", "2"])
    out = p.stdout.decode("utf-8", "replace")
    passed = failed = 0
    if not os.path.exists(log):
        print(out)
        return 0, 1
    with open(log) as f:
        entries = [json.loads(line) for line in f if line.strip()]
    for e in entries:
        stdout = e.get("stdout", "") or ""
        oks = len(re.findall(r"^ok \d+", stdout, re.M))
        bad = len(re.findall(r"^not ok \d+", stdout, re.M))
        whole_ok = e["result"] in ("OK", "EXPECTEDFAIL")
        if oks + bad == 0:
            oks, bad = (1, 0) if whole_ok else (0, 1)
        elif not whole_ok and bad == 0:
            bad = 1  # crashed or exited non-zero after its last "ok"
        passed += oks
        failed += bad
        status = "ok" if whole_ok and bad == 0 else "FAILED"
        print(f"  [{status}] {e['name']}: {oks} passed, {bad} failed ({e.get('duration', 0):.1f}s)")
    if failed or p.returncode != 0:
        print(out[-6000:])
        if failed == 0:
            failed = 1
    if not entries:
        print(f"  no tests in meson suite '{suite}'")
        failed += 1
    return passed, failed


def unittest_group(path, pattern="test_*.py", env=None):
    p = sh([sys.executable, "-m", "unittest", "discover", "-s", path,
            "-p", pattern], env=env)
    out = p.stdout.decode("utf-8", "replace")
    m = re.search(r"^Ran (\d+) tests?", out, re.M)
    ran = int(m.group(1)) if m else 0
    fails = 0
    m = re.search(r"^FAILED \((.*)\)", out, re.M)
    if m:
        for part in m.group(1).split(","):
            k, _, v = part.strip().partition("=")
            if k in ("failures", "errors", "unexpected successes"):
                fails += int(v)
    skipped = 0
    m = re.search(r"skipped=(\d+)", out)
    if m:
        skipped = int(m.group(1))
    if p.returncode != 0 or ran == 0:
        print(out[-6000:])
        fails = max(fails, 1)
    else:
        print(out.strip().splitlines()[-1] if out.strip() else "")
    return max(0, ran - fails - skipped), fails, skipped


def main():
    ap = argparse.ArgumentParser(
        prog="tests/run", description=__doc__.split("\n")[0],
        epilog="tests/run first installs missing Debian packages and builds everything "
        "in build/ (toolstack/lib/deps.sh); --help does neither. Groups: "
        + ", ".join(GROUPS) + ". The last line is 'N passed, N failed' "
        "(', N skipped' when a test skipped).")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--only", action="append", choices=GROUPS,
                    help="run only this group (repeatable)")
    ap.add_argument("-k", "--system-pattern", action="append", default=[],
                    help="system scenarios to run (glob, repeatable)")
    ap.add_argument("--junit", default=None, help="JUnit XML of the system tests")
    args = ap.parse_args()
    groups = args.only or GROUPS
    env = dict(os.environ, CLOISON_BUILD=args.build)
    totals = {}
    for g in groups:
        t0 = time.monotonic()
        print(f"=== {g}", flush=True)
        skipped = 0
        if g == "unit":
            p, f = meson_suite(args.build, "unit")
        elif g == "fuzz":
            p, f = meson_suite(args.build, "fuzz")
        elif g == "toolstack":
            p, f, skipped = unittest_group(os.path.join(ROOT, "tests", "toolstack"), env=env)
        elif g == "runner":
            p, f, skipped = unittest_group(os.path.join(ROOT, "tests", "system"),
                                           pattern="test_runner.py", env=env)
        elif g == "loader":
            p, f, skipped = unittest_group(os.path.join(ROOT, "tests", "system"),
                                           pattern="test_loader.py", env=env)
        elif g == "net":
            p, f, skipped = unittest_group(os.path.join(ROOT, "tests", "net"), env=env)
        elif g == "crash":
            p, f, skipped = unittest_group(os.path.join(ROOT, "tests", "system"),
                                           pattern="test_crash.py", env=env)
        elif g == "linux":
            # Fetch (pinned, cached) only here: nothing else needs network.
            r = sh(["bash", "-c", 'source toolstack/lib/deps.sh && cloison_fetch_linux_guest'],
                   env=env)
            if r.returncode != 0:
                print(r.stdout.decode("utf-8", "replace")[-3000:])
                p, f = 0, 1
            else:
                p, f, skipped = unittest_group(os.path.join(ROOT, "tests", "linux"), env=env)
        else:
            cmd = [sys.executable, os.path.join(ROOT, "tests", "system", "runner.py"),
                   "-B", args.build, "--junit", args.junit or os.path.join(args.build, "system-tests.xml")]
            # Scenarios live beside what they test: the hypervisor's in
            # tests/system, the domain runtime's in domains/tests.
            cmd += [d for d in (os.path.join(ROOT, "tests", "system", "scenarios"),
                                os.path.join(ROOT, "domains", "tests", "scenarios"))
                    if os.path.isdir(d)]
            for k in args.system_pattern:
                cmd += ["-k", k]
            r = sh(cmd)
            out = r.stdout.decode("utf-8", "replace")
            print(out, end="")
            m = re.search(r"^system: (\d+) passed, (\d+) failed$", out, re.M)
            p, f = (int(m.group(1)), int(m.group(2))) if m else (0, 1)
            if r.returncode != 0 and f == 0:
                f = 1
        totals[g] = (p, f, skipped)
        print(f"--- {g}: {p} passed, {f} failed"
              + (f", {skipped} skipped" if skipped else "")
              + f" ({time.monotonic() - t0:.0f}s)", flush=True)
    P = sum(v[0] for v in totals.values())
    F = sum(v[1] for v in totals.values())
    S = sum(v[2] for v in totals.values())
    print("\nsummary: " + ", ".join(f"{g} {v[0]}/{v[0] + v[1]}" for g, v in totals.items()))
    print(f"{P} passed, {F} failed" + (f", {S} skipped" if S else ""))
    return 1 if F else 0


if __name__ == "__main__":
    sys.exit(main())
