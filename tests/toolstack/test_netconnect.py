# SPDX-License-Identifier: MIT
"""Guests made at run time with a switch port, on QEMU, driven from the host
as test_connect.py does: `toolstack/run --ctl SOCKET` boots
tests/system/systems/netconnect.toml (dom0 with `connect` on net-dom, whose
connect inbox has 2 slots; three run-time ports; storage-dom with one
run-time disk) with a virtio-net NIC on QEMU's user network, one host port
forwarded to run-time port 3's address (docs/dynamic-guests.md, "Serving a
guest made at run time"; docs/net-dom.md, "Run-time ports").

- a guest created with [net] (the lwIP web guest) pings SLIRP's gateway
  through net-dom and answers HTTP from the host; net-dom's port list
  (`ports`) shows the port attached while it lives and free after `destroy`,
  and a request to its address then reaches nobody (the port's counters
  stay at 0);
- refusals, each naming the reason and changing nothing (census, port and
  disk lists): a port net-dom does not have, a VLAN the description does not
  allow on the port, a port in use, the connect inbox full, and a guest
  with a disk and a refused port (the disk reserved first is given back);
- 20 creations and destructions of a networked guest leave the census and
  net-dom's port list as they were;
- net-dom stopped: dom0's `ports` and `create` give up after 5 s naming it,
  nothing changes; resumed, the port the abandoned ATTACH reserved is
  attached to the next guest that asks;
- dom0 holds no end of a guest's port channel (its `audit` dump checked with
  `cloison audit --live`, which holds).
These boot QEMU: they need the build tests/run made (CLOISON_BUILD)."""

import os
import re
import socket
import unittest
import urllib.error
import urllib.request

import support

DESC = os.path.join(support.ROOT, "tests/system/systems/netconnect.toml")
IMAGES = ("domains/dom0", "domains/guests/web", "net-dom", "storage-dom")
PORT = re.compile(r"port (\d+): (free|reserved|attached|closing), vlan (\d+), mac ([0-9a-f:]+)"
                  r"(?:, inbox slot (\d+))?, (\d+) frames in, (\d+) out")
