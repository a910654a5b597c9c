# SPDX-License-Identifier: MIT
"""Two unmodified Linux guests, each with its own VMM, and a bare-metal
domain side by side (systems/linux-two.toml), each with its own console
prefix. Ctrl-] moves the console input between the two VMMs and dom0. One
guest panics (sysrq 'c'): its VMM stops it alone (dom0's `list` shows it
stopped, the others running); the other still answers, is
restarted by PSCI SYSTEM_RESET (`reboot -f`) alone, and `poweroff -f`
stops it alone; the bare-metal heartbeat keeps counting throughout."""
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guest  # noqa: E402
from console import Console  # noqa: E402

CTRL_BRACKET = "\x1d"
SYSTEM = os.path.join(guest.ROOT, "tests", "linux", "systems", "linux-two.toml")
HEARTBEAT = re.compile(r"^\[hb\] heartbeat (\d+) ", re.M)


class TwoLinuxGuests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        guest.require_files()
        cls.image = guest.cloison_image("cloison-linux-two", SYSTEM)

    def setUp(self):
        self.con = Console(guest.cloison_argv(self.image),
                           os.path.join(guest.BUILD, "linux-two.log"))

    def tearDown(self):
        self.con.close()

    def beats(self):
        """The last heartbeat number printed so far."""
        found = HEARTBEAT.findall(self.con.text)
        return int(found[-1]) if found else -1

    def beats_reach(self, n, timeout=30):
        """Wait until the bare-metal domain has printed heartbeat n."""
        until = time.monotonic() + timeout
        while self.beats() < n:
            if time.monotonic() >= until:
                self.fail("heartbeat stopped at %d (waited for %d):\n%s"
                          % (self.beats(), n, self.con.text[-2000:]))
            self.con._read(min(until, time.monotonic() + 0.2))

    def focus(self, name, prompt=True):
        """Ctrl-] until the input moves to name (the holders in description
        order: lin-a, lin-b, dom0); the hypervisor shows its partial line,
        the shell's prompt, once the shell has printed it."""
        for _ in range(3):
            self.con.press(CTRL_BRACKET)
            if self.con.expect("cloison: console input to ", 20) and \
                    self.con.expect(" (Ctrl-] switches)", 5).startswith(name + " "):
                break
        else:
            self.fail("the console input never reached %s:\n%s" % (name, self.con.text[-2000:]))
        if prompt:
            self.prompt(name)

    def dom0_state(self, domain):
        """dom0's `list`: the state it shows for domain."""
        self.focus("dom0", prompt=False)
        self.con.type("list")
        head = "[dom0] %s " % domain
        self.con.expect(head, 20)
        line = self.con.expect("\n", 10)
        found = re.match(r" *domain \d+, (\S+)", line)
        self.assertIsNotNone(found, "dom0's line for %s: %r" % (domain, head + line))
        return found.group(1)

    def prompt(self, name):
        # Keys typed before the shell reads its terminal are lost (the UART
        # driver drains its FIFO when the tty opens), as for a person who
        # types before the prompt: wait for it.
        self.con.expect("[%s] / # " % name, 60)
        time.sleep(0.3)

    def run_in(self, name, cmd, answer, timeout=30):
        """Type cmd into the focused guest; wait for its answer line under
        the guest's VMM's prefix."""
        self.con.type(cmd)
        self.con.expect("[%s] %s\n" % (name, answer), timeout)

    def test_side_by_side_panic_reset_poweroff(self):
        con = self.con
        con.expect("cloison: policy ", 10)
        # Both guests boot to their shell, each under its own prefix.
        con.expect_all(["[lin-a] " + guest.READY_MARKER, "[lin-b] " + guest.READY_MARKER,
                        "[hb] hello from hb",
                        "[lin-a] Enter 'help' for a list of built-in commands.\n",
                        "[lin-b] Enter 'help' for a list of built-in commands.\n"], 180)
        # lin-a, first in the description, has the input at boot.
        self.prompt("lin-a")
        self.run_in("lin-a", "echo a-$((6 * 7))", "a-42")
        self.focus("lin-b")
        self.run_in("lin-b", "echo b-$((6 * 7))", "b-42")

        # lin-a panics: its panic is printed, its VMM stops it alone.
        self.focus("lin-a")
        con.type("echo c > /proc/sysrq-trigger")
        con.expect("---[ end Kernel panic - not syncing: sysrq triggered crash ]---\n", 60)
        self.assertRegex(con.text, r"\[lin-a\] \[ *[\d.]+\] ---\[ end Kernel panic - not "
                                   r"syncing: sysrq triggered crash \]---\n")
        con.expect("[lin-a] vmm: guest panicked, stopped", 30)
        self.assertEqual(self.dom0_state("lin-a-guest"), "stopped")
        self.assertEqual(self.dom0_state("lin-b-guest"), "running")
        self.assertEqual(self.dom0_state("hb"), "running")
        before = self.beats()
        self.focus("lin-b")
        self.run_in("lin-b", "echo b-after-panic", "b-after-panic")
        self.beats_reach(before + 5)
        self.focus("lin-a", prompt=False)
        con.type("echo a-still-there")
        self.focus("lin-b")
        self.run_in("lin-b", "echo b-once-more", "b-once-more")
        self.assertNotIn("[lin-a] a-still-there\n", con.text)

        # lin-b asks for a reset: its VMM reloads and restarts it alone.
        self.run_in("lin-b", "echo mark > /tmp/mark; echo marked", "marked")
        con.type("reboot -f")
        con.expect("[lin-b] vmm: guest asked for a reset (PSCI SYSTEM_RESET): restarting it",
                   30)
        con.expect("[lin-b] " + guest.READY_MARKER, 120)
        con.expect("[lin-b] Enter 'help' for a list of built-in commands.\n", 60)
        self.prompt("lin-b")
        # A fresh kernel and initramfs: nothing of the first boot is left.
        self.run_in("lin-b", "cat /tmp/mark 2>/dev/null || echo mark-gone", "mark-gone")

        # lin-b powers off: stopped alone; the heartbeat goes on.
        before = self.beats()
        con.type("poweroff -f")
        con.expect("[lin-b] vmm: guest powered off (PSCI SYSTEM_OFF)", 30)
        self.beats_reach(before + 5)
        # Nothing the hypervisor stopped, no domain beyond the two guests
        # touched: no fault or stop message of any domain.
        self.assertNotRegex(con.text, r"cloison: domain \S+ stopped")
        self.assertIsNone(con.proc.poll())   # the machine still runs


if __name__ == "__main__":
    unittest.main()
