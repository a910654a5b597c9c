# SPDX-License-Identifier: MIT
"""The connect policy in the audit (docs/auditing.md, dynamic-bound): a
control domain holding `connect` on a driver domain with a connect inbox can
give the guests it creates a channel to it (domain_connect). The static check
names the driver and its inbox slots; the live check accepts a channel end 0
made at run time in an inbox slot, and nothing else there.
(builder-connects-guest.toml in tests/toolstack/audit: the same right on a
domain that is no driver is a violation.)"""

import os
import shutil
import tempfile
import unittest

from cloison import audit
from cloison.audit import checks as audit_checks

DESC = """
[[untyped]]
name = "guestpool"
size = "16M"

[[domain]]
name = "dom0"
image = "dom0"
memory = "16M"
  [[domain.cap]]
  name = "pool"
  object = "guestpool"
  rights = ["retype_domain", "retype_cnode", "retype_channel"]
  [[domain.cap]]
  name = "storage"
  object = "storage"
  rights = ["query", "connect"]
  [[domain.cap]]
  name = "system"
  object = "system"
  rights = ["audit"]

[[domain]]
name = "storage"
image = "storage-dom"
role = "driver"
memory = "4M"
cspace_slots = 16
connect_inbox = 4
  [[domain.cap]]
  name = "console"
  object = "console"
  rights = ["write"]
"""

CTL = """[[channel]]
name = "ctl"

"""
# an end of "ctl", for dom0 and for storage
CTL_CAP = """  [[domain.cap]]
  name = "ctl"
  object = "ctl"
  rights = ["read", "write"]
"""

DUMP = """cloison: ready
CLOISON-CAPDUMP BEGIN policy={sha} domains=3
CLOISON-CAPDUMP DOMAIN name=dom0 state=running slots=64
CLOISON-CAPDUMP CAP domain=dom0 slot=1 type=untyped object=guestpool rights=0x34 badge=0x0
CLOISON-CAPDUMP CAP domain=dom0 slot=2 type=domain object=storage rights=0xc0 badge=0x0
CLOISON-CAPDUMP CAP domain=dom0 slot=3 type=system object=system rights=0x4 badge=0x0
CLOISON-CAPDUMP CAP domain=dom0 slot=4 type=domain object=#40 rights=0x1ff badge=0x0
CLOISON-CAPDUMP DOMAIN name=storage state=running slots=16
CLOISON-CAPDUMP CAP domain=storage slot=1 type=console object=console rights=0x2 badge=0x0
CLOISON-CAPDUMP CAP domain=storage slot={slot} type=channel object=#41 rights=0x6 badge=0x{end}
CLOISON-CAPDUMP DOMAIN name=web1 state=running slots=8
CLOISON-CAPDUMP CAP domain=web1 slot=2 type=channel object=#41 rights=0x6 badge=0x1
CLOISON-CAPDUMP END caps=7
"""


class ConnectAuditTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cloison-connect-")
        cls.desc = os.path.join(cls.tmp, "connect.toml")
        with open(cls.desc, "w", encoding="utf-8") as f:
            f.write(DESC)
        cls.sha = audit.load_model(cls.desc).sha256

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_the_driver_and_its_inbox_are_named(self):
        a = audit.run(self.desc)
        c = a.check("dynamic-bound")
        self.assertEqual(c.status, audit_checks.HELD)
        self.assertIn("domain 'dom0' may connect the guests it creates to driver domain "
                      "'storage': each a channel from its pools, end 1 in the guest, end 0 "
                      "in one of the 4 slots of 'storage''s connect inbox (slots 12..15); "
                      "'dom0' holds neither end", c.notes)

    def test_a_control_channel_to_the_driver_is_allowed_and_noted(self):
        desc = os.path.join(self.tmp, "ctl.toml")
        with_ctl = (DESC.replace('[[domain]]\nname = "dom0"', CTL + '[[domain]]\nname = "dom0"')
                    .replace('rights = ["audit"]\n', 'rights = ["audit"]\n' + CTL_CAP)
                    + CTL_CAP)
        with open(desc, "w", encoding="utf-8") as f:
            f.write(with_ctl)
        c = audit.run(desc).check("control-domain")
        self.assertEqual(c.status, audit_checks.HELD)
        self.assertTrue(any("holds an end of channel 'ctl', a control channel to storage"
                            in n for n in c.notes), c.notes)
        # the same channel to a domain it cannot connect guests to: refused
        with open(desc, "w", encoding="utf-8") as f:
            f.write(with_ctl.replace('rights = ["query", "connect"]', 'rights = ["query"]'))
        c = audit.run(desc).check("control-domain")
        self.assertEqual(c.status, audit_checks.VIOLATED)

    def live(self, slot, end):
        log = os.path.join(self.tmp, "dump-%d-%d.log" % (slot, end))
        with open(log, "w", encoding="utf-8") as f:
            f.write(DUMP.format(sha=self.sha, slot=slot, end=end))
        return audit.run(self.desc, live=log).check("live-subset")

    def test_a_connected_end_in_the_inbox_is_accepted(self):
        c = self.live(13, 0)
        self.assertEqual([f.message for f in c.findings], [])
        self.assertEqual(c.status, audit_checks.HELD)

    def test_a_run_time_channel_outside_the_inbox_is_not(self):
        c = self.live(5, 0)
        self.assertEqual([f.message for f in c.findings], [
            "line 10: domain 'storage' slot 5 holds channel '#41' rights [read,write] "
            "badge 0x0: the policy puts no cap in this slot (#41 is an object made at run "
            "time)"])

    def test_end_1_in_the_inbox_is_not(self):
        c = self.live(13, 1)
        self.assertEqual(c.status, audit_checks.VIOLATED)


if __name__ == "__main__":
    unittest.main()
