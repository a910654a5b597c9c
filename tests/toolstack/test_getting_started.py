# SPDX-License-Identifier: MIT
"""docs/getting-started.md works as written: its `sh` blocks run in order,
each must succeed, in a scratch copy of the repository (the files git
tracks, plus new ones not ignored: what a fresh clone of this tree has, with
no build directory), and every line of a `text` block must appear in the
output of the `sh` block before it. This builds the default system from
scratch, so it takes a few minutes."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

import support

PAGE = os.path.join(support.ROOT, "docs", "getting-started.md")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)


def blocks(text):
    """[(sh block, [lines the output must show])] in page order."""
    out = []
    for m in FENCE.finditer(text):
        kind, body = m.group(1), m.group(2)
        if kind == "sh":
            out.append((body, []))
        elif kind == "text" and out:
            out[-1][1].extend(line for line in body.splitlines() if line.strip())
    return out


def scratch_copy(dst):
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                            "--exclude-standard"], cwd=support.ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for f in filter(None, files):
        src = os.path.join(support.ROOT, f)
        if not os.path.lexists(src):
            continue  # deleted in the work tree, not yet committed
        os.makedirs(os.path.dirname(os.path.join(dst, f)), exist_ok=True)
        shutil.copy2(src, os.path.join(dst, f), follow_symlinks=False)


class GettingStartedTest(unittest.TestCase):
    def check_first_build(self, repo, out):
        """The run command builds what the default system needs, says so,
        and leaves the unit tests, fuzzers and benchmarks alone."""
        build = os.path.join(repo, "build")
        for f in ("hyp/hyp.elf", "domains/dom0/dom0.elf", "toolstack/cloison-default.elf"):
            self.assertTrue(os.path.exists(os.path.join(build, f)), f)
        for f in ("tests/fuzz/fuzz_hypercall", "tests/unit/test_fdt",
                  "tests/bench/bench-hypercall.elf", "hyp/hyp-test.elf"):
            self.assertFalse(os.path.exists(os.path.join(build, f)), f)
        self.assertRegex(out, r"cloison: building toolstack/cloison-default.elf in \S+: "
                         r"\d+ steps")


    def test_page_parses(self):
        with open(PAGE) as f:
            bs = blocks(f.read())
        self.assertGreaterEqual(len(bs), 7)
        self.assertTrue(bs[0][0].startswith("./toolstack/run"))
        self.assertTrue(any("cloison audit" in b and "--html" in b for b, _ in bs))

    def test_page_runs_as_written(self):
        with open(PAGE) as f:
            bs = blocks(f.read())
        tmp = tempfile.mkdtemp(prefix="cloison-getting-started-")
        try:
            repo = os.path.join(tmp, "cloison")
            scratch_copy(repo)
            self.assertFalse(os.path.exists(os.path.join(repo, "build")))
            env = {k: v for k, v in os.environ.items()
                   if not k.startswith("CLOISON_") and k != "PYTHONPATH"}
            for n, (script, expected) in enumerate(bs, 1):
                res = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=repo,
                                     env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     timeout=1200)
                out = res.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
                self.assertEqual(res.returncode, 0, "block %d failed:\n%s\n--- output:\n%s"
                                 % (n, script, out[-4000:]))
                lines = out.split("\n")
                if n == 1:
                    self.check_first_build(repo, out)
                for want in expected:
                    self.assertIn(want, lines, "block %d:\n%s\ndid not print the line %r; "
                                  "it printed:\n%s" % (n, script, want, out[-4000:]))
            self.assertTrue(os.path.exists(os.path.join(repo, "build", "tutorial-audit.html")))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
