# SPDX-License-Identifier: MIT
"""Shared helpers of the toolstack tests: import path, CLI runner, and
small AArch64 ELF files generated on the fly (no cross build needed)."""

import contextlib
import io
import os
import shutil
import struct
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOLSTACK = os.path.join(ROOT, "toolstack")
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
DEFAULT_TOML = os.path.join(TOOLSTACK, "systems", "default.toml")
if TOOLSTACK not in sys.path:
    sys.path.insert(0, TOOLSTACK)

from cloison import cli, elf  # noqa: E402
from cloison.guest import layout, pack  # noqa: E402
from cloison.guest.fetch import ARM64_MAGIC  # noqa: E402

RAM = 0x40000000


def run(*argv):
    """Run the CLI in this process; return (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main([str(a) for a in argv])
        except SystemExit as exc:      # argparse usage errors
            status = exc.code
    return status, out.getvalue(), err.getvalue()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def code(seed, n):
    """n bytes of deterministic, seed-dependent content."""
    out = bytearray()
    x = seed
    while len(out) < n:
        x = (x * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
        out += struct.pack("<Q", x)
    return bytes(out[:n])


def hyp_elf():
    """A stand-in hypervisor: text at 0x40200000, data + bss after it."""
    text = code(1, 0x2345)
    data = code(2, 0x321)
    return elf.build(0x40200000, [
        (0x40200000, text, len(text), elf.PF_R | elf.PF_X),
        (0x40203000, data, 0x5000, elf.PF_R | elf.PF_W),
    ])


def domain_elf(seed, size=0x1800, bss=0x3000):
    text = code(seed, size)
    data = code(seed + 100, 0x100)
    return elf.build(RAM, [
        (RAM, text, len(text), elf.PF_R | elf.PF_X),
        (RAM + 0x10000, data, bss, elf.PF_R | elf.PF_W),
    ])


def vmm_elf(seed, regions):
    """A VMM image whose data carries the platform table the toolstack
    reads (cloison.guest.pack, domains/vmm/main.c)."""
    table = pack.PLATFORM_MAGIC + struct.pack("<Q", len(regions))
    table += b"".join(struct.pack("<QQ", b, s) for b, s in regions)
    text = code(seed, 0x800)
    return elf.build(RAM, [(RAM, text, len(text), elf.PF_R | elf.PF_X),
                           (RAM + 0x10000, table, len(table), elf.PF_R)])


def linux_files():
    """A Linux guest's files for the fixtures: a tiny arm64 Image (header
    only), an initramfs, VMM images with a complete platform, one without
    the UART and one emulating over the guest's RAM."""
    kernel = bytearray(0x10000)
    struct.pack_into("<QQ", kernel, 8, 0, 0x200000)      # text_offset, image_size
    struct.pack_into("<I", kernel, 0x38, ARM64_MAGIC)
    full = [(layout.GICD, layout.GICD_SIZE), (layout.GICR, layout.GICR_SIZE),
            (layout.UART, layout.UART_SIZE)]
    return {
        "Image": bytes(kernel),
        "big-initramfs.cpio": bytes(5 << 20),
        "initramfs.cpio": b"070701" + bytes(506),
        "vmm.elf": vmm_elf(70, full),
        "vmm-no-uart.elf": vmm_elf(71, full[:2]),
        "vmm-over-ram.elf": vmm_elf(72, full + [(RAM + 0x100000, 0x1000)]),
    }


def write_images(d):
    """The images the fixtures and tests name, written into directory d."""
    files = {
        "dom0.elf": domain_elf(10),
        "guest-hello.elf": domain_elf(20),
        "echo-svc.elf": domain_elf(30),
        "pinger.elf": domain_elf(40),
        "storage-dom.elf": domain_elf(50),
        "disklog.elf": domain_elf(60),
        "net-dom.elf": domain_elf(70),
        "web.elf": domain_elf(80),
        "guest-big.elf": elf.build(RAM, [
            (RAM, code(3, 0x100), 0x100, elf.PF_R | elf.PF_X),
            (RAM + 0x100000, b"", 0x200000, elf.PF_R | elf.PF_W)]),
        "bad-entry.elf": elf.build(RAM + 0x100000, [
            (RAM, code(4, 0x100), 0x100, elf.PF_R | elf.PF_X)]),
        "overlap.elf": elf.build(RAM, [
            (RAM, code(5, 0x100), 0x2000, elf.PF_R | elf.PF_X),
            (RAM + 0x1000, code(6, 0x100), 0x100, elf.PF_R | elf.PF_W)]),
        "guest-full.elf": elf.build(RAM, [
            (RAM, code(7, 0x100), 0x200000, elf.PF_R | elf.PF_W | elf.PF_X)]),
        "not-elf.elf": b"#!/bin/sh\necho not an ELF file\n",
        # 513 loadable segments: two domains of it are past segments_max (1024).
        "many-segments.elf": elf.build(RAM, [
            (RAM + i * 0x1000, code(8 + i, 0x10), 0x10, elf.PF_R | elf.PF_X)
            for i in range(513)]),
    }
    files.update(linux_files())
    x86 = bytearray(domain_elf(30))
    struct.pack_into("<H", x86, 18, 62)      # e_machine = EM_X86_64
    files["x86.elf"] = bytes(x86)
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    os.makedirs(os.path.join(d, "nested", "guest-sub"), exist_ok=True)
    with open(os.path.join(d, "nested", "guest-sub", "guest-sub.elf"), "wb") as f:
        f.write(domain_elf(40))


