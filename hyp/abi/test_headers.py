#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compile every <cloison/abi/*.h> header on its own with each compiler given.

A header passes when a translation unit that includes only it compiles with
the project's strict warnings (freestanding, so no libc header can sneak in)
and when it includes nothing but <stdint.h>, <stddef.h> and other
<cloison/abi/...> headers. Output: TAP.
"""

import argparse
import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile

FLAGS = ["-std=c11", "-ffreestanding", "-Wall", "-Wextra", "-Werror", "-Wconversion",
         "-Wshadow", "-Wstrict-prototypes", "-Wmissing-prototypes", "-Wvla", "-Wundef",
         "-Wcast-qual", "-Wpointer-arith", "-Wpedantic", "-fsyntax-only"]
ALLOWED = re.compile(r"^<(stdint\.h|stddef\.h|cloison/abi/[A-Za-z0-9_]+\.h)>$")
INCLUDE = re.compile(r"^\s*#\s*include\s+(\S+)", re.M)


STUB = re.compile(r"^static inline uint64_t (cloison_\w+)\(([^)]*)\)", re.M)


def check_stubs(path, cmd, args, tmp):
    """Call every stub once; the assembly must hold exactly one hvc #0 per stub."""
    with open(path, encoding="utf-8") as f:
        stubs = STUB.findall(f.read())
    body = ["#include <cloison/abi/stubs.h>", "uint64_t stubs_all(uint64_t *r);",
            "uint64_t stubs_all(uint64_t *r)", "{", "\tuint64_t e = 0;"]
    for name, params in stubs:
        actuals = []
        for p in ([] if params.strip() == "void" else params.split(",")):
            actuals.append("r" if "*" in p else "r[0]")
        body.append(f"\te |= {name}({', '.join(actuals)});")
    body += ["\treturn e;", "}"]
    src = os.path.join(tmp, "stubs_all.c")
    with open(src, "w", encoding="utf-8") as f:
        f.write("\n".join(body) + "\n")
    out = os.path.join(tmp, "stubs_all.s")
    argv = shlex.split(cmd) + FLAGS[:-1] + ["-O2", "-S", "-o", out, "-I", args.build_dir,
                                            "-I", args.src_dir, src]
    r = subprocess.run(argv, capture_output=True, text=True)
    n = 0
    if r.returncode == 0:
        with open(out, encoding="utf-8") as f:
            n = len(re.findall(r"\bhvc\s+#?0\b", f.read()))
    else:
        for line in (r.stdout + r.stderr).splitlines():
            print("# " + line)
    ok = r.returncode == 0 and len(stubs) > 0 and n == len(stubs)
    if r.returncode == 0 and not ok:
        print(f"# {len(stubs)} stubs, {n} hvc instructions")
    return ok, f"stubs.h: each of {len(stubs)} stubs compiles to one hvc #0 (aarch64)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src-dir", required=True)
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--cc", action="append", default=[], help="label=compiler command")
    args = ap.parse_args()
    headers = {}
    for d in (args.src_dir, args.build_dir):
        for h in sorted(glob.glob(os.path.join(d, "cloison", "abi", "*.h"))):
            headers.setdefault(os.path.basename(h), h)
    ccs = [c.split("=", 1) for c in args.cc]
    checks = [(name, path, None) for name, path in sorted(headers.items())]
    # Instantiate every domain-side stub for AArch64: each must become one hvc.
    if "stubs.h" in headers:
        checks += [("stubs.h", headers["stubs.h"], ("hvc", cmd)) for label, cmd in ccs
                   if label == "aarch64"]
    checks += [(name, path, cc) for name, path in sorted(headers.items()) for cc in ccs]
    print(f"1..{len(checks)}")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, path, cc) in enumerate(checks, 1):
            if cc is not None and cc[0] == "hvc":
                ok, desc = check_stubs(path, cc[1], args, tmp)
            elif cc is None:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                bad = [inc for inc in INCLUDE.findall(text) if not ALLOWED.match(inc)]
                ok = not bad and text.startswith("/* SPDX-License-Identifier: MIT */")
                desc = f"{name} includes only stdint/stddef/cloison-abi and has SPDX"
                if bad:
                    print(f"# {path}: forbidden include(s): {' '.join(bad)}")
            else:
                label, cmd = cc
                src = os.path.join(tmp, f"{name}.{label}.c")
                with open(src, "w", encoding="utf-8") as f:
                    # -Wpedantic refuses an empty translation unit: a macro-only
                    # header needs one declaration after it.
                    f.write(f"#include <cloison/abi/{name}>\ntypedef int cloison_tu_not_empty;\n")
                argv = shlex.split(cmd) + FLAGS + ["-I", args.build_dir, "-I", args.src_dir, src]
                r = subprocess.run(argv, capture_output=True, text=True)
                ok = r.returncode == 0
                desc = f"{name} compiles alone ({label})"
                if not ok:
                    for line in (r.stdout + r.stderr).splitlines():
                        print("# " + line)
            failed += not ok
            print(f"{'ok' if ok else 'not ok'} {i} - {desc}")
    if not headers:
        print("# no headers found")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
