# SPDX-License-Identifier: MIT
"""Every input gets an answer: a clean `FILE:LINE: reason` or a one-line
refusal, quickly, and never a Python traceback. (One fixture per message is
in fixtures/invalid; these are the inputs too large to keep as files, and
the command line's last line of defence.)"""

import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
from unittest import mock

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support
except ImportError:
    import support
from cloison import compiler
from cloison.check import limits

DOMAIN = '[[domain]]\nname = "%s"\nimage = "guest-hello"\nmemory = "2M"\n'


class RobustTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="cloison-robust-")
        self.addCleanup(self.tmp.cleanup)

    def write(self, text):
        path = os.path.join(self.tmp.name, "sys.toml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def timed_check(self, path):
        # CPU time of this process (the check runs in it), not wall time:
        # what is bounded is the work, whatever else the machine is doing.
        t0 = time.process_time()
        status, out, err = support.run("check", path)
        return status, out, err, time.process_time() - t0

    def test_million_character_name_is_shortened(self):
        path = self.write(DOMAIN % ("n" * 1_000_000))
        status, out, err, secs = self.timed_check(path)
        self.assertEqual((status, out), (1, ""))
        self.assertEqual(err, "%s:2: domain #1: name '%s'... (1000000 characters) "
                         "is not valid: use 1 to 31 letters, digits, '_', '-' or "
                         "'.', starting with a letter\n" % (path, "n" * 40))
        self.assertLess(secs, 5)

    def test_twenty_thousand_domains_answered_at_once(self):
        text = "".join(DOMAIN % ("d%d" % n) + '[[domain.cap]]\nname = "c"\n'
                       'object = "console"\nrights = ["write"]\n'
                       for n in range(20_000))
        path = self.write(text)
        status, out, err, secs = self.timed_check(path)
        self.assertEqual((status, out), (1, ""))
        self.assertEqual(err.splitlines()[0], "%s:1: 20002 objects in the policy "
                         "(each domain and declared object, and the 2 built-in "
                         "ones), but the hypervisor's loader takes at most 1024"
                         % path)
        # the 257th [[domain]] (8 lines each) starts at line 2049
        self.assertIn("%s:2049: 20000 domains in the policy (one per [[domain]]), "
                      "but the hypervisor's loader takes at most 256" % path,
                      err.splitlines())
        self.assertLess(secs, 5)

    def test_sixteen_domains_are_accepted(self):
        path = self.write("".join(DOMAIN % ("d%d" % n) for n in range(16)))
        status, out, err, _ = self.timed_check(path)
        self.assertEqual((status, err), (0, ""))
        self.assertIn("OK: 16 domains", out)

    def test_deep_nesting_in_a_table_header_line(self):
        path = self.write(DOMAIN % "a" + "x = " + "{a = " * 2000 + "1"
                          + "}" * 2000 + "\n")
        status, out, err, _ = self.timed_check(path)
        self.assertEqual(status, 1)
        self.assertRegex(err, r"^%s:5: TOML value error: values nested too "
                         r"deeply to read" % re.escape(path))

    def test_unexpected_error_is_one_line_exit_2(self):
        with mock.patch.object(compiler, "compile_description",
                               side_effect=RuntimeError("boom\nsecond line")):
            status, out, err = support.run("check", support.DEFAULT_TOML)
        self.assertEqual((status, out), (2, ""))
        self.assertEqual(err, "cloison: check: cannot handle this input "
                         "(RuntimeError: boom second line); please report it\n")

    def test_no_traceback_from_the_command(self):
        """The real command on the nastiest fixtures: no 'Traceback'."""
        env = dict(os.environ, PYTHONPATH=support.TOOLSTACK)
        for name in ("syntax-integer-digits", "syntax-nesting", "bad-name-control"):
            path = os.path.join(support.FIXTURES, "invalid", name + ".toml")
            p = subprocess.run([sys.executable, "-m", "cloison", "check", path],
                               env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 1, name)
            self.assertNotIn("Traceback", p.stderr)
            self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)


class LoaderLimitsTest(unittest.TestCase):
    """check/limits.py's early refusal uses the boot contract's table sizes
    (the generated <cloison/abi/boot_limits.h> the loader checks with)."""

    def define(self, path, name):
        build = os.environ.get("CLOISON_BUILD", os.path.join(support.ROOT, "build"))
        with open(os.path.join(build, path)) as f:
            m = re.search(r"^#define %s (0x[0-9a-f]+|\d+)u?\b" % name, f.read(), re.M)
        self.assertIsNotNone(m, "%s not in %s" % (name, path))
        return int(m.group(1), 0)

    def test_limits_are_the_loaders(self):
        h = "hyp/abi/include/cloison/abi/boot_limits.h"
        self.assertEqual(limits.LOADER_MAX, {
            "domain": self.define(h, "CLOISON_LIMIT_DOMAINS_MAX"),
            "object": self.define(h, "CLOISON_LIMIT_OBJECTS_MAX"),
            "cap": self.define(h, "CLOISON_LIMIT_CAPS_MAX"),
        })


if __name__ == "__main__":
    unittest.main()
