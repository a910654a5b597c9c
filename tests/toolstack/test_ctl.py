# SPDX-License-Identifier: MIT
"""Guests made at run time on QEMU, driven from the host as a user would
script it: `toolstack/run --ctl SOCKET` boots tests/system/systems/create.toml
(dom0 with a typed pool, a console cap it may hand on and a store of guest
configs) and cloison.ctl sends dom0's shell commands over the console.

- 100 guests created, stopped and destroyed in a row: each create, stop and
  destroy succeeds, the core zeroes each guest's memory (its line for each),
  and the core's object count, its free pages and dom0's pool are back at
  the baseline afterwards;
- the pool running out part way through a create, a budget beyond dom0's
  own, an unknown config: each refused with the field named, and the census
  unchanged;
- `console NAME`: the keys go to the guest until Ctrl-] gives them back, or
  the guest stops, never to dom0 meanwhile; a stopped guest, an unknown name and the shell
  itself are refused by name;
- `cloison ctl` itself: the output of one command and its exit status, and
  `ctl console NAME --send LINE --expect REGEX`.
These boot QEMU: they need the build tests/run made (CLOISON_BUILD)."""

import os
import subprocess
import sys
import unittest

import support

sys.path.insert(0, os.path.join(support.ROOT, "toolstack"))
from cloison import ctl  # noqa: E402

DESC = os.path.join(support.ROOT, "tests/system/systems/create.toml")


