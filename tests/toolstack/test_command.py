# SPDX-License-Identifier: MIT
"""toolstack/bin/cloison, the command the docs use: it runs from any
directory and through a symlink (as when linked into /usr/local/bin), with
--help on it and on each command, and every doc's command line names it."""

import glob
import os
import re
import subprocess
import tempfile
import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support
except ImportError:
    import support

COMMAND = os.path.join(support.TOOLSTACK, "bin", "cloison")
SUBCOMMANDS = ("check", "guest", "compile", "pack", "inspect", "audit")


def run(argv0, *args, cwd):
    # No PYTHONPATH: the command must find the toolstack by itself.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([argv0] + list(args), cwd=cwd, env=env,
                          capture_output=True, text=True)


class CommandTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="cloison-command-")
        self.addCleanup(self.tmp.cleanup)

    def test_executable(self):
        self.assertTrue(os.access(COMMAND, os.X_OK))

    def test_from_another_directory(self):
        r = run(COMMAND, "check", support.DEFAULT_TOML, cwd=self.tmp.name)
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        self.assertRegex(r.stdout, r"^%s: OK: \d+ domains" % re.escape(support.DEFAULT_TOML))

    def test_through_a_symlink(self):
        bindir = os.path.join(self.tmp.name, "bin")
        os.mkdir(bindir)
        link = os.path.join(bindir, "cloison")
        os.symlink(COMMAND, link)
        r = run(link, "check", support.DEFAULT_TOML, cwd=self.tmp.name)
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        # and a symlink to that symlink, found through the PATH
        os.symlink(link, os.path.join(self.tmp.name, "cloison"))
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"])
        env.pop("PYTHONPATH", None)
        r = subprocess.run(["cloison", "inspect", "--help"], cwd="/", env=env,
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("usage: cloison inspect"))

    def test_help(self):
        r = run(COMMAND, "--help", cwd=self.tmp.name)
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        for sub in SUBCOMMANDS:
            self.assertRegex(r.stdout, r"\n    %s +\S" % sub)
        self.assertIn("exit status: 0 success", r.stdout)
        for sub in SUBCOMMANDS:
            r = run(COMMAND, sub, "--help", cwd=self.tmp.name)
            self.assertEqual((r.returncode, r.stderr), (0, ""), sub)
            self.assertTrue(r.stdout.startswith("usage: cloison %s " % sub), sub)
            # a description of the command, not only its options
            self.assertGreater(len(r.stdout.split("\n\n")[1]), 60, sub)

    def test_usage_error_exit_2(self):
        r = run(COMMAND, "frobnicate", cwd=self.tmp.name)
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: cloison", r.stderr)


class DocsTest(unittest.TestCase):
    """The docs' command lines are the command: no `python3 -m cloison`,
    and a `cloison ...` in code is `toolstack/bin/cloison ...`."""

    def test_docs_name_the_command(self):
        bad = []
        for path in [os.path.join(support.ROOT, "README.md")] + sorted(
                glob.glob(os.path.join(support.ROOT, "docs", "*.md"))):
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    # ``...`` quotes the tools' output, not a command line
                    line = re.sub(r"``.*?``", "", line)
                    if "python3 -m cloison" in line or re.search(
                            r"(^|[`$\s])cloison (check|guest|compile|pack|inspect|audit|ctl)\b",
                            line):
                        bad.append("%s:%d: %s" % (os.path.relpath(path, support.ROOT),
                                                  n, line.strip()))
        self.assertEqual(bad, [])


if __name__ == "__main__":
    unittest.main()
