# SPDX-License-Identifier: MIT
"""Compiling descriptions: determinism, decode round trip, memory layout."""

import hashlib
import os
import subprocess
import sys
import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support
except ImportError:
    import support
from cloison import compiler, description, elf, inspect
from cloison import policy as fmt

MiB = 1 << 20


def _norm(v):
    return v.hex() if isinstance(v, bytes) else v


class CompileTest(support.WorkDirTest):
    PREFIX = "cloison-compile-"

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def build(self, path=support.DEFAULT_TOML, images=True, hyp=True):
        desc = description.load(path, [self.images] if images else None)
        h = elf.Elf(support.read(self.hyp)) if hyp else None
        return desc, compiler.compile_description(desc, h)

    # -- the default system --------------------------------------------------

    def test_default_checks(self):
        status, out, err = support.run("check", support.DEFAULT_TOML)
        self.assertEqual((status, err), (0, ""))
        self.assertEqual(out, "%s: OK: 13 domains, 27 objects, 46 caps (images not "
                         "checked)\n" % support.DEFAULT_TOML)
        status, out, err = support.run("check", support.DEFAULT_TOML,
                                       "--image-path", self.images, "--hyp", self.hyp)
        self.assertEqual((status, err), (0, ""))
        self.assertEqual(out, "%s: OK: 13 domains, 27 objects, 46 caps\n"
                         % support.DEFAULT_TOML)

    def test_default_content(self):
        _, comp = self.build()
        s = inspect.symbolic({"policy": fmt.decode_policy(comp.blob), "bundle": None})
        self.assertEqual([d["name"] for d in s["domains"]],
                         ["dom0", "guest1", "guest2", "echo", "pinger", "storage", "logger",
                          "linux", "linux-guest", "net", "web10", "web20", "webnat"])
        caps = {d["name"]: [(c["slot"], c["name"], c["type"], c["object"], c["rights"])
                            for c in d["caps"]] for d in s["domains"]}
        life = ["start", "stop", "resume", "destroy", "query"]
        self.assertEqual(caps["dom0"], [
            (1, "console", "console", "console", ["write", "input"]),
            (2, "guest1", "domain", "guest1", life),
            (3, "guest2", "domain", "guest2", life),
            (4, "echo", "domain", "echo", ["query"]),
            (5, "pinger", "domain", "pinger", ["query"]),
            # connect and the control channels: run-time guests' disk
            # and port (docs/dynamic-guests.md)
            (6, "storage", "domain", "storage", ["query", "connect"]),
            (7, "storage-ctl", "channel", "storage-ctl", ["read", "write"]),
            (8, "logger", "domain", "logger", ["query"]),
            (9, "linux", "domain", "linux", ["query", "console"]),
            (10, "linux-guest", "domain", "linux-guest", ["query"]),
            (11, "net", "domain", "net", ["query", "connect"]),
            (12, "net-ctl", "channel", "net-ctl", ["read", "write"]),
            (13, "web10", "domain", "web10", ["query"]),
            (14, "web20", "domain", "web20", ["query"]),
            (15, "webnat", "domain", "webnat", ["query"]),
            (16, "pool", "untyped", "guestpool", ["retype_cnode", "retype_domain",
                                                  "retype_channel"]),
            (17, "guest-console", "console", "console", ["grant", "write", "input"]),
            (18, "system", "system", "system", ["audit"])])
        for g in ("guest1", "guest2"):
            self.assertEqual(caps[g], [
                (1, "console", "console", "console", ["write"])])
        self.assertEqual(caps["echo"][1], (2, "clients", "channel", "ping", ["read", "write"]))
        self.assertEqual(caps["pinger"][1], (2, "echo", "channel", "ping", ["read", "write"]))
        ends = [c["end"] for d in s["domains"] for c in d["caps"] if c["type"] == "channel"]
        self.assertEqual(ends, [0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1])
        # net-dom: the NIC, its interrupt and the switch's end of each web
        # guest's channel; each web guest the other end of its own.
        self.assertEqual(caps["net"][1:], [
            (2, "uplink", "device", "net0-mmio", ["read", "write"]),
            (3, "uplink-irq", "irq", "net0-irq", ["receive"]),
            (4, "web10", "channel", "web10-net", ["read", "write"]),
            (5, "web20", "channel", "web20-net", ["read", "write"]),
            (6, "webnat", "channel", "webnat-net", ["read", "write"]),
            (7, "ctl", "channel", "net-ctl", ["read", "write"])])
        for g in ("web10", "web20", "webnat"):
            self.assertEqual(caps[g][1:], [(2, "net", "channel", g + "-net", ["read", "write"])])
        self.assertEqual(caps["storage"][1:], [
            (2, "disk", "device", "disk0-mmio", ["read", "write"]),
            (3, "disk-irq", "irq", "disk0-irq", ["receive"]),
            (4, "logger-disk", "channel", "logger-disk", ["read", "write"]),
            (5, "ctl", "channel", "storage-ctl", ["read", "write"])])
        # The Linux guest's VMM: its console and its guest, nothing else;
        # the guest holds no cap and waits for its VMM to start it.
        self.assertEqual(caps["linux"], [
            (1, "console", "console", "console", ["write", "input"]),
            (2, "guest", "domain", "linux-guest", ["start", "stop", "vmm"])])
        self.assertEqual(caps["linux-guest"], [])
        self.assertEqual(s["flags"], [])
        dom0 = s["domains"][0]
        self.assertEqual((dom0["budget_us"], dom0["period_us"], dom0["priority"]),
                         (2000, 10000, 200))

    # -- determinism ------------------------------------------------------------

    def test_compile_twice_same_bytes(self):
        out1 = os.path.join(self.tmp, "p1.bin")
        out2 = os.path.join(self.tmp, "p2.bin")
        args = ["--image-path", self.images, "--hyp", self.hyp]
        self.assertEqual(support.run("compile", support.DEFAULT_TOML, "-o", out1, *args)[0], 0)
        # A second run in a fresh interpreter with another hash seed.
        env = dict(os.environ, PYTHONPATH=support.TOOLSTACK, PYTHONHASHSEED="12345")
        subprocess.run([sys.executable, "-m", "cloison", "compile", support.DEFAULT_TOML,
                        "-o", out2] + args, env=env, check=True, capture_output=True)
        with open(out1, "rb") as a, open(out2, "rb") as b:
            one, two = a.read(), b.read()
        self.assertEqual(one, two)
        self.assertEqual(one, self.build()[1].blob)

    # -- round trip ---------------------------------------------------------------

    def test_round_trip(self):
        for images, hyp in ((True, True), (False, True), (True, False), (False, False)):
            _, comp = self.build(images=images, hyp=hyp)
            dec = fmt.decode_policy(comp.blob)
            for key, val in dec.items():
                if key in fmt.TABLES:
                    self.assertEqual(len(val), len(comp.policy[key]))
                    for got, want in zip(val, comp.policy[key]):
                        for f, v in got.items():
                            self.assertEqual(v, _norm(want.get(f, 0)), (key, f))
                else:
                    self.assertEqual(val, comp.policy[key], key)
            self.assertEqual(fmt.encode_policy(comp.policy), comp.blob)
            flags = (0 if images else fmt.POLICY_F_NO_IMAGES) | \
                (0 if hyp else fmt.POLICY_F_NO_HYP)
            self.assertEqual(dec["flags"], flags)

    def test_decode_rejects_damage(self):
        _, comp = self.build()
        blob = bytearray(comp.blob)
        with self.assertRaises(fmt.FormatError):
            fmt.decode_policy(bytes(blob[:-1]))
        blob[8] = 9     # version
        with self.assertRaisesRegex(fmt.FormatError, "version 9"):
            fmt.decode_policy(bytes(blob))

    # -- layout ------------------------------------------------------------------------

    def test_layout(self):
        desc, comp = self.build()
        pol = comp.policy
        hyp = elf.Elf(support.read(self.hyp))
        self.assertEqual(pol["hyp_end"], hyp.load_end())
        self.assertEqual(pol["bundle_base"], (hyp.load_end() + 0xffff) & ~0xffff)
        self.assertEqual(pol["bundle_size"], len(comp.bundle()))
        bundle_end = pol["bundle_base"] + pol["bundle_size"]
        ranges = []
        for d in pol["domains"]:
            self.assertEqual(d["mem_phys"] % (2 * MiB), 0)
            self.assertEqual(d["mem_ipa"], 0x40000000)
            self.assertGreaterEqual(d["mem_phys"], bundle_end)
            ranges.append((d["mem_phys"], d["mem_phys"] + d["mem_size"]))
            for s in pol["segments"][d["seg_first"]:d["seg_first"] + d["seg_count"]]:
                self.assertGreaterEqual(s["ipa"], d["mem_ipa"])
                self.assertLessEqual(s["ipa"] + s["mem_size"], d["mem_ipa"] + d["mem_size"])
                self.assertLessEqual(s["offset"] + s["file_size"], pol["bundle_size"])
        for o in pol["objects"]:
            if o["type"] in (1, 8):     # pools and channels, checked by name below too
                ranges.append((o["phys"], o["phys"] + o["size"]))
        self.assertEqual([o["name"] for o in pol["objects"] if "phys" in o and o["size"]],
                         ["disk0-mmio", "net0-mmio", "ping", "logger-disk", "storage-ctl",
                          "web10-net", "web20-net", "webnat-net", "net-ctl", "guestpool"])
        ranges.sort()
        for (a, b), (c, _) in zip(ranges, ranges[1:]):
            self.assertLessEqual(b, c)
        self.assertGreaterEqual(ranges[0][0], bundle_end)
        self.assertEqual(pol["pool_base"], max(b for _, b in ranges))
        self.assertEqual(pol["pool_base"] + pol["pool_size"], 0x40000000 + 512 * MiB)
        # Identical images share their bytes; the hash covers them.
        g1, g2 = pol["domains"][1], pol["domains"][2]
        seg = lambda d: pol["segments"][d["seg_first"]:d["seg_first"] + d["seg_count"]]
        self.assertEqual([s["offset"] for s in seg(g1)], [s["offset"] for s in seg(g2)])
        img = elf.Elf(support.read(os.path.join(self.images, "guest-hello.elf")))
        h = hashlib.sha256(b"".join(img.segment_bytes(s) for s in img.loads())).digest()
        self.assertEqual(g1["image_sha256"], h)
        self.assertEqual(g1["entry"], img.entry)

    def test_explicit_phys(self):
        text = ('[[domain]]\nname = "a"\nimage = "guest-hello"\nmemory = "4M"\n'
                '[[domain]]\nname = "b"\nimage = "guest-hello"\nmemory = "2M"\n'
                'phys = 0x40400000\n'
                '[[domain]]\nname = "c"\nimage = "guest-hello"\nmemory = "2M"\n')
        _, comp = self.build(self.write("explicit.toml", text))
        phys = [d["mem_phys"] for d in comp.policy["domains"]]
        # b is pinned right after the bundle; a and c are placed first fit,
        # in declaration order, around it.
        self.assertEqual(phys, [0x40600000, 0x40400000, 0x40a00000])

    def test_defaults(self):
        text = '[[domain]]\nname = "a"\nimage = "guest-hello"\nmemory = 0x200000\n'
        _, comp = self.build(self.write("defaults.toml", text))
        d = comp.policy["domains"][0]
        self.assertEqual((d["budget_us"], d["period_us"], d["priority"], d["vcpus"],
                          d["cspace_slots"], d["flags"]),
                         (10000, 10000, 100, 1, 64, fmt.DOMAIN_F_AUTOSTART))
        self.assertEqual(comp.policy["system_name"], "cloison")

    def test_devices_irqs_notifications(self):
        text = '''
[system]
name = "drivers"
cspace_slots = 8
[[device]]
name = "blk"
base = 0x0a000000
size = "4K"
[[irq]]
name = "blk-irq"
intid = 79
trigger = "edge"
[[notification]]
name = "kick"
[[domain]]
name = "storage"
image = "guest-hello"
memory = "2M"
autostart = false
  [[domain.cap]]
  name = "disk"
  object = "blk"
  rights = ["read", "write"]
  [[domain.cap]]
  name = "disk-irq"
  object = "blk-irq"
  rights = ["receive"]
  [[domain.cap]]
  name = "kick"
  object = "kick"
  rights = ["wait"]
[[domain]]
name = "client"
image = "guest-hello"
memory = "2M"
  [[domain.cap]]
  name = "kick"
  object = "kick"
  rights = ["signal"]
  badge = 0x40
'''
        _, comp = self.build(self.write("drivers.toml", text))
        s = inspect.symbolic({"policy": fmt.decode_policy(comp.blob), "bundle": None})
        objs = {o["name"]: o for o in s["objects"]}
        self.assertEqual(objs["blk"], {"name": "blk", "type": "device",
                                       "phys": 0x0a000000, "size": 0x1000})
        self.assertEqual(objs["blk-irq"], {"name": "blk-irq", "type": "irq",
                                           "intid": 79, "trigger": "edge"})
        storage, client = s["domains"]
        self.assertFalse(storage["autostart"])
        self.assertEqual(storage["cspace_slots"], 8)
        self.assertEqual(storage["caps"][0]["ipa"], 0x0a000000)   # identity
        self.assertNotIn("ipa", storage["caps"][1])
        self.assertEqual(client["caps"][0]["badge"], 0x40)
        self.assertEqual([o["type"] for o in s["objects"]],
                         ["system", "console", "domain", "domain", "device", "irq",
                          "notification"])


if __name__ == "__main__":
    unittest.main()
