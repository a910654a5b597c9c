#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The toolstack and the hypervisor's loader agree on every limit of
hyp/abi/cloison-boot.toml: a description AT each limit compiles and its
bundle passes the loader's own check (policy_check.c, run on the host as
check_bundle); one PAST each limit is refused by the toolstack with a
FILE:LINE message (exit status 1). TAP output, one line per case."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "toolstack"))
sys.path.insert(0, os.path.join(ROOT, "tests", "toolstack"))
from cloison import compiler, description, elf  # noqa: E402
from cloison import limits as L  # noqa: E402
import support  # noqa: E402

RAM = 0x40000000


def image(nsegs):
    """An image with nsegs small PT_LOAD segments, 4 KiB apart."""
    segs = [(RAM + i * 0x1000, support.code(i + 1, 0x40), 0x40, elf.PF_R | elf.PF_X)
            for i in range(nsegs)]
    return elf.build(RAM, segs)


def domains(n, extra="", caps=0, memory="2M", image_name="img1"):
    out = []
    for i in range(n):
        out.append('[[domain]]\nname = "d%d"\nimage = "%s"\nmemory = "%s"\n%s'
                   % (i, image_name, memory, extra))
        for c in range(caps(i) if callable(caps) else caps):
            out.append('  [[domain.cap]]\n  name = "c%d"\n  object = "console"\n'
                       '  rights = ["write"]\n' % c)
    return "\n".join(out)


def system(ram="1G", body=""):
    return '[system]\nname = "limits"\nram = "%s"\n\n%s\n' % (ram, body)


def caps_per_domain(total):
    full, rest = divmod(total, L.START_INFO_CAPS_MAX)
    n = full + (1 if rest else 0)
    return n, (lambda i: L.START_INFO_CAPS_MAX if i < full else rest)


def cases():
    """(name, description text, image name) at the limit, and past it."""
    nd, per = caps_per_domain(L.CAPS_MAX)
    nd2, per2 = caps_per_domain(L.CAPS_MAX + 1)
    seg_doms = L.SEGMENTS_MAX // 16
    notes = L.OBJECTS_MAX - 3  # system, console and one domain
    note = "\n".join('[[notification]]\nname = "n%d"\n' % i for i in range(notes))
    note_past = note + '\n[[notification]]\nname = "n-past"\n'
    return [
        ("domains_max", system(body=domains(L.DOMAINS_MAX)),
         system(body=domains(L.DOMAINS_MAX + 1))),
        ("objects_max", system(body=note + domains(1)), system(body=note_past + domains(1))),
        ("caps_max", system(body=domains(nd, caps=per)), system(body=domains(nd2, caps=per2))),
        ("start_info_caps_max", system(body=domains(1, caps=L.START_INFO_CAPS_MAX)),
         system(body=domains(1, caps=L.START_INFO_CAPS_MAX + 1))),
        ("segments_max", system(body=domains(seg_doms, image_name="img16")),
         system(body=domains(seg_doms + 1, image_name="img16"))),
        ("cspace_slots_max", system(body=domains(1, extra="cspace_slots = %d\n" % L.CSPACE_SLOTS_MAX)),
         system(body=domains(1, extra="cspace_slots = %d\n" % (L.CSPACE_SLOTS_MAX * 2)))),
        ("priority_max", system(body=domains(1, extra="priority = %d\n" % L.PRIORITY_MAX)),
         system(body=domains(1, extra="priority = %d\n" % (L.PRIORITY_MAX + 1)))),
        ("period_max_us", system(body=domains(1, extra="budget_us = %d\nperiod_us = %d\n"
                                               % (L.PERIOD_MAX_US, L.PERIOD_MAX_US))),
         system(body=domains(1, extra="period_us = %d\n" % (L.PERIOD_MAX_US + 1)))),
        ("domain_mem_max", system(ram="2G", body=domains(1, memory="1G")),
         system(ram="4G", body=domains(1, memory="1026M"))),
        ("channel_size_max", system(body=shared("channel", "16M", 2)),
         system(body=shared("channel", "17M", 2))),
        ("untyped_size_max", system(body=shared("untyped", "256M", 1)),
         system(body=shared("untyped", "260M", 1))),
    ]


def shared(kind, size, holders):
    """A channel (two holders) or an untyped pool (one) of `size`."""
    rights = '["read", "write"]' if kind == "channel" else '["retype_frame"]'
    out = ['[[%s]]\nname = "x"\nsize = "%s"\n' % (kind, size)]
    for i in range(holders):
        out.append('[[domain]]\nname = "d%d"\nimage = "img1"\nmemory = "2M"\n'
                   '  [[domain.cap]]\n  name = "x"\n  object = "x"\n  rights = %s\n'
                   % (i, rights))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check-bundle", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="cloison-limits-")
    imgdir = os.path.join(tmp, "images")
    os.mkdir(imgdir)
    with open(os.path.join(imgdir, "img1.elf"), "wb") as f:
        f.write(image(1))
    with open(os.path.join(imgdir, "img16.elf"), "wb") as f:
        f.write(image(16))
    hyp_path = os.path.join(tmp, "hyp.elf")
    with open(hyp_path, "wb") as f:
        f.write(support.hyp_elf())
    hyp = elf.Elf(support.hyp_elf())
    results = []
    for name, at, past in cases():
        path = os.path.join(tmp, name + ".toml")
        with open(path, "w") as f:
            f.write(at)
        try:
            desc = description.load(path, [imgdir])
            comp = compiler.compile_description(desc, hyp)
        except Exception as exc:  # noqa: BLE001 - reported as the failure
            results.append((False, "%s: at the limit, the toolstack refused: %s" % (name, exc)))
            continue
        bpath = os.path.join(tmp, name + ".bundle")
        with open(bpath, "wb") as f:
            f.write(comp.bundle())
        p = subprocess.run([args.check_bundle, bpath, "0x%x" % RAM,
                            "0x%x" % desc.system.ram_size, "0x40200000",
                            "0x%x" % comp.bundle_base], capture_output=True, text=True)
        results.append((p.returncode == 0 and p.stdout.strip() == "ok",
                        "%s: at the limit, compiled and the loader's check says %s"
                        % (name, (p.stdout + p.stderr).strip())))
        ppath = os.path.join(tmp, name + "-past.toml")
        with open(ppath, "w") as f:
            f.write(past)
        p = subprocess.run([sys.executable, "-m", "cloison", "check", ppath,
                            "--image-path", imgdir, "--hyp", hyp_path],
                           env=dict(os.environ, PYTHONPATH=os.path.join(ROOT, "toolstack")),
                           capture_output=True, text=True)
        ok = p.returncode == 1 and re.match(re.escape(ppath) + r":\d+: \S", p.stderr) is not None
        results.append((ok, "%s: one past the limit, the toolstack says %s"
                        % (name, p.stderr.strip().splitlines()[0] if p.stderr.strip() else
                           "nothing (exit %d)" % p.returncode)))
    shutil.rmtree(tmp)
    print("1..%d" % len(results))
    for n, (ok, msg) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", n, msg))
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
