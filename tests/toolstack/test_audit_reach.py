# SPDX-License-Identifier: MIT
"""Reachability: `cloison audit DESC --can A --reach B`, the send links of
rule S1 and the caps obtainable through grant (rule H2), docs/auditing.md."""

import os
import shutil
import tempfile
import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support
except ImportError:
    import support
from cloison import audit

AUDIT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "audit")
STORAGE = os.path.join(AUDIT, "storage.toml")


def query(desc, a, b):
    status, out, err = support.run("audit", desc, "--can", a, "--reach", b)
    assert (status, err) == (0, ""), (status, err)
    return out


class QueryTest(unittest.TestCase):
    def test_guest_reaches_the_disk_only_through_the_driver(self):
        self.assertEqual(query(STORAGE, "guest1", "blk0"), """\
yes: guest1 can reach blk0: guest1 -> notification 'kick1' -> storage -> device 'blk0'
  1. guest1 -> notification 'kick1': holds cap 'kick' (slot 3) [signal]
  2. notification 'kick1' -> storage: storage holds cap 'kick1' (slot 5) [wait] on it
  3. storage -> device 'blk0': holds cap 'blk0' (slot 1) [read,write]
""")

    def test_guest_to_guest_through_the_driver(self):
        self.assertEqual(query(STORAGE, "guest2", "guest1"), """\
yes: guest2 can reach guest1: guest2 -> channel 'ring2' -> storage -> channel 'ring1' -> guest1
  1. guest2 -> channel 'ring2': holds cap 'ring' (slot 2) [read,write]
  2. channel 'ring2' -> storage: storage holds cap 'ring2' (slot 4) [read,write] on it
  3. storage -> channel 'ring1': holds cap 'ring1' (slot 3) [read,write]
  4. channel 'ring1' -> guest1: guest1 holds cap 'ring' (slot 2) [read,write] on it
""")

    def test_control_domain_acts_on_its_guest(self):
        self.assertEqual(query(STORAGE, "dom0", "guest2"), """\
yes: dom0 can reach guest2: dom0 -> domain 'guest2'
  1. dom0 -> domain 'guest2': holds cap 'guest2' (slot 3) [start,stop,resume,destroy,query]
""")

    def test_nobody_reaches_dom0(self):
        for src in ("guest1", "guest2", "storage", "net"):
            self.assertEqual(query(STORAGE, src, "dom0"), """\
no: %s cannot reach dom0
  (no path under the rules of docs/auditing.md, caps obtainable through grant included)
""" % src)

    def test_unheld_pool_and_system(self):
        self.assertTrue(query(STORAGE, "storage", "guest-pool").startswith("no: "))
        self.assertTrue(query(STORAGE, "guest1", "system").startswith("no: "))
        self.assertTrue(query(STORAGE, "dom0", "guest-pool").startswith("yes: "))

    def test_wait_only_cap_is_reached_but_does_not_send(self):
        # storage can wait on kick1 (reaches it) but cannot signal guest1 through it.
        self.assertEqual(query(STORAGE, "storage", "kick1"), """\
yes: storage can reach kick1: storage -> notification 'kick1'
  1. storage -> notification 'kick1': holds cap 'kick1' (slot 5) [wait]
""")
        a = audit.run(STORAGE)
        links = [(ln.src.name, ln.dst.name, ln.obj.name) for ln in a.reach.links()]
        self.assertIn(("guest1", "storage", "kick1"), links)
        self.assertNotIn(("storage", "guest1", "kick1"), links)

    def test_self(self):
        self.assertEqual(query(STORAGE, "net", "net"), "yes: net is net\n")

    def test_longest_path_is_the_shortest_one(self):
        out = query(STORAGE, "net", "blk0")
        self.assertEqual(out.splitlines()[0], "yes: net can reach blk0: net -> channel "
                         "'uplink1' -> guest1 -> notification 'kick1' -> storage -> "
                         "device 'blk0'")


class GrantTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cloison-reach-")
        self.addCleanup(shutil.rmtree, self.tmp)

    def run_text(self, text):
        p = os.path.join(self.tmp, "sys.toml")
        with open(p, "w") as f:
            f.write(text)
        return p, audit.run(p)

    def obtainable(self, a):
        return [(h.dom.name, h.obj.name, h.via.giver_h.dom.name, h.via.link.obj.name)
                for h in a.reach.obtainable()]

    def test_grant_passes_over_a_channel_and_on_again(self):
        a = audit.run(os.path.join(AUDIT, "guest-grant.toml"))
        self.assertEqual(self.obtainable(a), [
            ("guest1", "ring1", "storage", "ring1"),
            ("guest2", "ring1", "storage", "ring2"),
        ])
        self.assertEqual(query(os.path.join(AUDIT, "guest-grant.toml"), "guest2", "guest1"), """\
yes: guest2 can reach guest1: guest2 -> channel 'ring1' -> guest1
  1. guest2 -> channel 'ring1': could obtain a cap [grant,read,write] from storage (cap 'ring1' (slot 1), with grant) over channel 'ring2'
  2. channel 'ring1' -> guest1: guest1 holds cap 'ring' (slot 1) [grant,read,write] (boot rights [read,write]; more from storage (cap 'ring1' (slot 1), with grant) over channel 'ring1') on it
""")

    SYSTEM = """
[[device]]
name = "nic"
base = 0x0a000000
size = "4K"
[[notification]]
name = "n"
[[domain]]
name = "builder"
image = "x"
memory = "2M"
role = "driver"
  [[domain.cap]]
  name = "nic"
  object = "nic"
  rights = ["read", "grant"]
  [[domain.cap]]
  name = "child"
  object = "child"
  rights = [%s]
  [[domain.cap]]
  name = "n"
  object = "n"
  rights = ["wait"]
[[domain]]
name = "child"
image = "x"
memory = "2M"
  [[domain.cap]]
  name = "n"
  object = "n"
  rights = ["signal"]
  badge = 1
"""

    def test_build_right_is_a_send_link(self):
        p, a = self.run_text(self.SYSTEM % '"build"')
        self.assertEqual(self.obtainable(a), [("child", "nic", "builder", "child")])
        c = a.check("device-exclusive")
        self.assertEqual([f.message for f in c.findings], [
            "device 'nic' [0xa000000, 0xa001000) is reachable by 2 domains: builder "
            "(holds cap 'nic' (slot 1) [grant,read]), child (could obtain a cap "
            "[grant,read] from builder (cap 'nic' (slot 1), with grant) over its cap "
            "'child' (slot 2) on domain 'child' [build])"])
        # builder declares driver: its build right on child is reported, it is
        # not made a control domain.
        self.assertEqual(a.model.dom_by_name["builder"].role, "driver")
        self.assertEqual([f.domains for f in a.check("control-domain").findings],
                         [["builder", "child"]])

    def test_two_signallers_do_not_talk(self):
        p, a = self.run_text("""
[[notification]]
name = "n"
[[domain]]
name = "a"
image = "x"
memory = "2M"
  [[domain.cap]]
  name = "n"
  object = "n"
  rights = ["signal"]
  badge = 1
[[domain]]
name = "b"
image = "x"
memory = "2M"
  [[domain.cap]]
  name = "n"
  object = "n"
  rights = ["signal", "grant"]
  badge = 2
""")
        self.assertEqual(a.reach.links(), [])
        self.assertEqual(a.check("guest-paths").status, "held")
        self.assertTrue(query(p, "a", "b").startswith("no: "))

    def test_no_grant_path_without_a_link(self):
        # query on child is no send link; the notification goes child -> builder only.
        p, a = self.run_text(self.SYSTEM % '"query"')
        self.assertEqual(self.obtainable(a), [])
        self.assertEqual(a.check("device-exclusive").status, "held")
        self.assertTrue(query(p, "child", "nic").startswith(
            "yes: child can reach nic: child -> notification 'n' -> builder -> device 'nic'"))
        self.assertTrue(query(p, "builder", "child").startswith(
            "yes: builder can reach child: builder -> domain 'child'\n"
            "  1. builder -> domain 'child': holds cap 'child' (slot 2) [query]"))


if __name__ == "__main__":
    unittest.main()
