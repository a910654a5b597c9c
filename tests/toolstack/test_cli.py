# SPDX-License-Identifier: MIT
"""The command line as a user runs it: exit statuses and messages."""

import os
import subprocess
import sys
import tempfile
import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support
except ImportError:
    import support


def run_module(*args):
    env = dict(os.environ, PYTHONPATH=support.TOOLSTACK)
    return subprocess.run([sys.executable, "-m", "cloison"] + list(args), env=env,
                          capture_output=True, text=True, cwd=support.ROOT)


class CliTest(unittest.TestCase):
    def test_module_check(self):
        r = run_module("check", "toolstack/systems/default.toml")
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        self.assertTrue(r.stdout.startswith("toolstack/systems/default.toml: OK: "))

    def test_usage_errors_exit_2(self):
        for argv in ([], ["frobnicate"], ["check"], ["compile", "x.toml"],
                     ["pack", "x.toml", "-o", "y"], ["inspect"]):
            status, out, err = support.run(*argv)
            self.assertEqual(status, 2, argv)
            self.assertIn("usage: cloison", err)

    def test_invalid_input_exit_1(self):
        r = run_module("check", "no/such/file.toml")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "cloison: no/such/file.toml: No such file or "
                         "directory\n")
        path = os.path.join(support.FIXTURES, "invalid", "duplicate-domain.toml")
        r = run_module("check", path)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"^%s:\d+: duplicate domain name 'a'" % path)

    def test_all_errors_reported_in_line_order(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "many.toml")
            with open(path, "w") as f:
                f.write('[[domain]]\nname = "a"\nimage = "x"\nmemory = "3M"\n'
                        'vcpus = 2\nbogus = 1\n')
            status, out, err = support.run("check", path)
        self.assertEqual(status, 1)
        self.assertEqual(err.splitlines(), [
            "%s:4: domain 'a': memory 3 MiB is not a non-zero multiple of 2 MiB" % path,
            "%s:5: domain 'a': vcpus must be 1 (domains have one vCPU for now)" % path,
            "%s:6: unknown field 'bogus' in domain 'a'" % path,
        ])

    def test_image_search_order(self):
        with tempfile.TemporaryDirectory() as tmp:
            support.write_images(tmp)
            path = os.path.join(tmp, "sub.toml")
            with open(path, "w") as f:
                f.write('[[domain]]\nname = "a"\nimage = "guest-sub"\nmemory = "2M"\n')
            status, out, err = support.run("check", path, "--image-path",
                                           os.path.join(tmp, "nested"))
            self.assertEqual((status, err), (0, ""))

    def test_unwritable_output(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "missing", "p.bin")
            status, out, err = support.run("compile", support.DEFAULT_TOML, "-o", bad)
            self.assertEqual((status, out), (1, ""))
            self.assertEqual(err, "cloison: %s: cannot write: No such file or "
                             "directory\n" % bad)
            status, out, err = support.run("compile", support.DEFAULT_TOML, "-o", tmp)
            self.assertEqual(err, "cloison: %s: cannot write: Is a directory\n" % tmp)
            self.assertEqual(os.listdir(tmp), [])

    def test_output_replaces_atomically(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "p.bin")
            with open(out, "wb") as f:
                f.write(b"old")
            status, _, _ = support.run("compile", support.DEFAULT_TOML, "-o", out)
            self.assertEqual(status, 0)
            self.assertEqual(support.read(out)[:8], b"CLOISONP")
            self.assertEqual(sorted(os.listdir(tmp)), ["p.bin"])


if __name__ == "__main__":
    unittest.main()
