# SPDX-License-Identifier: MIT
"""Every example in the README and docs/ works as written.

The rules (docs/building.md, "Examples in the docs"):

- a fenced block tagged `sh` holds commands a reader may copy: each one is
  run from the repository root and must exit 0. An HTML comment right above
  the fence may say how instead:
    <!-- docs-test: help -->            long-running or interactive (the
                                        README's two commands, gdb): run
                                        each program with --help instead
    <!-- docs-test: boots "TEXT" -->    a QEMU line: run it for up to 60 s
                                        and expect TEXT on its console
    <!-- docs-test: serves "TEXT" -->   the first command runs in the
                                        background (a QEMU waiting for gdb),
                                        the others against it, within 60 s;
                                        TEXT must appear in their output
    <!-- docs-test: default-network --> `ab` lines run against the default
                                        system's web guests while
                                        ./toolstack/run is up: test_run_command's
                                        DefaultNetworkTest boots it and runs
                                        them; here each must be such a line
- a fenced block tagged `toml` is a complete system description: `cloison
  check` and `cloison audit` must accept it (with the built images), unless
  marked <!-- docs-test: fragment -->, which must still be valid TOML.
- an untagged or `text` block is output or a synopsis; it may not hide a
  runnable command: a block of commands must carry an upper-case
  placeholder (FILE, IMAGE.ELF, ...) to be a synopsis.
- docs/getting-started.md is run whole, in order, in a scratch copy of the
  repository, by tests/toolstack/test_getting_started.py.
"""

import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile
import tomllib
import unittest

try:
    from . import support
except ImportError:
    import support

ROOT = support.ROOT
BUILD = os.environ.get("CLOISON_BUILD", os.path.join(ROOT, "build"))
FENCE = re.compile(r"(?:<!--\s*docs-test:\s*(?P<how>.*?)\s*-->\s*\n)?^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```",
                   re.M | re.S)
COMMAND_START = re.compile(r"^(\./|toolstack/|tests/|python3 |cloison |meson |ninja |"
                           r"qemu-system|gdb-multiarch )")
PLACEHOLDER = re.compile(r"\b[A-Z][A-Z0-9_]*(\.[A-Z]+)?\b|\[|\.\.\.")
IMAGE_PATH = ":".join(os.path.join(BUILD, d) for d in
                      ("domains", "domains/guests", "domains/tests", "domains/dom0",
                       "domains/bench", "domains/tests/core", "domains/vmm",
                       "storage-dom", "net-dom", "linux-guest"))


# Pages whose commands build on each other and change the tree: another test
# runs them whole, in order, in a scratch copy of the repository.
RUN_ELSEWHERE = {
    "docs/getting-started.md": "tests/toolstack/test_getting_started.py",
}


def doc_files():
    return [os.path.join(ROOT, "README.md")] + sorted(
        glob.glob(os.path.join(ROOT, "docs", "*.md")))


def blocks(path):
    text = open(path, encoding="utf-8").read()
    for m in FENCE.finditer(text):
        line = text.count("\n", 0, m.start("lang")) + 1
        yield line, m.group("lang"), (m.group("how") or "").strip(), m.group("body")


def commands(body):
    """The commands of an sh block: continuation lines joined, a here-document
    kept with its command, comments and blank lines dropped."""
    out, cur, heredoc = [], "", None
    for raw in body.splitlines():
        line = raw.rstrip()
        if heredoc is not None:
            out[-1] += "\n" + raw
            if line == heredoc:
                heredoc = None
            continue
        if line.endswith("\\"):
            cur += line[:-1] + " "
            continue
        cur += line
        cmd = cur.strip()
        cur = ""
        if cmd and not cmd.startswith("#"):
            out.append(cmd)
            m = re.search(r"<<-?\s*'?\"?(\w+)", cmd)
            if m:
                heredoc = m.group(1)
    return out


