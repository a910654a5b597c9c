#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a libFuzzer binary for a bounded time on a seed corpus; TAP output.

The seed corpus is made here from a few meaningful call sequences (so the
fuzzer starts deep in the state space instead of at "invalid slot"), written
with the constants of the generated ABI module.

  run_fuzz.py --fuzzer BIN --abi-py cloison_abi.py [--time S] [--corpus DIR] [-- extra args]
"""

import argparse
import importlib.util
import os
import struct
import subprocess
import sys
import tempfile


def load_abi(path):
    spec = importlib.util.spec_from_file_location("cloison_abi", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def call(abi, dom, slot, name, *args):
    regs = [slot, abi.CALLS[name]["number"]] + list(args) + [0] * (6 - len(args))
    return bytes([dom]) + struct.pack("<8Q", *[r & (2**64 - 1) for r in regs])


def seeds(abi):
    N = abi.SLOT_NONE
    T = abi.OBJECT_TYPES
    PG = 4096
    yield [call(abi, 0, N, "abi_version")]
    yield [call(abi, 0, 0, "untyped_retype", T["frame"], PG, N, 2),
           call(abi, 0, 2, "cap_copy", 1, 0),
           call(abi, 0, 0, "cap_revoke")]
    yield [call(abi, 0, 0, "untyped_retype", T["domain"], 0, N, 2),
           call(abi, 0, 0, "untyped_retype", T["cnode"], 2, N, 3),
           call(abi, 0, 2, "domain_set_cspace", 3),
           call(abi, 0, 2, "domain_finish_build"),
           call(abi, 0, 2, "domain_start"),
           call(abi, 0, 3, "cap_revoke"),
           call(abi, 0, 2, "domain_destroy")]
    # a domain made at run time: memory (more than the pool has), a load,
    # scheduling, a cap, the build query; then finish and start
    yield [call(abi, 0, 0, "untyped_retype", T["domain"], 0, N, 2),
           call(abi, 0, 0, "untyped_retype", T["cnode"], 2, N, 3),
           call(abi, 0, 2, "domain_set_cspace", 3),
           call(abi, 0, 3, "cap_delete"),
           call(abi, 0, 2, "domain_set_memory", 0, 2 << 20, 0x7a66, 0, 0, 0),
           call(abi, 0, 2, "domain_load", 0x40000000, 512),
           call(abi, 0, 2, "domain_set_sched", 1000, 10000, 100),
           call(abi, 0, 2, "domain_install", 1, 1, 0, 0x78, 0),
           call(abi, 0, 2, "domain_build_query"),
           call(abi, 0, 2, "domain_finish_build"),
           call(abi, 0, 2, "domain_start")]
    yield [call(abi, 1, 2, "cap_mint", 3, 1, abi.RIGHTS["notification"]["signal"], 0x10),
           call(abi, 2, 1, "notification_signal"),
           call(abi, 1, 2, "notification_poll")]
    # a channel from the pool: the combined signal-and-wait on it, on no
    # channel (a WFI) and on a cap of another type
    yield [call(abi, 0, 0, "untyped_retype", T["channel"], PG, N, 2),
           call(abi, 0, 2, "channel_signal_wait", 2),
           call(abi, 0, 2, "channel_signal_wait", N),
           call(abi, 0, 2, "channel_signal_wait", 0),
           call(abi, 0, 2, "channel_poll"),
           call(abi, 0, 0, "cap_revoke")]
    yield [call(abi, 0, 0, "untyped_retype", T["untyped"], 2 * PG, N, 2),
           call(abi, 0, 2, "untyped_retype", T["cnode"], 1, N, 3),
           call(abi, 0, 3, "cap_copy", 3, 0),
           call(abi, 0, 3, "cap_delete"),
           call(abi, 0, 2, "cap_delete"),
           call(abi, 0, 0, "cap_revoke")]
    yield [call(abi, 0, 0, "cap_mint", 1, 1, abi.RIGHTS["untyped"]["retype_frame"], 0),
           call(abi, 1, 1, "untyped_retype", T["frame"], PG, 3, 1),
           call(abi, 0, 1, "cnode_identify", 1),
           call(abi, 0, 0, "cap_move", N, 3),
           call(abi, 0, 3, "untyped_query")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fuzzer", required=True)
    ap.add_argument("--abi-py", required=True)
    ap.add_argument("--time", type=int, default=60)
    ap.add_argument("--corpus", help="keep the corpus here (default: a temporary directory)")
    ap.add_argument("extra", nargs="*")
    a = ap.parse_args()
    abi = load_abi(a.abi_py)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = a.corpus or os.path.join(tmp, "corpus")
        os.makedirs(corpus, exist_ok=True)
        for i, seq in enumerate(seeds(abi)):
            with open(os.path.join(corpus, f"seed-{i}"), "wb") as f:
                f.write(b"".join(seq))
        art = os.path.join(tmp, "crash-") if not a.corpus else os.path.join(corpus, "..", "crash-")
        argv = [a.fuzzer, f"-max_total_time={a.time}", "-seed=1", "-max_len=4160",
                "-print_final_stats=1", f"-artifact_prefix={art}", corpus] + a.extra
        print("1..1")
        print("# " + " ".join(argv), flush=True)
        r = subprocess.run(argv, capture_output=True, text=True)
        for line in r.stderr.splitlines():
            progress = line.startswith("#") and ("INITED" in line or "DONE" in line)
            if progress or line.startswith(("stat::", "Done", "==", "INFO: seed")) \
                    or "ERROR" in line or "invariant" in line or "PANIC" in line \
                    or "runtime error" in line or "SUMMARY" in line:
                print("# " + line)
        ok = r.returncode == 0
        print(f"{'ok' if ok else 'not ok'} 1 - fuzz {os.path.basename(a.fuzzer)} for {a.time} s")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
