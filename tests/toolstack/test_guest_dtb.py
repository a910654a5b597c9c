# SPDX-License-Identifier: MIT
"""The Linux guest's device tree and image (toolstack/cloison/guest):
the stdlib DTB writer's output decompiled by dtc, the nodes Linux needs
with the addresses the VMM emulates, and the boot-protocol placement of
kernel, initramfs and tree in the packed ELF."""
import os
import shutil
import struct
import subprocess
import tempfile
import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support
except ImportError:
    import support
from cloison import elf, inspect
from cloison.guest import devicetree, layout, mkguest
from cloison.guest.fetch import ARM64_MAGIC


def dts(blob):
    with tempfile.NamedTemporaryFile(suffix=".dtb") as f:
        f.write(blob)
        f.flush()
        p = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", f.name],
                           capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


class GuestDtb(unittest.TestCase):
    def setUp(self):
        if shutil.which("dtc") is None:
            self.fail("dtc missing (device-tree-compiler, installed by tests/run)")

    def test_dtc_reads_the_tree(self):
        blob = devicetree.guest_tree(128 << 20, "console=ttyAMA0 quiet",
                                     0x44000000, 0x44100000)
        self.assertEqual(struct.unpack(">I", blob[:4])[0], 0xD00DFEED)
        self.assertEqual(struct.unpack(">I", blob[4:8])[0], len(blob))
        rc, out, err = dts(blob)
        self.assertEqual(rc, 0, err)
        self.assertEqual(err.strip(), "")           # no dtc warning either
        self.assertIn('bootargs = "console=ttyAMA0 quiet";', out)
        self.assertIn("linux,initrd-start = <0x00 0x44000000>;", out)
        self.assertIn("reg = <0x00 0x40000000 0x00 0x8000000>;", out)
        self.assertIn('method = "hvc";', out)
        self.assertIn('compatible = "arm,gic-v3";', out)
        self.assertIn("reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0x20000>;", out)
        self.assertIn('compatible = "arm,sbsa-uart";', out)
        self.assertIn("interrupts = <0x00 0x01 0x04>;", out)
        self.assertNotIn("xen", out)

    def test_placement_follows_the_boot_protocol(self):
        kernel = bytearray(0x300000)
        struct.pack_into("<QQ", kernel, 8, 0, 0x400000)      # image_size > file
        struct.pack_into("<I", kernel, 0x38, ARM64_MAGIC)
        out, dtb = mkguest.make(bytes(kernel), b"I" * 5000, 64 << 20, "quiet")
        img = elf.Elf(out)
        segs = {s.paddr: s for s in img.loads()}
        self.assertEqual(img.entry, layout.KERNEL_BASE)
        self.assertEqual(layout.KERNEL_BASE % (2 << 20), 0)
        self.assertEqual(segs[layout.KERNEL_BASE].memsz, 0x400000)
        self.assertEqual(layout.DTB % 8, 0)
        self.assertIn(layout.DTB, segs)
        initrd = [a for a in segs if a not in (layout.DTB, layout.KERNEL_BASE)][0]
        self.assertGreaterEqual(initrd, layout.KERNEL_BASE + 0x400000)
        rc, text, _ = dts(dtb)
        self.assertIn("linux,initrd-start = <0x00 %#x>;" % initrd, text)
        with self.assertRaises(ValueError):
            mkguest.make(bytes(kernel), b"I" * (80 << 20), 64 << 20, "quiet")


SYSTEM = """
[system]
name = "two-linux"

[[domain]]
name = "%(g)s"
kind = "linux"
kernel = "Image"
initramfs = "initramfs.cpio"
cmdline = "%(cmd)s"
memory = "64M"
autostart = false

[[domain]]
name = "%(g)s-vmm"
image = "vmm"
memory = "2M"
  [[domain.cap]]
  name = "guest"
  object = "%(g)s"
  rights = ["vmm", "start", "stop"]
"""


class LinuxGuestInDescription(support.WorkDirTest):
    """kind = "linux" in a description: `cloison pack` packs kernel,
    initramfs and the generated tree where mkguest places them."""

    def segments(self, image, dom_name):
        with open(image, "rb") as f:
            data = f.read()
        info = inspect.read(data)
        _, raw = inspect.find_bundle(elf.Elf(data))
        pol = info["policy"]
        dom = next(d for d in pol["domains"] if d["name"] == dom_name)
        segs = pol["segments"][dom["seg_first"]:dom["seg_first"] + dom["seg_count"]]
        return dom, {s["ipa"]: raw[s["offset"]:s["offset"] + s["file_size"]] for s in segs}

    def test_pack_places_kernel_initramfs_and_tree(self):
        desc = os.path.join(self.tmp, "linux.toml")
        with open(desc, "w") as f:
            f.write(SYSTEM % {"g": "one", "cmd": "console=ttyAMA0 quiet"}
                    + SYSTEM.split("[[domain]]", 1)[1].join(["[[domain]]", ""])
                    % {"g": "two", "cmd": "console=ttyAMA0 loglevel=8"})
        out = os.path.join(self.tmp, "linux.elf")
        status, _, err = support.run("pack", desc, "--hyp", self.hyp,
                                     "--image-path", self.images, "-o", out)
        self.assertEqual((status, err), (0, ""))
        with open(os.path.join(self.images, "Image"), "rb") as f:
            kernel = f.read()
        with open(os.path.join(self.images, "initramfs.cpio"), "rb") as f:
            initrd = f.read()
        trees = []
        for name, cmd in (("one", "console=ttyAMA0 quiet"),
                          ("two", "console=ttyAMA0 loglevel=8")):
            dom, segs = self.segments(out, name)
            self.assertEqual(dom["entry"], layout.KERNEL_BASE)
            self.assertEqual(segs[layout.KERNEL_BASE], kernel)
            start = layout.align_up(layout.KERNEL_BASE + 0x200000, 2 << 20)
            self.assertEqual(segs[start], initrd)
            rc, text, err = dts(segs[layout.DTB])
            self.assertEqual((rc, err.strip()), (0, ""))
            self.assertIn('bootargs = "%s";' % cmd, text)
            self.assertIn("linux,initrd-start = <0x00 %#x>;" % start, text)
            self.assertIn("linux,initrd-end = <0x00 %#x>;" % (start + len(initrd)), text)
            self.assertIn("reg = <0x00 0x40000000 0x00 0x4000000>;", text)
            trees.append(segs[layout.DTB])
        # Same kernel and initramfs, another command line: its own tree.
        self.assertNotEqual(trees[0], trees[1])


if __name__ == "__main__":
    unittest.main()
