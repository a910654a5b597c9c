# SPDX-License-Identifier: MIT
"""The hypervisor's policy loader against broken policies: a valid image is
packed, then one field of its compiled policy is corrupted at a time (past
the toolstack's own checks, as a damaged or hand-made image would be). Each
must boot to a clear "policy rejected: <reason>" and a failure exit, never a
crash and never a partly built system. Needs build/hyp/hyp.elf and QEMU.
Run: python3 -m unittest tests/system/test_loader.py"""
import os
import struct
import subprocess
import sys
import tempfile
import tomllib
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "toolstack"))
from cloison import elf as elf_mod  # noqa: E402
from cloison import policy as fmt  # noqa: E402

BUILD = os.environ.get("CLOISON_BUILD", os.path.join(ROOT, "build"))
HYP = os.path.join(BUILD, "hyp", "hyp.elf")
QEMU = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3", "-cpu",
        "cortex-a57", "-m", "512M", "-nographic", "-monitor", "none", "-serial", "stdio",
        "-nic", "none", "-semihosting"]

DESC = """
[system]
name = "loader-test"
ram = "512M"

[[domain]]
name = "d0"
image = "poweroff"
memory = "4M"
  [[domain.cap]]
  name = "console"
  object = "console"
  rights = ["write"]
  [[domain.cap]]
  name = "system"
  object = "system"
  rights = ["poweroff"]

[[domain]]
name = "d1"
image = "poweroff"
memory = "4M"
"""


def poweroff_image(call):
    # movz x0, #2 (the system cap's slot); movz x1, #call; hvc #0; b .
    words = [0xd2800040, 0xd2800001 | (call << 5), 0xd4000002, 0x14000000]
    code = struct.pack("<4I", *words)
    return elf_mod.build(0x40000000, [(0x40000000, code, len(code), elf_mod.PF_R | elf_mod.PF_X)])


class LoaderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(HYP):
            raise unittest.SkipTest("build/hyp/hyp.elf not built")
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        with open(os.path.join(ROOT, "hyp", "abi", "cloison-abi.toml"), "rb") as f:
            calls = {c["name"]: c["number"] for c in tomllib.load(f)["call"]}
        with open(os.path.join(d, "poweroff.elf"), "wb") as f:
            f.write(poweroff_image(calls["system_poweroff"]))
        with open(os.path.join(d, "sys.toml"), "w") as f:
            f.write(DESC)
        cls.image = os.path.join(d, "image.elf")
        p = subprocess.run([sys.executable, "-m", "cloison", "pack", os.path.join(d, "sys.toml"),
                            "--hyp", HYP, "--image-path", d, "-o", cls.image],
                           env=dict(os.environ, PYTHONPATH=os.path.join(ROOT, "toolstack")),
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(p.stderr)
        with open(cls.image, "rb") as f:
            cls.data = f.read()
        e = elf_mod.Elf(cls.data)
        seg = [s for s in e.segments if s.type == elf_mod.PT_LOAD][-1]
        cls.bundle_off = seg.offset
        hdr = fmt.BUNDLE_HEADER.unpack(cls.data, seg.offset)
        cls.policy_off = seg.offset + hdr["policy_offset"]
        cls.policy_len = hdr["policy_size"]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def boot(self, data):
        path = os.path.join(self.tmp.name, "variant.elf")
        with open(path, "wb") as f:
            f.write(data)
        p = subprocess.run(QEMU + ["-kernel", path], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
        return p.returncode, p.stdout.decode("utf-8", "replace").replace("\r", "")

    def variant(self, mutate):
        """The image with its policy decoded, changed by mutate(pol) and re-encoded."""
        blob = self.data[self.policy_off:self.policy_off + self.policy_len]
        pol = fmt.decode_policy(blob)
        mutate(pol)
        new = fmt.encode_policy(pol)
        self.assertEqual(len(new), len(blob))
        return self.data[:self.policy_off] + new + self.data[self.policy_off + len(new):]

    def rejected(self, data, reason):
        rc, out = self.boot(data)
        self.assertIn("cloison: policy rejected: " + reason, out)
        self.assertNotIn("PANIC", out)
        self.assertNotIn("[d0]", out)  # nothing ran
        self.assertEqual(rc, 1, out)

    def test_valid_image_boots_and_powers_off(self):
        rc, out = self.boot(self.data)
        self.assertIn(": 2 domains", out)
        self.assertIn("cloison: powered off by domain d0", out)
        self.assertEqual(rc, 0, out)

    def test_domain_over_the_hypervisor(self):
        def m(p):
            p["domains"][0]["mem_phys"] = 0x40200000
        self.rejected(self.variant(m), "domain d0: memory overlaps the hypervisor")

    def test_misaligned_domain_memory(self):
        def m(p):
            p["domains"][1]["mem_phys"] += 0x1000
        self.rejected(self.variant(m), "domain d1: memory")

    def test_overlapping_domains(self):
        def m(p):
            p["domains"][1]["mem_phys"] = p["domains"][0]["mem_phys"]
        self.rejected(self.variant(m), "domains d1 and d0 overlap")

    def test_entry_outside_memory(self):
        def m(p):
            p["domains"][0]["entry"] = 0x80000000
        self.rejected(self.variant(m), "domain d0: entry 80000000 outside its memory")

    def test_segment_outside_memory(self):
        def m(p):
            p["segments"][0]["mem_size"] = 0x10000000
        self.rejected(self.variant(m), "domain d0: segment 0 out of bounds")

    def test_budget_above_period(self):
        def m(p):
            p["domains"][1]["budget_us"] = p["domains"][1]["period_us"] + 1
        self.rejected(self.variant(m), "domain d1: budget")

    def test_cap_slot_outside_cspace(self):
        def m(p):
            p["caps"][1]["slot"] = p["domains"][0]["cspace_slots"]
        self.rejected(self.variant(m), "cap 1 (system): bad holder, object or slot")

    def test_cap_naming_a_missing_object(self):
        def m(p):
            p["caps"][0]["object"] = 99
        self.rejected(self.variant(m), "cap 0 (console): bad holder, object or slot")

    def test_cap_range_covering_another_domains_caps(self):
        def m(p):
            p["domains"][1]["cap_first"] = 0
            p["domains"][1]["cap_count"] = 2
        self.rejected(self.variant(m), "domain d1: cap 0 in its range is another domain's")

    def test_device_over_the_gic(self):
        def m(p):
            o = p["objects"][1]
            o["type"] = 3  # device
            o["phys"], o["size"] = 0x08000000, 0x10000  # QEMU virt's GICD
        self.rejected(self.variant(m), "device console: region 8000000+10000 unusable")

    def test_device_held_by_two_domains(self):
        # A device is handed to exactly one domain: d0's console cap becomes
        # a device cap and d1 gets d0's second cap, also on that device.
        def m(p):
            o = p["objects"][1]
            o["type"] = 3  # device
            o["phys"], o["size"] = 0x0a001000, 0x1000  # a virtio-mmio page
            p["domains"][0]["cap_count"] = 1
            p["domains"][1]["cap_first"], p["domains"][1]["cap_count"] = 1, 1
            p["caps"][1]["domain"], p["caps"][1]["object"], p["caps"][1]["slot"] = 1, 1, 1
        self.rejected(self.variant(m), "device console: caps held by two domains (d0, d1)")

    def test_irq_held_by_two_domains(self):
        def m(p):
            o = p["objects"][1]
            o["type"], o["number"] = 4, 56  # irq, an SPI
            p["domains"][0]["cap_count"] = 1
            p["domains"][1]["cap_first"], p["domains"][1]["cap_count"] = 1, 1
            p["caps"][1]["domain"], p["caps"][1]["object"], p["caps"][1]["slot"] = 1, 1, 1
        self.rejected(self.variant(m), "irq console: caps held by two domains (d0, d1)")

    def test_devices_sharing_a_page(self):
        def m(p):
            for i in (0, 1):
                o = p["objects"][i]
                o["type"] = 3
                o["phys"], o["size"] = 0x0a001000, 0x1000
        self.rejected(self.variant(m), "devices console and system share a page")

    def test_unknown_object_type(self):
        def m(p):
            p["objects"][1]["type"] = 77
        self.rejected(self.variant(m), "object console: type 77 cannot be made at boot")

    def test_policy_flags(self):
        def m(p):
            p["flags"] = 1
        self.rejected(self.variant(m), "policy flags 1")

    def test_abi_major(self):
        def m(p):
            p["abi_major"] = 9
        self.rejected(self.variant(m), "policy needs ABI 9.")

    def test_bad_policy_magic(self):
        data = bytearray(self.data)
        data[self.policy_off] ^= 0xff
        self.rejected(bytes(data), "policy has a bad magic number")

    def test_table_out_of_bounds(self):
        data = bytearray(self.data)
        # The caps table's count (policy header offset 128 + 4).
        struct.pack_into("<I", data, self.policy_off + 128 + 4, 1000)
        self.rejected(bytes(data), "cap table lies outside the policy")

    def test_bundle_at_the_wrong_address(self):
        data = bytearray(self.data)
        load = struct.unpack_from("<Q", data, self.bundle_off + 24)[0]
        struct.pack_into("<Q", data, self.bundle_off + 24, load + 0x10000)
        self.rejected(bytes(data), "bundle built for")


if __name__ == "__main__":
    unittest.main()
