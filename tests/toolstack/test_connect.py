# SPDX-License-Identifier: MIT
"""Guests made at run time with a virtual disk, on QEMU, driven from the host
as test_ctl.py does: `toolstack/run --ctl SOCKET` boots
tests/system/systems/connect.toml (dom0 with `connect` on storage-dom, whose
connect inbox has 2 slots; three run-time disks) and cloison.ctl sends dom0's
shell commands (docs/dynamic-guests.md, "Serving a guest made at run time").

- a guest created with `disk` (the disklog image) writes its log entry and
  reads it back; storage-dom's client list (`disks`) shows the disk while it
  lives and not after `destroy`; a second create gets the same disk again and
  reads the first one's entry back from it;
- refusals, each naming the reason and changing nothing (census, client
  list): an unknown disk, a disk attached to another live guest, the connect
  inbox full;
- dom0 connecting itself or signalling a client channel: it holds no end of
  any disk channel (its `audit` dump checked with `cloison audit --live`,
  whose control-domain and live-subset checks hold), and the core refuses
  domain_connect to a started guest (unit tests: domain-build).
These boot QEMU: they need the build tests/run made (CLOISON_BUILD)."""

import os
import re
import unittest

import support

DESC = os.path.join(support.ROOT, "tests/system/systems/connect.toml")
DISK = re.compile(r"disk (\S+): inbox slot (\d+), (\d+) requests served")


class ConnectedGuests(support.CtlSystem):
    IMAGE = "tests/system/test-connect.elf"

    def disks(self):
        lines = self.run_ok("disks")
        self.assertRegex(lines[-1], r"^disks: \d+ attached$")
        out = {}
        for line in lines[:-1]:
            m = DISK.fullmatch(line)
            self.assertTrue(m, line)
            out[m.group(1)] = int(m.group(2))
        self.assertEqual(lines[-1], "disks: %d attached" % len(out))
        return out

    def test_1_a_guest_writes_and_reads_its_disk_which_goes_and_comes_back_with_it(self):
        base, disks0 = self.census(), self.disks()
        self.assertEqual(disks0, {})
        mark = len(self.log_text())
        self.assertEqual(self.run_ok("create web1"), ["create web1: running"])
        # the disklog image: a blank disk, an entry written and flushed
        self.wait_log("[web1] disklog: wrote entry 1 (\"boot 1 of web1\"), flushed", mark)
        self.assertIn("[web1] disklog: no log on this disk (8192 sectors): starting one",
                      self.log_text())
        self.assertEqual(list(self.disks()), ["web1-root"])
        self.run_ok("destroy web1")
        self.assertIn("client web1-root detached", self.log_text())
        self.assertEqual(self.disks(), {})
        self.assertEqual(self.census(), base)
        # again: the same disk, the first guest's entry read back from it
        mark = len(self.log_text())
        self.assertEqual(self.run_ok("create web1"), ["create web1: running"])
        self.wait_log("[web1] disklog: wrote entry 2 (\"boot 2 of web1\"), flushed", mark)
        self.assertIn("[web1] disklog: [1] boot 1 of web1", self.log_text())
        self.run_ok("destroy web1")
        self.assertEqual(self.disks(), {})
        self.assertEqual(self.census(), base)

    def test_2_refusals_name_the_reason_and_change_nothing(self):
        base = self.census()
        out = self.run_ok("create lost", ok=False)
        self.assertEqual(out[0], "create lost: disk 'nosuch': storage-dom refused: "
                         "no run-time disk of that name")
        self.assertEqual((self.census(), self.disks()), (base, {}))
        self.assertEqual(self.run_ok("create web1"), ["create web1: running"])
        attached = self.disks()
        with_web1 = self.census()
        out = self.run_ok("create web1b", ok=False)
        self.assertEqual(out[0], "create web1b: disk 'web1-root': storage-dom refused: "
                         "the disk is attached to another guest")
        self.assertEqual((self.census(), self.disks()), (with_web1, attached))
        self.assertEqual(self.run_ok("create web2"), ["create web2: running"])
        with_two, two = self.census(), self.disks()
        self.assertEqual(sorted(two), ["web1-root", "web2-root"])
        self.assertEqual(sorted(two.values()), [14, 15])  # the inbox: slots 14, 15
        out = self.run_ok("create web3", ok=False)
        self.assertEqual(out[0], "create web3: disk 'web3-root': storage-dom refused: "
                         "storage-dom's connect inbox is full")
        self.assertEqual((self.census(), self.disks()), (with_two, two))
        self.run_ok("destroy web1")
        self.assertEqual(self.run_ok("create web3"), ["create web3: running"])
        self.assertEqual(sorted(self.disks()), ["web2-root", "web3-root"])
        self.run_ok("destroy web2")
        self.run_ok("destroy web3")
        self.assertEqual((self.census(), self.disks()), (base, {}))

    def test_3_dom0_holds_no_end_of_a_guests_disk_channel(self):
        self.assertEqual(self.run_ok("create web1"), ["create web1: running"])
        out = self.live_audit(DESC, ("domains/dom0", "domains/guests", "storage-dom"))
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("[held] control-domain", out.stdout)
        self.assertIn("[held] live-subset", out.stdout)
        ends = self.channel_ends()
        # the guest's end 1 and storage-dom's end 0 in its inbox; none dom0's
        self.assertEqual(sorted((d, e) for d, _, _, e in ends), [("storage", "0"),
                                                               ("web1", "1")])
        self.assertEqual(len({o for _, _, o, _ in ends}), 1)
        self.run_ok("destroy web1")
        out = self.live_audit(DESC, ("domains/dom0", "domains/guests", "storage-dom"))
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)


if __name__ == "__main__":
    unittest.main()
