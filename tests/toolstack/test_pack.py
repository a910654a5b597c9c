# SPDX-License-Identifier: MIT
"""pack -> inspect round trip on generated ELF files (and on the real
hypervisor when a build of it exists)."""

import glob
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import tomllib
import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support
except ImportError:
    import support
from cloison import elf, inspect
from cloison.guest import mkguest
from cloison import policy as fmt


class PackTest(support.WorkDirTest):
    PREFIX = "cloison-pack-"

    def pack(self, hyp, out, desc=support.DEFAULT_TOML):
        status, stdout, err = support.run("pack", desc, "--hyp", hyp,
                                          "--image-path", "/nonexistent:" + self.images,
                                          "-o", out)
        self.assertEqual((status, err), (0, ""))
        return stdout

    def check_image(self, hyp_path, out):
        orig = elf.Elf(support.read(hyp_path))
        img = elf.Elf(support.read(out))
        # The hypervisor's segments are unchanged, bytes included.
        old = [s for s in orig.segments]
        new = [s for s in img.segments if not (s.type == elf.PT_LOAD and
                                               s.paddr >= orig.load_end())]
        self.assertEqual([s.pack() for s in old], [s.pack() for s in new])
        for s in orig.loads():
            self.assertEqual(img.segment_bytes(s), orig.segment_bytes(s))
        self.assertEqual(img.entry, orig.entry)
        self.assertEqual(img.shoff, orig.shoff)       # sections kept
        extra = [s for s in img.segments if s not in new]
        self.assertEqual(len(extra), 1)
        seg = extra[0]
        base = (orig.load_end() + 0xffff) & ~0xffff
        self.assertEqual((seg.type, seg.paddr, seg.vaddr), (elf.PT_LOAD, base, base))
        self.assertEqual(seg.offset % fmt.BUNDLE_ALIGN, seg.paddr % fmt.BUNDLE_ALIGN)
        self.assertEqual(seg.filesz, seg.memsz)
        loads = [s.paddr for s in img.segments if s.type == elf.PT_LOAD]
        self.assertEqual(loads, sorted(loads))
        hdr, blob, images = fmt.decode_bundle(img.segment_bytes(seg))
        self.assertEqual(hdr["load_addr"], base)
        self.assertEqual(hdr["total_size"], seg.filesz)
        self.assertEqual(hdr["policy_sha256"], hashlib.sha256(blob).hexdigest())
        return img, seg, blob

    def test_pack_inspect_round_trip(self):
        out = os.path.join(self.tmp, "image.elf")
        stdout = self.pack(self.hyp, out)
        img, seg, blob = self.check_image(self.hyp, out)
        self.assertIn("bundle at 0x%x" % seg.paddr, stdout)
        # The policy in the bundle is exactly what compile writes.
        pol_path = os.path.join(self.tmp, "policy.bin")
        self.assertEqual(support.run("compile", support.DEFAULT_TOML, "-o", pol_path,
                                     "--hyp", self.hyp, "--image-path", self.images)[0], 0)
        self.assertEqual(support.read(pol_path), blob)
        # Every domain segment's bytes are in the bundle where the policy says.
        pol = fmt.decode_policy(blob)
        bundle = img.segment_bytes(seg)
        with open(support.DEFAULT_TOML, "rb") as f:
            linux = {d["name"]: d for d in tomllib.load(f)["domain"]
                     if d.get("kind") == "linux"}
        for d in pol["domains"]:
            segs = pol["segments"][d["seg_first"]:d["seg_first"] + d["seg_count"]]
            if d["name"] in linux:
                # a Linux guest's image is made by pack (cloison.guest.mkguest)
                # from its kernel, initramfs and command line
                with open(os.path.join(self.images, "Image"), "rb") as f:
                    kernel = f.read()
                with open(os.path.join(self.images, "initramfs.cpio"), "rb") as f:
                    initrd = f.read()
                src = elf.Elf(mkguest.make(kernel, initrd, d["mem_size"],
                                           linux[d["name"]]["cmdline"])[0])
            else:
                src = elf.Elf(support.read(os.path.join(self.images, d["image"] + ".elf")))
            if d["name"] == "storage":
                # the block back end's extent table (cloison.disks), after its image
                cfg = segs[-1]
                self.assertEqual(cfg["ipa"], d["mem_ipa"] + d["mem_size"] - 8192)
                self.assertEqual(bundle[cfg["offset"]:cfg["offset"] + 8], b"CLBKCFG1")
                segs = segs[:-1]
            if d["image"] == "net-dom":
                # the switch's port table (cloison.netports), 16 KiB below its end
                cfg = segs[-1]
                self.assertEqual(cfg["ipa"], d["mem_ipa"] + d["mem_size"] - 16384)
                self.assertEqual(bundle[cfg["offset"]:cfg["offset"] + 8], b"CLNTCFG1")
                segs = segs[:-1]
            if d["image"] == "web":
                # the guest's network configuration (cloison.netguest), 20 KiB below its end
                cfg = segs[-1]
                self.assertEqual(cfg["ipa"], d["mem_ipa"] + d["mem_size"] - 20480)
                self.assertEqual(bundle[cfg["offset"]:cfg["offset"] + 8], b"CLNGCFG1")
                segs = segs[:-1]
            if d["name"] == "dom0":
                # the guest store (cloison.store), at half its RAM
                st = segs[-1]
                self.assertEqual(st["ipa"], d["mem_ipa"] + d["mem_size"] // 2)
                self.assertEqual(bundle[st["offset"]:st["offset"] + 8], b"CLSTORE1")
                segs = segs[:-1]
            self.assertEqual(len(segs), len(src.loads()))
            for rec, s in zip(segs, src.loads()):
                self.assertEqual((rec["ipa"], rec["file_size"], rec["mem_size"]),
                                 (s.paddr, s.filesz, s.memsz))
                self.assertEqual(bundle[rec["offset"]:rec["offset"] + rec["file_size"]],
                                 src.segment_bytes(s))
                self.assertEqual(rec["offset"] % fmt.IMAGE_DATA_ALIGN, 0)
        # inspect: text and JSON views of the same content.
        status, text, err = support.run("inspect", out)
        self.assertEqual((status, err), (0, ""))
        self.assertIn("policy sha256: %s\n" % hashlib.sha256(blob).hexdigest(), text)
        self.assertIn("domain 2 'guest2': image 'guest-hello'\n", text)
        self.assertIn("  cap   1 console          -> console 'console' [write]\n", text)
        status, js, err = support.run("inspect", "--json", out)
        data = json.loads(js)
        self.assertEqual(data, json.loads(inspect.as_json(inspect.read(support.read(out)))))
        self.assertEqual(data["bundle"]["base"], seg.paddr)
        self.assertEqual([c["name"] for c in data["domains"][0]["caps"]],
                         ["console", "guest1", "guest2", "echo", "pinger", "storage",
                          "storage-ctl", "logger", "linux", "linux-guest", "net", "net-ctl",
                          "web10", "web20", "webnat", "pool", "guest-console", "system"])
        # The bare policy is readable too, with the same policy content.
        status, js2, err = support.run("inspect", "--json", pol_path)
        self.assertEqual(status, 0)
        pol_only = json.loads(js2)
        self.assertEqual(pol_only["domains"], data["domains"])

    def test_pack_is_deterministic(self):
        a, b = os.path.join(self.tmp, "a.elf"), os.path.join(self.tmp, "b.elf")
        self.pack(self.hyp, a)
        self.pack(self.hyp, b)
        self.assertEqual(support.read(a), support.read(b))

    def test_inspect_detects_damage(self):
        out = os.path.join(self.tmp, "damaged.elf")
        self.pack(self.hyp, out)
        img, seg, _ = self.check_image(self.hyp, out)
        data = bytearray(support.read(out))
        data[seg.offset + fmt.BUNDLE_HEADER.size + 200] ^= 1    # inside the policy
        with open(out, "wb") as f:
            f.write(data)
        status, text, err = support.run("inspect", out)
        self.assertEqual((status, text), (1, ""))
        self.assertEqual(err, "cloison: %s: policy SHA-256 does not match the "
                         "bundle header\n" % out)
        status, _, err = support.run("inspect", self.hyp)
        self.assertEqual((status, err), (1, "cloison: %s: no Cloison boot bundle in "
                                         "this ELF file\n" % self.hyp))

    def test_bad_hypervisor(self):
        out = os.path.join(self.tmp, "never.elf")
        bad = os.path.join(self.images, "not-elf.elf")
        status, _, err = support.run("pack", support.DEFAULT_TOML, "--hyp", bad,
                                     "--image-path", self.images, "-o", out)
        self.assertEqual((status, err), (1, "cloison: %s: not an ELF file\n" % bad))
        self.assertFalse(os.path.exists(out))

    def test_real_hypervisor(self):
        found = sorted(glob.glob(os.path.join(support.ROOT, "build*", "hyp", "hyp.elf")))
        if not found:
            self.skipTest("no build/hyp/hyp.elf (cross build not present)")
        for hyp in found:
            out = os.path.join(self.tmp, "real.elf")
            self.pack(hyp, out)
            self.check_image(hyp, out)
            self.assertEqual(support.run("inspect", out)[0], 0)


QEMU = shutil.which("qemu-system-aarch64")


@unittest.skipUnless(QEMU, "qemu-system-aarch64 not installed")
class QemuLoadTest(unittest.TestCase):
    """QEMU's `-kernel image.elf` loads the bundle where the policy says.
    The CPU is never started (-S): memory is read back through the monitor."""

    def test_qemu_loads_bundle_and_images(self):
        with tempfile.TemporaryDirectory() as tmp:
            support.write_images(tmp)
            hyp = os.path.join(tmp, "hyp.elf")
            with open(hyp, "wb") as f:
                f.write(support.hyp_elf())
            out = os.path.join(tmp, "image.elf")
            status, _, err = support.run("pack", support.DEFAULT_TOML, "--hyp", hyp,
                                         "--image-path", tmp, "-o", out)
            self.assertEqual((status, err), (0, ""))
            info = inspect.read(support.read(out))
            base = info["bundle"]["load_addr"]
            seg = info["policy"]["segments"][0]
            want = support.read(out)
            img = elf.Elf(want)
            bundle = img.segment_bytes(img.loads()[-1])
            cmds = "xp /4xg 0x%x\nxp /4xg 0x%x\nquit\n" % (base, base + seg["offset"])
            r = subprocess.run([QEMU, "-M", "virt,virtualization=on,gic-version=3",
                                "-cpu", "cortex-a57", "-m", "512M", "-display", "none",
                                "-serial", "none", "-monitor", "stdio", "-nic", "none",
                                "-S", "-kernel", out], input=cmds, capture_output=True,
                               text=True, timeout=20)
            words = [int(w, 16) for line in r.stdout.splitlines()
                     for w in re.findall(r"0x([0-9a-f]{16})", line.split(":", 1)[-1])
                     if re.match(r"^[0-9a-f]{16}:", line)]
            expect = list(struct.unpack("<4Q", bundle[:32])) + \
                list(struct.unpack("<4Q", bundle[seg["offset"]:seg["offset"] + 32]))
            self.assertEqual(words, expect, r.stdout + r.stderr)


class ElfTest(unittest.TestCase):
    def test_reader_rejects(self):
        good = support.domain_elf(1)
        cases = [
            (b"", "not an ELF file"),
            (good[:4] + b"\x01" + good[5:], "not a 64-bit ELF file"),
            (good[:5] + b"\x02" + good[6:], "not a little-endian ELF file"),
            (good[:16] + b"\x03\x00" + good[18:], "not an executable ELF file (e_type 3)"),
            (good[:0x50], "run past the end of the file"),
        ]
        for data, msg in cases:
            with self.assertRaisesRegex(elf.ElfError, msg.replace("(", r"\(").replace(")", r"\)")):
                elf.Elf(data)

    def test_add_segment_keeps_everything(self):
        base = elf.Elf(support.hyp_elf())
        out = elf.Elf(elf.add_segment(base, 0x40210000, b"payload", 0x10000))
        self.assertEqual(out.data[:len(base.data)][64:], base.data[64:])
        self.assertEqual(len(out.segments), len(base.segments) + 1)
        self.assertEqual(out.segment_bytes(out.segments[-1]), b"payload")
        with self.assertRaises(elf.ElfError):
            elf.add_segment(base, 0x40210100, b"x", 0x10000)


if __name__ == "__main__":
    unittest.main()