def cloison(*args):
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "toolstack"))
    return subprocess.run([sys.executable, "-m", "cloison"] + list(args), cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


class DocsExamplesTest(unittest.TestCase):
    maxDiff = None

    def where(self, path, line):
        return f"{os.path.relpath(path, ROOT)}:{line}"

    def test_sh_blocks_run(self):
        ran = 0
        for path in doc_files():
            if os.path.relpath(path, ROOT) in RUN_ELSEWHERE:
                continue
            for line, lang, how, body in blocks(path):
                if lang not in ("sh", "console", "bash"):
                    continue
                cmds = commands(body)
                m = re.fullmatch(r'serves\s+"(.*)"', how)
                if m:
                    with self.subTest(at=self.where(path, line)):
                        self.run_served(cmds, m.group(1))
                        ran += len(cmds)
                    continue
                for cmd in cmds:
                    with self.subTest(at=self.where(path, line), cmd=cmd):
                        self.run_command(cmd, how)
                        ran += 1
        self.assertGreater(ran, 5, "the docs hold almost no runnable command")

    def run_served(self, cmds, expect):
        server = subprocess.Popen(cmds[0], shell=True, cwd=ROOT, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            out = ""
            for cmd in cmds[1:]:
                r = subprocess.run(cmd, shell=True, cwd=ROOT, capture_output=True, text=True,
                                   timeout=60, stdin=subprocess.DEVNULL)
                out += r.stdout + r.stderr
            self.assertIn(expect, out, out[-3000:])
        finally:
            os.killpg(server.pid, 9)
            server.wait()

    def run_command(self, cmd, how):
        env = dict(os.environ)
        if how == "help":
            prog = shlex.split(cmd)[0]
            r = subprocess.run([prog, "--help"], cwd=ROOT, capture_output=True, text=True,
                               timeout=60, env=env)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("usage", (r.stdout + r.stderr).lower())
            return
        if how == "default-network":
            # Run, with the system booted, by DefaultNetworkTest
            # (test_run_command.py), which finds exactly these lines.
            self.assertRegex(cmd, r"^ab -n 300 -c 4 http://127\.0\.0\.1:\d+/$")
            return
        m = re.fullmatch(r'boots\s+"(.*)"', how)
        if m:
            p = subprocess.Popen(cmd, shell=True, cwd=ROOT, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 start_new_session=True)
            try:
                out, _ = p.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, 9)
                out, _ = p.communicate()
            text = out.decode("utf-8", "replace").replace("\r", "")
            self.assertIn(m.group(1), text, text[-3000:])
            return
        self.assertEqual(how, "", f"unknown docs-test annotation {how!r}")
        r = subprocess.run(cmd, shell=True, cwd=ROOT, capture_output=True, text=True,
                           timeout=600, env=env, stdin=subprocess.DEVNULL)
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 0, out if len(out) < 6000 else out[:3000] + "\n...\n" + out[-3000:])

    def test_toml_blocks_are_accepted(self):
        checked = 0
        for path in doc_files():
            for line, lang, how, body in blocks(path):
                if lang != "toml":
                    continue
                with self.subTest(at=self.where(path, line)):
                    try:
                        tomllib.loads(body)
                    except tomllib.TOMLDecodeError as e:
                        self.fail(f"not valid TOML: {e}")
                    if how == "fragment":
                        continue
                    self.assertEqual(how, "", f"unknown docs-test annotation {how!r}")
                    with tempfile.TemporaryDirectory() as tmp:
                        desc = os.path.join(tmp, "example.toml")
                        with open(desc, "w") as fh:
                            fh.write(body)
                        hyp = os.path.join(BUILD, "hyp", "hyp.elf")
                        for verb in ("check", "audit"):
                            r = cloison(verb, desc, "--image-path", IMAGE_PATH, "--hyp", hyp)
                            self.assertEqual(r.returncode, 0,
                                             f"cloison {verb}:\n{r.stdout}{r.stderr}")
                    checked += 1
        self.assertGreater(checked, 0, "no complete description in the docs")

    def test_no_command_hidden_in_plain_blocks(self):
        for path in doc_files():
            for line, lang, how, body in blocks(path):
                if lang not in ("", "text"):
                    continue
                # A synopsis: placeholders (FILE, DIRS, ...) somewhere in the block.
                if any(COMMAND_START.match(c) and PLACEHOLDER.search(c)
                       for c in body.splitlines()):
                    continue
                for cmd in body.splitlines():
                    # "toolstack/   what it holds": a layout listing, not a command
                    if re.match(r"^\S+/\s{2,}", cmd):
                        continue
                    if COMMAND_START.match(cmd) and not PLACEHOLDER.search(cmd):
                        with self.subTest(at=self.where(path, line), cmd=cmd):
                            self.fail("a runnable command in a plain block: put it in an "
                                      "`sh` block (it is then run by this test)")


if __name__ == "__main__":
    unittest.main()
