# SPDX-License-Identifier: MIT
"""One fixture per validation error (fixtures/invalid/*.toml) and per
warning (fixtures/warning/*.toml).

Each fixture says in its header which check it exercises (`# kind:`), the
exact error (`# expect: LINE: MESSAGE`, one line per message when one
mistake gives several) and optional extra arguments (`# args:`); `{images}`
stands for a directory of generated images. For an invalid fixture the test
runs `check`, `compile -o` and `pack -o` (with a generated hypervisor and
the images) and asserts: exit status 1, stderr is exactly the
`FILE:LINE: MESSAGE` lines (`# pack-expect:` when pack's layout changes the
message), and no output file exists afterwards. For a warning fixture:
`check` and `compile -o` succeed and print exactly the
`FILE:LINE: warning: MESSAGE` lines on stderr."""

import glob
import os
import re
import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support
except ImportError:
    import support
from cloison.errors import KINDS, WARNINGS

INVALID = os.path.join(support.FIXTURES, "invalid")
WARNING = os.path.join(support.FIXTURES, "warning")
HEADER = re.compile(r"^# (kind|expect|pack-expect|args): (.*)$", re.M)


def read_fixture(path):
    """(kind, [(line, message)...], args) of a fixture."""
    with open(path, encoding="utf-8") as f:
        meta = {"expect": []}
        for key, val in HEADER.findall(f.read()):
            if key == "expect":
                line, msg = val.split(": ", 1)
                meta[key].append((int(line), msg))
            else:
                meta[key] = val
    return meta["kind"], meta["expect"], meta.get("args", "")


def read_pack_expect(path):
    """`pack` lays memory out after the real hypervisor and bundle, so a
    fixture whose message names that layout gives pack's own expectation."""
    with open(path, encoding="utf-8") as f:
        for key, val in HEADER.findall(f.read()):
            if key == "pack-expect":
                line, msg = val.split(": ", 1)
                return int(line), msg
    return None


class FixtureTest(support.WorkDirTest):
    PREFIX = "cloison-fixtures-"

    def check_fixture(self, path):
        kind, expect, args = read_fixture(path)
        extra = args.replace("{images}", self.images).split()
        expected = "".join("%s:%d: %s\n" % (path, line,
                                             msg.replace("{images}", self.images))
                           for line, msg in expect)
        self.assertTrue(expect, "no '# expect:' line")
        status, out, err = support.run("check", path, *extra)
        self.assertEqual((status, err), (1, expected))
        self.assertEqual(out, "")
        for cmd in ("compile", "pack"):
            dest = os.path.join(self.tmp, "out-" + cmd)
            argv = [cmd, path, "-o", dest] + extra
            if cmd == "pack":
                hyp = os.path.join(self.tmp, "hyp.elf")
                with open(hyp, "wb") as f:
                    f.write(support.hyp_elf())
                argv += ["--hyp", hyp]
                if "--image-path" not in extra:
                    argv += ["--image-path", self.images]
            want = expected
            if cmd == "pack" and read_pack_expect(path):
                pline, pmsg = read_pack_expect(path)
                want = "%s:%d: %s\n" % (path, pline, pmsg)
            status, out, err = support.run(*argv)
            self.assertEqual((status, err, out), (1, want, ""), cmd)
            self.assertFalse(os.path.exists(dest), "%s left %s behind" % (cmd, dest))
            self.assertEqual([n for n in os.listdir(self.tmp) if n.startswith(".cloison-")], [])

    def check_warning(self, path):
        kind, expect, args = read_fixture(path)
        self.assertIn(kind, WARNINGS)
        self.assertTrue(expect, "no '# expect:' line")
        expected = "".join("%s:%d: warning: %s\n" % (path, line, msg)
                           for line, msg in expect)
        status, out, err = support.run("check", path)
        self.assertEqual((status, err), (0, expected))
        self.assertRegex(out, r"^%s: OK: " % re.escape(path))
        dest = os.path.join(self.tmp, "out-warning")
        status, out, err = support.run("compile", path, "-o", dest)
        self.assertEqual((status, err), (0, expected))
        self.assertTrue(os.path.exists(dest))
        os.unlink(dest)

    def test_every_kind_has_a_fixture(self):
        kinds = {read_fixture(p)[0] for p in glob.glob(os.path.join(INVALID, "*.toml"))}
        self.assertEqual(sorted(set(KINDS) - kinds), [])
        self.assertEqual(sorted(kinds - set(KINDS)), [])

    def test_every_warning_has_a_fixture(self):
        kinds = {read_fixture(p)[0] for p in glob.glob(os.path.join(WARNING, "*.toml"))}
        self.assertEqual(sorted(set(WARNINGS) - kinds), [])
        self.assertEqual(sorted(kinds - set(WARNINGS)), [])


def _add_tests():
    for path in sorted(glob.glob(os.path.join(INVALID, "*.toml"))):
        name = "test_" + os.path.basename(path)[:-5].replace("-", "_")
        setattr(FixtureTest, name, lambda self, p=path: self.check_fixture(p))
    for path in sorted(glob.glob(os.path.join(WARNING, "*.toml"))):
        name = "test_warning_" + os.path.basename(path)[:-5].replace("-", "_")
        setattr(FixtureTest, name, lambda self, p=path: self.check_warning(p))


_add_tests()