class RunTimeGuests(support.CtlSystem):
    IMAGE = "tests/system/test-create.elf"

    def test_1_a_hundred_guests_leave_the_core_and_the_pool_as_they_were(self):
        base = self.census()
        zeroed0 = self.log_text().count("cloison: domain hello1 destroyed; its 4096 KiB zeroed")
        for i in range(100):
            self.assertEqual(self.run_ok("create hello1"), ["create hello1: running"])
            if i % 25 == 0:
                line = [x for x in self.run_ok("list") if x.startswith("hello1 ")]
                self.assertEqual(len(line), 1)
                self.assertRegex(line[0], r"running .* memory 4 MiB, budget 1000/10000 us, "
                                 r"priority 100, image sha256 [0-9a-f]{64}$")
            self.run_ok("stop hello1")
            self.run_ok("destroy hello1")
        self.assertEqual(self.census(), base)
        # Each guest's memory was zeroed by the core when it was destroyed.
        self.assertEqual(self.log_text().count(
            "cloison: domain hello1 destroyed; its 4096 KiB zeroed") - zeroed0, 100)

    def test_2_every_refusal_names_the_field_and_changes_nothing(self):
        base = self.census()
        out = self.run_ok("create big", ok=False)
        self.assertRegex(out[0], r"^create big: memory: 16 MiB does not fit")
        out = self.run_ok("create greedy", ok=False)
        self.assertRegex(out[0], r"^create greedy: budget_us 5000, period_us 10000, "
                         r"priority 100: refused")
        out = self.run_ok("create nosuch", ok=False)
        self.assertRegex(out[0], r"^create: no config named 'nosuch' in the store")
        self.assertEqual(self.run_ok("create hello2"), ["create hello2: running"])
        out = self.run_ok("create hello2", ok=False)
        self.assertRegex(out[0], r"a guest of that name exists")
        self.run_ok("destroy hello2")
        self.assertEqual(self.census(), base)

    def test_25_the_live_audit_holds_after_creation_and_after_destruction(self):
        self.assertEqual(self.run_ok("create hello1"), ["create hello1: running"])
        out = self.live_audit(DESC, ("domains/dom0", "domains/guests"))
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("[held] live-subset", out.stdout)
        self.assertIn("domain 'hello1'", out.stdout)
        self.assertIn("was made at run time by 'dom0'", out.stdout)
        self.run_ok("destroy hello1")
        out = self.live_audit(DESC, ("domains/dom0", "domains/guests"))
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("[held] live-subset", out.stdout)
        self.assertNotIn("hello1", out.stdout.split("[held] live-subset")[1])

    def test_26_console_name_attaches_the_keys_and_ctrl_bracket_gives_them_back(self):
        self.assertEqual(self.run_ok("create hello1"), ["create hello1: running"])
        try:
            mark = len(self.log_text())
            out = self.run_ok("console hello1")
            self.assertEqual(out, ["console hello1: attached; Ctrl-] comes back to dom0"])
            self.wait_log("cloison: console input to hello1 (Ctrl-] detaches)", mark)
            # Typed keys reach the guest, which echoes them and answers the line...
            self.con.sock.sendall(b"ping\r")
            self.wait_log("[hello1] ping", mark)
            self.wait_log("[hello1] heard 'ping'", mark)
            # ...and never dom0, whose shell would have answered "unknown command".
            self.assertNotIn("unknown command 'ping'", self.log_text()[mark:])
            # Ctrl-] detaches: the keys are dom0's again.
            self.con.sock.sendall(b"\x1d")
            self.wait_log("cloison: console input to dom0 (detached; Ctrl-] switches)", mark)
            self.assertRegex("\n".join(self.run_ok("list")), r"hello1 .* running")
            # A stopped guest cannot take the keys; an unknown name, this shell,
            # and a domain it holds no console right on are refused by name.
            self.run_ok("stop hello1")
            self.assertEqual(self.run_ok("console hello1", ok=False),
                             ["console hello1: refused, it is stopped"])
            self.run_ok("resume hello1")
            self.assertEqual(self.run_ok("console nosuch", ok=False),
                             ["console: no domain named 'nosuch'"])
            self.assertEqual(self.run_ok("console dom0", ok=False),
                             ["console: no domain named 'dom0' (that is this shell)"])
            # An attached guest that stops gives the input back at once, before
            # any other key: dom0 answers the next command.
            mark = len(self.log_text())
            self.run_ok("console hello1")
            self.wait_log("cloison: console input to hello1 (Ctrl-] detaches)", mark)
            self.con.sock.sendall(b"stop\r")
            self.wait_log("[hello1] heard 'stop'", mark)
            self.wait_log("cloison: console input to dom0 (detached; Ctrl-] switches)", mark)
            self.assertRegex("\n".join(self.run_ok("list")), r"hello1 .* stopped")
        finally:
            self.run_ok("destroy hello1")

    def test_3_the_command_line_tool(self):
        # A second client on the same socket: the test's connection first
        # lets go (QEMU serves one at a time).
        self.con.sock.close()
        try:
            out = subprocess.run([os.path.join(support.ROOT, "toolstack/bin/cloison"), "ctl",
                                  "--socket", self.sock, "create", "nosuch"],
                                 capture_output=True, text=True, timeout=120)
            self.assertEqual(out.returncode, 1, out.stderr)
            self.assertIn("create: no config named 'nosuch'", out.stdout)
            out = subprocess.run([os.path.join(support.ROOT, "toolstack/bin/cloison"), "ctl",
                                  "--socket", self.sock, "list"],
                                 capture_output=True, text=True, timeout=120)
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertIn("store: hello1 hello2 big greedy", out.stdout)
            # `ctl console NAME`: keys typed to the guest, its answer, detached.
            out = subprocess.run([os.path.join(support.ROOT, "toolstack/bin/cloison"), "ctl",
                                  "--socket", self.sock, "create", "hello2"],
                                 capture_output=True, text=True, timeout=120)
            self.assertEqual(out.returncode, 0, out.stderr)
            out = subprocess.run([os.path.join(support.ROOT, "toolstack/bin/cloison"), "ctl",
                                  "--socket", self.sock, "console", "hello2", "--send", "hi there",
                                  "--expect", "heard '.*'"],
                                 capture_output=True, text=True, timeout=120)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            self.assertIn("heard 'hi there'", out.stdout)
            out = subprocess.run([os.path.join(support.ROOT, "toolstack/bin/cloison"), "ctl",
                                  "--socket", self.sock, "destroy", "hello2"],
                                 capture_output=True, text=True, timeout=120)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        finally:
            type(self).con = ctl.Console(self.sock, 60)


if __name__ == "__main__":
    unittest.main()
