# SPDX-License-Identifier: MIT
"""Guest configuration files (toolstack/cloison/guestconfig.py): one fixture
per kind of mistake in fixtures/guest/, each header giving the exact
`FILE:LINE: MESSAGE` lines `toolstack/bin/cloison guest` must print (exit 1, nothing
on stdout); the good config is accepted with every field read."""

import glob
import os
import unittest

try:
    from . import support
except ImportError:
    import support
from cloison import guestconfig

try:
    from .test_fixtures import read_fixture
except ImportError:
    from test_fixtures import read_fixture

GUEST = os.path.join(support.FIXTURES, "guest")
GOOD = os.path.join(GUEST, "good.toml")


def bad_fixtures():
    return sorted(p for p in glob.glob(os.path.join(GUEST, "*.toml")) if p != GOOD)


class GuestConfigTest(unittest.TestCase):
    def check_bad(self, path):
        kind, expect, _ = read_fixture(path)
        self.assertIn(kind, guestconfig.GUEST_KINDS)
        self.assertTrue(expect, "no '# expect:' line")
        status, out, err = support.run("guest", path)
        self.assertEqual((status, out), (1, ""))
        self.assertEqual(err, "".join("%s:%d: %s\n" % (path, line, msg)
                                      for line, msg in expect))
        # Every message names the field it is about.
        for _, msg in expect:
            if kind != "syntax":
                self.assertRegex(msg, r"'?(name|image|memory|memroy|budget_us|"
                                 r"priority|port|vlan)'?")

    def test_every_kind_has_a_fixture(self):
        kinds = {read_fixture(p)[0] for p in bad_fixtures()}
        self.assertEqual(sorted(set(guestconfig.GUEST_KINDS) - kinds), [])
        self.assertEqual(sorted(kinds - set(guestconfig.GUEST_KINDS)), [])

    def test_good_config_is_read_whole(self):
        cfg = guestconfig.load(GOOD)
        self.assertEqual((cfg.name, cfg.image, cfg.memory), ("web1", "hello.elf", 4 << 20))
        self.assertEqual((cfg.budget_us, cfg.period_us, cfg.priority), (2000, 10000, 5))
        self.assertEqual((cfg.disk, cfg.net_port, cfg.net_vlan), ("web1-root", 3, 10))
        status, out, err = support.run("guest", GOOD)
        self.assertEqual((status, err), (0, ""))
        self.assertIn("OK: guest web1", out)

    def test_defaults_when_optional_fields_are_absent(self):
        cfg, diags = guestconfig.parse("g.toml", 'name = "g"\nimage = "a.elf"\n'
                                       'memory = "2M"\n')
        self.assertEqual(diags, [])
        self.assertEqual((cfg.disk, cfg.net_port, cfg.net_vlan), (None, None, None))
        self.assertEqual(cfg.budget_us, cfg.period_us)

    def test_every_mistake_at_once(self):
        # One run reports every problem, each on its own line.
        _, diags = guestconfig.parse("g.toml", 'name = "1"\nimage = "/x"\n'
                                     'memory = 0\npriority = 999\n[net]\nport = 64\n')
        self.assertEqual(sorted(d.line for d in diags), [1, 2, 3, 4, 6])

    def test_net_must_be_a_table(self):
        _, diags = guestconfig.parse("g.toml", 'name = "g"\nimage = "a"\n'
                                     'memory = "2M"\nnet = 3\n')
        self.assertEqual([(d.line, d.kind) for d in diags], [(4, "type")])

    def test_not_utf8(self):
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "cloison-guest-bad.toml")
        with open(path, "wb") as f:
            f.write(b'name = "g"\nimage = "\xff"\n')
        try:
            status, out, err = support.run("guest", path)
        finally:
            os.unlink(path)
        self.assertEqual((status, err), (1, path + ":2: TOML syntax error: the file "
                                         "is not valid UTF-8\n"))


def _add_tests():
    for path in bad_fixtures():
        name = "test_" + os.path.basename(path)[:-5].replace("-", "_")
        setattr(GuestConfigTest, name, lambda self, p=path: self.check_bad(p))


_add_tests()

if __name__ == "__main__":
    unittest.main()
