# SPDX-License-Identifier: MIT
"""The Linux guest's boot files (fetched by toolstack/lib/deps.sh
cloison_fetch_linux_guest, which tests/run calls before this group) and
the QEMU command lines that boot them."""
import os
import subprocess
import sys

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
    """The guest's files, fetched first when missing (pinned by SHA-256,
    from Debian's registry only, cached: toolstack/lib/deps.sh)."""
    missing = [p for p in (IMAGE, INITRAMFS) if not os.path.exists(p)]
    if missing:
        subprocess.run(["bash", "-c", "source toolstack/lib/deps.sh && "
                        "cloison_fetch_linux_guest"], cwd=ROOT,
                       env=dict(os.environ, CLOISON_BUILD=BUILD), check=False)
        missing = [p for p in (IMAGE, INITRAMFS) if not os.path.exists(p)]
    if missing:
        raise AssertionError(
            f"missing {missing}: `source toolstack/lib/deps.sh; "
            "cloison_fetch_linux_guest` could not fetch them")


def baseline_argv(initramfs=INITRAMFS, icount=False, append="quiet"):
    """Linux directly on QEMU's board, no hypervisor: the baseline."""
    argv = QEMU + ["-M", "virt,gic-version=3", "-m", "256M",
                   "-kernel", IMAGE, "-initrd", initramfs,
                   "-append", f"console=ttyAMA0 cma=0 {append}"]
    if icount:
        argv += ["-icount", "shift=0,sleep=off"]
    return argv


HYP = os.path.join(BUILD, "hyp", "hyp.elf")
VMM_DIR = os.path.join(BUILD, "domains", "vmm")
BARE_DIR = os.path.join(BUILD, "domains", "guests")   # bare-metal domains beside
DOM0_DIR = os.path.join(BUILD, "domains", "dom0")
SYSTEM = os.path.join(ROOT, "tests", "linux", "systems", "linux.toml")


def cloison_image(name="cloison-linux", system=SYSTEM):
    """Pack the system (cloison pack, which packs its Linux guests from
    the kernel and initramfs in GUEST_DIR) with the release hypervisor;
    return the boot image's path."""
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "toolstack"),
               CLOISON_ABI_PY=os.path.join(BUILD, "hyp", "abi", "cloison_abi.py"))
    work = os.path.join(GUEST_DIR, name)
    os.makedirs(work, exist_ok=True)
    out = os.path.join(work, name + ".elf")
    subprocess.run([sys.executable, "-m", "cloison", "pack", system, "--hyp", HYP,
                    "--image-path", ":".join([GUEST_DIR, VMM_DIR, BARE_DIR, DOM0_DIR]), "-o", out],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    return out


def cloison_argv(image, icount=False):
    argv = QEMU + ["-M", "virt,virtualization=on,gic-version=3", "-m", "512M",
                   "-semihosting", "-kernel", image]
    if icount:
        argv += ["-icount", "shift=0,sleep=off"]
    return argv