FREE = {3: ("free", 10, "52:54:00:00:0b:03", None, 0, 0),
        4: ("free", 20, "52:54:00:00:0b:04", None, 0, 0),
        5: ("free", 1, "52:54:00:00:0b:05", None, 0, 0)}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class NetConnectedGuests(support.CtlSystem):
    IMAGE = "tests/system/test-netconnect.elf"
    WEB = free_port()

    @classmethod
    def qemu_args(cls):
        return ["-netdev", "user,id=net0,net=10.0.2.0/24,hostfwd=tcp:127.0.0.1:%d-10.0.2.20:80"
                % cls.WEB, "-device", "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.0"]

    def ports(self):
        """net-dom's run-time ports: {number: (state, vlan, mac, inbox slot,
        frames in, frames out)}."""
        lines = self.run_ok("ports")
        out = {}
        for line in lines[:-1]:
            m = PORT.fullmatch(line)
            self.assertTrue(m, line)
            out[int(m.group(1))] = (m.group(2), int(m.group(3)), m.group(4),
                                    int(m.group(5)) if m.group(5) else None,
                                    int(m.group(6)), int(m.group(7)))
        used = sum(1 for p in out.values() if p[0] != "free")
        self.assertEqual(lines[-1], "ports: %d run-time, %d in use" % (len(out), used))
        return out

    def states(self):
        """ports() without the counters (a live guest's move)."""
        return {k: v[:4] for k, v in self.ports().items()}

    def disks(self):
        return self.run_ok("disks")

    def create(self, name):
        """create NAME, destroyed at the end of the test if still there."""
        self.addCleanup(self.con.run, "destroy " + name, 60)
        self.assertEqual(self.run_ok("create " + name), ["create %s: running" % name])

    def get(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/" % self.WEB, timeout=10) as r:
            return r.read()

    def test_1_a_guest_gets_a_working_port_and_loses_it_on_destroy(self):
        base = self.census()
        self.assertEqual(self.ports(), FREE)
        mark = len(self.log_text())
        self.create("net3")
        self.wait_log("[net] port 3: client attached (inbox slot 14)", mark)
        self.wait_log("[net3] web: 10.0.2.20 on port net (mac 52:54:00:00:0b:03), serving "
                      "http on port 80", mark)
        # frames both ways through net-dom: SLIRP's gateway answers its
        # pings, and the host's request (SLIRP's forward) gets the page
        self.wait_log("[net3] web: ping 10.0.2.2: 3/3 replies", mark)
        self.assertIn(b"<h1>Hello from a Cloison guest</h1>", self.get())
        p = self.ports()
        self.assertEqual(p[3][:4], ("attached", 10, "52:54:00:00:0b:03", 14))
        self.assertGreater(p[3][4], 0)
        self.assertGreater(p[3][5], 0)
        self.assertEqual({k: v for k, v in p.items() if k != 3}, {4: FREE[4], 5: FREE[5]})
        mark = len(self.log_text())
        self.run_ok("destroy net3")
        self.assertIn("[net] port 3: client detached (inbox slot 14)", self.log_text()[mark:])
        self.assertEqual(self.ports(), FREE)
        self.assertEqual(self.census(), base)
        # its address and MAC now reach nobody: SLIRP forwards the request
        # (to the MAC it learned), net-dom drops it at the free port
        with self.assertRaises((urllib.error.URLError, OSError)):
            self.get()
        self.assertEqual(self.ports(), FREE)

    def test_2_refusals_name_the_reason_and_change_nothing(self):
        base, disks = self.census(), self.disks()
        self.assertEqual(disks, ["disks: 0 attached"])
        for config, reason in (
                ("net9", "net port 9 vlan 10: net-dom refused: no run-time port of that "
                         "number"),
                ("net3v", "net port 3 vlan 20: net-dom refused: the port does not allow "
                          "that VLAN")):
            out = self.run_ok("create " + config, ok=False)
            self.assertEqual(out, ["create %s: %s" % (config, reason)])
            self.assertEqual((self.census(), self.ports(), self.disks()), (base, FREE, disks))
        self.create("net3")
        with_one, one = self.census(), self.states()
        out = self.run_ok("create net3b", ok=False)
        self.assertEqual(out, ["create net3b: net port 3 vlan 10: net-dom refused: the port "
                               "serves another guest"])
        self.assertEqual((self.census(), self.states()), (with_one, one))
        self.create("net4")
        with_two, two = self.census(), self.states()
        self.assertEqual(sorted(v[3] for v in two.values() if v[3]), [14, 15])
        out = self.run_ok("create net5", ok=False)
        self.assertEqual(out, ["create net5: net port 5: net-dom refused: net-dom's connect "
                               "inbox is full"])
        self.assertEqual((self.census(), self.states()), (with_two, two))
        self.run_ok("destroy net4")
        # a disk and a refused port: storage-dom reserved the disk first and
        # is told to let it go; nothing of the guest is made
        mark, before = len(self.log_text()), self.census()
        out = self.run_ok("create netdisk", ok=False)
        self.assertEqual(out, ["create netdisk: net port 4 vlan 10: net-dom refused: the "
                               "port does not allow that VLAN"])
        self.assertEqual((self.census(), self.disks()), (before, disks))
        self.assertNotIn("netdisk", self.log_text()[mark:].replace("create netdisk", ""))
        # once one goes, the inbox takes the NAT port
        self.create("net5")
        self.assertEqual(self.ports()[5][0], "attached")
        self.run_ok("destroy net5")
        self.run_ok("destroy net3")
        self.assertEqual((self.census(), self.ports(), self.disks()), (base, FREE, disks))

    def test_3_twenty_networked_guests_in_a_row_leave_nothing_behind(self):
        base = self.census()
        for i in range(20):
            self.assertEqual(self.run_ok("create net3"), ["create net3: running"], i)
            self.assertEqual(self.ports()[3][0], "attached", i)
            self.run_ok("destroy net3")
        self.assertEqual((self.census(), self.ports()), (base, FREE))
        self.assertEqual(self.log_text().count("[net] port 3: client detached"),
                         self.log_text().count("[net] port 3: client attached"))

    def test_4_a_driver_that_does_not_answer_is_named_not_waited_for(self):
        base = self.census()
        self.run_ok("stop net")
        try:
            self.assertEqual(self.run_ok("ports", ok=False),
                             ["ports: net-dom did not answer within 5 s"])
            self.assertEqual(self.run_ok("create net3", ok=False),
                             ["create net3: net port 3 vlan 10: net-dom did not answer "
                              "within 5 s"])
            self.assertEqual(self.census(), base)
        finally:
            self.run_ok("resume net")
        # the ATTACH dom0 gave up on left port 3 reserved; the next one for
        # it takes it back
        self.assertEqual(self.ports()[3][0], "reserved")
        self.create("net3")
        self.run_ok("destroy net3")
        self.assertEqual((self.census(), self.ports()), (base, FREE))

    def test_5_dom0_holds_no_end_of_a_guests_port_channel(self):
        self.create("net3")
        out = self.live_audit(DESC, IMAGES)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("[held] control-domain", out.stdout)
        self.assertIn("[held] live-subset", out.stdout)
        ends = self.channel_ends()
        guest = {o for d, _, o, _ in ends if d == "net3"}
        self.assertEqual(len(guest), 1)
        # the guest's end 1 and net-dom's end 0 in its inbox; none dom0's
        self.assertEqual(sorted((d, s, e) for d, s, o, e in ends if o in guest),
                         [("net", "14", "0"), ("net3", "3", "1")])
        self.run_ok("destroy net3")
        out = self.live_audit(DESC, IMAGES)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)


if __name__ == "__main__":
    unittest.main()