class WorkDirTest(unittest.TestCase):
    """A test class with a scratch directory for the whole class: cls.tmp,
    cls.images (the images of write_images) and cls.hyp (a hypervisor ELF)."""
    PREFIX = "cloison-test-"

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix=cls.PREFIX)
        cls.images = os.path.join(cls.tmp, "images")
        os.mkdir(cls.images)
        write_images(cls.images)
        cls.hyp = os.path.join(cls.tmp, "hyp.elf")
        with open(cls.hyp, "wb") as f:
            f.write(hyp_elf())

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)


class CtlSystem(unittest.TestCase):
    """A test system booted on QEMU once for the class and driven through
    dom0's shell as `cloison ctl` does (test_ctl.py, test_connect.py):
    `toolstack/run --ctl SOCKET --log LOG IMAGE`, with a disk image of its
    own. Subclasses set IMAGE (a path under the build directory), and
    may add QEMU arguments (qemu_args(), e.g. a NIC)."""
    IMAGE = None

    @classmethod
    def qemu_args(cls):
        return []

    @classmethod
    def setUpClass(cls):
        import subprocess
        import time
        from cloison import ctl
        cls.build = os.environ.get("CLOISON_BUILD", os.path.join(ROOT, "build"))
        cls.tmp = tempfile.TemporaryDirectory()
        cls.sock = os.path.join(cls.tmp.name, "ctl.sock")
        cls.log = os.path.join(cls.tmp.name, "console.log")
        # A disk of its own: the default one may be in use by another run.
        cls.qemu = subprocess.Popen(
            [os.path.join(ROOT, "toolstack/run"), "--ctl", cls.sock, "--log", cls.log,
             os.path.join(cls.build, cls.IMAGE)] + cls.qemu_args(),
            env=dict(os.environ, CLOISON_BUILD=cls.build,
                     CLOISON_DISK=os.path.join(cls.tmp.name, "disk.img")),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            cls.con = ctl.Console(cls.sock, 60)
            cls.con.settle(1.0, 60)
            deadline = time.monotonic() + 60
            while cls.con.run("help", 1.0) is None:
                if time.monotonic() > deadline:
                    raise AssertionError("dom0 did not answer on the console")
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.qemu.kill()
        cls.qemu.wait()
        cls.tmp.cleanup()

    def run_ok(self, command, ok=True):
        res = self.con.run(command, 60)
        self.assertIsNotNone(res, "no answer to %r" % command)
        self.assertEqual(res[0], ok, "%r: %s" % (command, res[1]))
        return res[1]

    def census(self):
        """dom0's `stats`: objects, free and total pages, pool free and size."""
        import re
        lines = self.run_ok("stats")
        m = re.fullmatch(r"stats: core (\d+) objects, (\d+) of (\d+) pages free; "
                         r"pool (\d+) of (\d+) bytes free", lines[0])
        self.assertTrue(m, lines)
        return tuple(int(x) for x in m.groups())

    def log_text(self):
        with open(self.log, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_log(self, text, since, timeout=60):
        """Wait until `text` is on the console past offset `since`."""
        import time
        deadline = time.monotonic() + timeout
        while text not in self.log_text()[since:]:
            self.assertLess(time.monotonic(), deadline, "no %r on the console" % text)
            time.sleep(0.1)

    def channel_ends(self):
        """The channel caps of the last capability dump on the console:
        [(domain, slot, object, end)], end "0" or "1"."""
        import re
        dump = self.log_text().rsplit("CLOISON-CAPDUMP BEGIN", 1)[1]
        dump = dump.split("CLOISON-CAPDUMP END", 1)[0]
        return re.findall(r"CAP domain=(\S+) slot=(\d+) type=channel object=(#\d+) "
                          r"rights=0x[0-9a-f]+ badge=0x([01])", dump)

    def live_audit(self, desc, image_dirs):
        """dom0's `audit`, then `cloison audit DESC --live` on the console
        log so far (images found in image_dirs, under the build)."""
        import subprocess
        import time
        n = self.log_text().count("CLOISON-CAPDUMP END")
        self.run_ok("audit")
        deadline = time.monotonic() + 30
        while self.log_text().count("CLOISON-CAPDUMP END") == n:
            self.assertLess(time.monotonic(), deadline, "no capability dump")
            time.sleep(0.1)
        snap = os.path.join(self.tmp.name, "snap.log")
        with open(snap, "w") as f:
            f.write(self.log_text())
        return subprocess.run(
            [os.path.join(ROOT, "toolstack/bin/cloison"), "audit", desc, "--live", snap,
             "--hyp", os.path.join(self.build, "hyp/hyp-test.elf"), "--image-path",
             ":".join(os.path.join(self.build, d) for d in image_dirs)],
            capture_output=True, text=True, timeout=120)
