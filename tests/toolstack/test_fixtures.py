# SPDX-License-Identifier: MIT
"""One fixture per validation error (fixtures/invalid/*.toml).

Each fixture says in its header which check it exercises (`# kind:`), the
exact error (`# expect: LINE: MESSAGE`) and optional extra arguments
(`# args:`); `{images}` stands for a directory of generated images. The
test runs `check`, `compile -o` and `pack -o` (with a generated hypervisor
and the images) and asserts: exit status 1, stderr is exactly
`FILE:LINE: MESSAGE` (`# pack-expect:` when pack's layout changes the
message), and no output file exists afterwards."""

import glob
import os
import re
import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support
except ImportError:
    import support
from cloison.errors import KINDS

INVALID = os.path.join(support.FIXTURES, "invalid")
HEADER = re.compile(r"^# (kind|expect|pack-expect|args): (.*)$", re.M)


def read_fixture(path):
    with open(path, encoding="utf-8") as f:
        meta = {}
        for key, val in HEADER.findall(f.read()):
            meta[key] = val
    line, msg = meta["expect"].split(": ", 1)
    return meta["kind"], int(line), msg, meta.get("args", "")


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
        kind, line, msg, args = read_fixture(path)
        msg = msg.replace("{images}", self.images)
        extra = args.replace("{images}", self.images).split()
        expected = "%s:%d: %s\n" % (path, line, msg)
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

    def test_every_kind_has_a_fixture(self):
        kinds = {read_fixture(p)[0] for p in glob.glob(os.path.join(INVALID, "*.toml"))}
        self.assertEqual(sorted(set(KINDS) - kinds), [])
        self.assertEqual(sorted(kinds - set(KINDS)), [])


def _add_tests():
    for path in sorted(glob.glob(os.path.join(INVALID, "*.toml"))):
        name = "test_" + os.path.basename(path)[:-5].replace("-", "_")
        setattr(FixtureTest, name, lambda self, p=path: self.check_fixture(p))


_add_tests()
