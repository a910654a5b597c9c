#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks of the ABI generator: the real definition generates, the generated
Python module agrees with the definition, and definitions that would make an
ambiguous ABI (reused or retired numbers, unknown rights, ...) are refused.
Output: TAP."""

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import tomllib


def run_gen(gen, definition, out):
    return subprocess.run([sys.executable, gen, "--def", definition, "--python", out],
                          capture_output=True, text=True)


def mutate(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


def bind_ranges(abi, header_dir):
    """The vINTID range each *_bind call's doc states is the range the core
    accepts: CLOISON_VIRQ_FIRST_NOTIFICATION..CLOISON_VIRQ_LAST of the
    generated <cloison/abi/start_info.h> (hyp/core/notification.c checks
    against them)."""
    with open(os.path.join(header_dir, "start_info.h"), encoding="utf-8") as f:
        consts = dict(re.findall(r"#define (CLOISON_VIRQ_\w+) (0x[0-9a-f]+|\d+)u", f.read()))
    want = (int(consts["CLOISON_VIRQ_FIRST_NOTIFICATION"], 0), int(consts["CLOISON_VIRQ_LAST"], 0))
    out = []
    for call in abi["call"]:
        if not call["name"].endswith("_bind"):
            continue
        m = re.search(r"vintid \((\d+)\.\.(\d+)\)", call["doc"])
        got = (int(m.group(1)), int(m.group(2))) if m else None
        out.append((f"{call['name']} states the vINTID range the core accepts",
                    got == want, f"doc says {got}, start_info.h says {want}"))
    return out


def boot_contract(gen, definition, tmp):
    """The boot contract (cloison-boot.toml beside the ABI definition): the
    real one generates; a struct that does not add up, padding, limits that
    contradict the ABI or the layouts are refused."""
    path = os.path.join(os.path.dirname(definition), "cloison-boot.toml")
    with open(path, encoding="utf-8") as f:
        base = f.read()
    out = []
    bad = {
        "struct size that does not add up": mutate(base, "size = 72\n", "size = 80\n"),
        "misaligned field (implicit padding)": mutate(
            base, '["type", "u32", "CLOISON_TYPE_*"],\n  ["flags", "u32"',
            '["type", "u8", "CLOISON_TYPE_*"],\n  ["flags", "u32"'),
        "unknown field type": mutate(base, '["ipa", "u64", ""],', '["ipa", "u128", ""],'),
        "CSpace limit above the ABI's cnode_max_slots": mutate(
            base, "[limits.cspace_slots_max]\nvalue = 4096", "[limits.cspace_slots_max]\nvalue = 8192"),
        "more domains than 8-bit VMIDs": mutate(
            base, "[limits.domains_max]\nvalue = 256", "[limits.domains_max]\nvalue = 300"),
        "start-info caps array not the limit": mutate(
            base, "[limits.start_info_caps_max]\nvalue = 62", "[limits.start_info_caps_max]\nvalue = 61"),
        "a limit without a doc": mutate(base, 'doc = "objects in a policy', 'nodoc = "objects'),
        "a missing limit": mutate(base, "[limits.caps_max]", "[limits.caps_maximum]"),
    }
    for what, text in [("the real boot contract generates", base)] + list(bad.items()):
        d = os.path.join(tmp, "boot.toml")
        with open(d, "w", encoding="utf-8") as f:
            f.write(text)
        r = subprocess.run([sys.executable, gen, "--def", definition, "--boot-def", d,
                            "--python", os.path.join(tmp, "boot.py")],
                           capture_output=True, text=True)
        if text is base:
            out.append((what, r.returncode == 0, r.stderr))
        else:
            out.append((f"refuses boot contract: {what}",
                        r.returncode == 1 and r.stderr.strip() != "", r.stderr))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gen", required=True)
    ap.add_argument("--def", dest="definition", required=True)
    args = ap.parse_args()
    with open(args.definition, encoding="utf-8") as f:
        base = f.read()
    abi = tomllib.loads(base)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cloison_abi.py")
        r = run_gen(args.gen, args.definition, out)
        results.append(("real definition generates", r.returncode == 0, r.stderr))
        mod = None
        if r.returncode == 0:
            spec = importlib.util.spec_from_file_location("cloison_abi", out)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
        ok = mod is not None and all(mod.CALLS[c["name"]]["number"] == c["number"]
                                     for c in abi["call"])
        results.append(("python module call numbers match definition", ok, ""))
        ok = mod is not None and all(
            mod.RIGHTS[t["name"]][r] == 1 << b for t in abi["type"] for r, b in t["rights"].items())
        results.append(("python module rights match definition", ok, ""))
        ok = mod is not None and (mod.VERSION_MAJOR, mod.VERSION_MINOR) == (
            abi["version"]["major"], abi["version"]["minor"])
        results.append(("python module version matches definition", ok, ""))
        ok = mod is not None and mod.rights_mask("domain", ["start", "stop"]) == (
            mod.RIGHTS["domain"]["start"] | mod.RIGHTS["domain"]["stop"])
        results.append(("rights_mask combines rights", ok, ""))

        bad = {
            "duplicate call number": mutate(base, "number = 3\n", "number = 2\n"),
            "duplicate error value": mutate(base, 'value = 1\ndoc = "a slot', 'value = 2\ndoc = "a slot'),
            "retired number reused": base + '\n[[retired]]\nnumber = 5\nname = "old"\nretired_in = "0.1"\n',
            "unknown right of a call": mutate(base, 'rights = ["signal"]', 'rights = ["fly"]'),
            "grant on different bits": mutate(base, "rights = { grant = 0, read = 1, write = 2, exec = 3 }",
                                              "rights = { grant = 3, read = 1, write = 2, exec = 0 }"),
            "two rights on one bit": mutate(base, "read = 1, write = 2, exec = 3", "read = 1, write = 1, exec = 3"),
            "too many arguments": mutate(base, 'args = ["len", "b0", "b1", "b2", "b3", "b4"]',
                                         'args = ["len", "b0", "b1", "b2", "b3", "b4", "b5"]'),
            "first error not ok": mutate(base, 'name = "ok"\nvalue = 0', 'name = "okay"\nvalue = 0'),
            "unknown object type": mutate(base, 'object = "console"', 'object = "teapot"'),
        }
        for what, text in bad.items():
            d = os.path.join(tmp, "bad.toml")
            with open(d, "w", encoding="utf-8") as f:
                f.write(text)
            r = run_gen(args.gen, d, os.path.join(tmp, "bad.py"))
            results.append((f"refuses: {what}", r.returncode == 1 and r.stderr.strip() != "",
                            r.stderr))
        results += boot_contract(args.gen, args.definition, tmp)
        hdir = os.path.join(tmp, "headers")
        r = subprocess.run([sys.executable, args.gen, "--def", args.definition,
                            "--header-dir", hdir], capture_output=True, text=True)
        results.append(("headers generate", r.returncode == 0, r.stderr))
        if r.returncode == 0:
            results += bind_ranges(abi, hdir)
    print(f"1..{len(results)}")
    failed = 0
    for i, (desc, ok, detail) in enumerate(results, 1):
        if not ok:
            failed += 1
            for line in detail.splitlines():
                print("# " + line)
        print(f"{'ok' if ok else 'not ok'} {i} - {desc}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
