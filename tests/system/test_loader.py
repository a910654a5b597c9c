# SPDX-License-Identifier: MIT
"""The hypervisor's boot path against damaged boot images, in QEMU. Every
field check of the bundle runs on the host (tests/unit/policy: one test per
refusal); here the boot path itself: a valid image boots; a changed policy
byte or image byte is refused by its SHA-256 before anything is built; a
policy re-sealed with a field out of range is refused by the same checks; a
bundle at the wrong address, or none at all, is a failure exit; a system
whose domains all stop powers off with a failure and the reasons; and 256
domains (the limit) boot and each one prints. Each refusal must print
"cloison: policy rejected: <reason>" and exit with status 1, never crash,
never run a domain. Needs build/hyp/hyp.elf and QEMU.
Run: python3 -m unittest tests/system/test_loader.py"""
import hashlib
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


STOP_DESC = """
[system]
name = "stop-test"
ram = "512M"

[[domain]]
name = "s0"
image = "stop"
memory = "2M"

[[domain]]
name = "s1"
image = "stop"
memory = "2M"
"""


def poweroff_image(call):
    # movz x0, #2 (the system cap's slot); movz x1, #call; hvc #0; b .
    words = [0xd2800040, 0xd2800001 | (call << 5), 0xd4000002, 0x14000000]
    code = struct.pack("<4I", *words)
    return elf_mod.build(0x40000000, [(0x40000000, code, len(code), elf_mod.PF_R | elf_mod.PF_X)])


def movz(rd, imm, hw=0):
    return 0xd2800000 | hw << 21 | imm << 5 | rd


def hello_image(write_call, poweroff_call=None):
    """console_write "ok\n" through slot 1, then wait for interrupts forever,
    or (poweroff_call) power off through slot 2."""
    words = [movz(0, 1), movz(1, write_call), movz(2, 3), movz(3, 0x6b6f),
             0xf2a00143,  # movk x3, #0x0a, lsl #16
             0xd4000002]  # hvc #0
    if poweroff_call is None:
        words += [0xd503207f, 0x17ffffff]  # wfi; b .-4
    else:
        words += [movz(0, 2), movz(1, poweroff_call), 0xd4000002, 0x14000000]
    code = struct.pack("<%dI" % len(words), *words)
    return elf_mod.build(0x40000000, [(0x40000000, code, len(code), elf_mod.PF_R | elf_mod.PF_X)])


def stop_image():
    # hvc #1: an unknown hypercall immediate, which stops the domain.
    code = struct.pack("<2I", 0xd4000022, 0x14000000)
    return elf_mod.build(0x40000000, [(0x40000000, code, len(code), elf_mod.PF_R | elf_mod.PF_X)])


def pack(d, name, desc):
    path = os.path.join(d, name + ".toml")
    with open(path, "w") as f:
        f.write(desc)
    out = os.path.join(d, name + ".elf")
    p = subprocess.run([sys.executable, "-m", "cloison", "pack", path, "--hyp", HYP,
                        "--image-path", d, "-o", out],
                       env=dict(os.environ, PYTHONPATH=os.path.join(ROOT, "toolstack")),
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr)
    with open(out, "rb") as f:
        return f.read()


class LoaderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(HYP):
            raise RuntimeError(HYP + " not built: build first (tests/run)")
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        with open(os.path.join(ROOT, "hyp", "abi", "cloison-abi.toml"), "rb") as f:
            calls = {c["name"]: c["number"] for c in tomllib.load(f)["call"]}
        with open(os.path.join(d, "poweroff.elf"), "wb") as f:
            f.write(poweroff_image(calls["system_poweroff"]))
        with open(os.path.join(d, "hello.elf"), "wb") as f:
            f.write(hello_image(calls["console_write"]))
        with open(os.path.join(d, "hello-off.elf"), "wb") as f:
            f.write(hello_image(calls["console_write"], calls["system_poweroff"]))
        with open(os.path.join(d, "stop.elf"), "wb") as f:
            f.write(stop_image())
        cls.data = pack(d, "sys", DESC)
        e = elf_mod.Elf(cls.data)
        seg = [s for s in e.segments if s.type == elf_mod.PT_LOAD][-1]
        cls.bundle_off = seg.offset
        hdr = fmt.BUNDLE_HEADER.unpack(cls.data, seg.offset)
        cls.policy_off = seg.offset + hdr["policy_offset"]
        cls.policy_len = hdr["policy_size"]
        cls.images_off = seg.offset + hdr["images_offset"]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def boot(self, data, ram="512M", timeout=30):
        path = os.path.join(self.tmp.name, "variant.elf")
        with open(path, "wb") as f:
            f.write(data)
        qemu = list(QEMU)
        qemu[qemu.index("-m") + 1] = ram
        p = subprocess.run(qemu + ["-kernel", path], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace").replace("\r", "")

    def variant(self, mutate):
        """The image with its policy decoded, changed by mutate(pol),
        re-encoded and re-sealed (the bundle's policy hash recomputed), as a
        hand-made image would be: only the field checks stand in the way."""
        blob = self.data[self.policy_off:self.policy_off + self.policy_len]
        pol = fmt.decode_policy(blob)
        mutate(pol)
        new = fmt.encode_policy(pol)
        self.assertEqual(len(new), len(blob))
        data = bytearray(self.data[:self.policy_off] + new + self.data[self.policy_off + len(new):])
        data[self.bundle_off + 64:self.bundle_off + 96] = hashlib.sha256(new).digest()
        return bytes(data)

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

    def test_tampered_policy_byte(self):
        # d1's priority (domain record 1, offset 112), not re-sealed.
        data = bytearray(self.data)
        dom_off = struct.unpack_from("<I", data, self.policy_off + 96)[0]
        data[self.policy_off + dom_off + 192 + 112] ^= 0x7f
        self.rejected(bytes(data), "policy hash mismatch")

    def test_tampered_image_byte(self):
        data = bytearray(self.data)
        data[self.images_off + 1] ^= 0x01
        self.rejected(bytes(data), "domain d0: image hash mismatch")

    def test_resealed_field_out_of_range(self):
        def m(p):
            p["domains"][1]["priority"] = 256
        self.rejected(self.variant(m), "domain d1: priority 256 above 255")

    def test_resealed_channel_end(self):
        def m(p):
            p["caps"][1]["end"] = 2
        self.rejected(self.variant(m), "cap system: end 2")

    def test_no_bundle_is_a_failure(self):
        with open(HYP, "rb") as f:
            rc, out = self.boot(f.read())
        self.assertIn("cloison: no boot bundle: nothing to run", out)
        self.assertNotIn("PANIC", out)
        self.assertEqual(rc, 1, out)

    def test_all_domains_stopped_is_a_failure(self):
        data = pack(self.tmp.name, "stop", STOP_DESC)
        rc, out = self.boot(data)
        self.assertIn("cloison: no domain can run any more", out)
        self.assertIn("cloison:   s0: stopped: ", out)
        self.assertIn("cloison:   s1: stopped: ", out)
        self.assertNotIn("PANIC", out)
        self.assertEqual(rc, 1, out)

    def test_256_domains_boot_and_each_prints(self):
        # The domains_max limit: 256 domains of 2 MiB need more than the
        # 512 MiB the other tests use.
        n = 256
        desc = ['[system]\nname = "many"\nram = "1G"\n']
        for i in range(n):
            last = i == n - 1
            desc.append('[[domain]]\nname = "d%d"\nimage = "%s"\nmemory = "2M"\n'
                        'cspace_slots = 4\npriority = %d\n'
                        '  [[domain.cap]]\n  name = "console"\n  object = "console"\n'
                        '  rights = ["write"]\n' % (i, "hello-off" if last else "hello",
                                                     0 if last else 100))
            if last:
                desc.append('  [[domain.cap]]\n  name = "system"\n  object = "system"\n'
                            '  rights = ["poweroff"]\n')
        rc, out = self.boot(pack(self.tmp.name, "many", "\n".join(desc)), ram="1G", timeout=120)
        self.assertIn("cloison: policy ", out)
        self.assertIn(": %d domains" % n, out)
        missing = [i for i in range(n) if "[d%d] ok\n" % i not in out]
        self.assertEqual(missing, [], out[-3000:])
        self.assertIn("cloison: powered off by domain d%d" % (n - 1), out)
        self.assertEqual(rc, 0, out[-3000:])

    def test_bundle_at_the_wrong_address(self):
        data = bytearray(self.data)
        load = struct.unpack_from("<Q", data, self.bundle_off + 24)[0]
        struct.pack_into("<Q", data, self.bundle_off + 24, load + 0x10000)
        self.rejected(bytes(data), "bundle built for")


if __name__ == "__main__":
    unittest.main()
