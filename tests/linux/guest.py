# SPDX-License-Identifier: MIT
"""The Linux guest's boot files (fetched by toolstack/lib/deps.sh
cloison_fetch_linux_guest, which tests/run calls before this group) and
the QEMU command lines that boot them."""
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("CLOISON_BUILD", os.path.join(ROOT, "build"))
GUEST_DIR = os.path.join(BUILD, "linux-guest")
IMAGE = os.path.join(GUEST_DIR, "Image")
INITRAMFS = os.path.join(GUEST_DIR, "initramfs.cpio")
INITRAMFS_BENCH = os.path.join(GUEST_DIR, "initramfs-bench.cpio")
READY_MARKER = "cloison-guest: init ready"
PROMPT = "/ # "

QEMU = ["qemu-system-aarch64", "-cpu", "cortex-a57", "-nographic",
        "-monitor", "none", "-serial", "stdio", "-nic", "none"]


def require_files():
    missing = [p for p in (IMAGE, INITRAMFS) if not os.path.exists(p)]
    if missing:
        raise AssertionError(
            f"missing {missing}: run `source toolstack/lib/deps.sh; "
            "cloison_fetch_linux_guest` (tests/run does)")


def baseline_argv(initramfs=INITRAMFS, icount=False, append="quiet"):
    """Linux directly on QEMU's board, no hypervisor: the baseline."""
    argv = QEMU + ["-M", "virt,gic-version=3", "-m", "256M",
                   "-kernel", IMAGE, "-initrd", initramfs,
                   "-append", f"console=ttyAMA0 cma=0 {append}"]
    if icount:
        argv += ["-icount", "shift=0,sleep=off"]
    return argv
