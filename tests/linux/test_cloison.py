# SPDX-License-Identifier: MIT
"""The pinned Debian kernel as a Cloison guest, its platform emulated by
its VMM domain (domains/vmm, docs/vmm.md): boots to a busybox shell that
answers commands, shows the VMM's GIC and UART and the virtual timer,
sleeps a second of virtual counter, and `poweroff -f` ends the guest through
PSCI SYSTEM_OFF (the VMM then powers the machine off: it holds the system
cap in this one-guest system)."""
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guest  # noqa: E402
from console import Console  # noqa: E402

PROMPT = "/ # "


class CloisonLinux(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        guest.require_files()
        cls.image = guest.cloison_image()

    def setUp(self):
        self.con = Console(guest.cloison_argv(self.image),
                           os.path.join(guest.BUILD, "linux-cloison.log"))

    def tearDown(self):
        self.con.close()

    def boot(self):
        t0 = time.monotonic()
        self.con.expect("cloison: policy ", 10)
        self.con.expect(guest.READY_MARKER, 60)
        self.con.expect("Enter 'help' for a list of built-in commands.", 20)
        self.prompt()
        return time.monotonic() - t0

    def prompt(self):
        """Wait for the shell's prompt: the VMM holds the console input, so
        the hypervisor shows its partial line as it is written. Keys typed
        before the shell reads its terminal are lost, as for a person who
        types before the prompt."""
        self.con.expect("[linux] / # ", 30)
        time.sleep(0.3)

    def run_cmd(self, cmd, timeout=20):
        """Type cmd; return its output lines (between the echo and the
        end marker), without the console prefix."""
        marker = "END-%d" % (len(cmd) * 7919 % 100000)
        self.con.type("%s; echo %s" % (cmd, marker))
        # The echo of the typed line contains 'echo END-n'; the output
        # line is the marker alone.
        text = self.con.expect("[linux] " + marker + "\n", timeout)
        lines = [re.sub(r"^\[linux\] ", "", line) for line in text.split("\n")]
        start = next(i for i, line in enumerate(lines) if ("echo " + marker) in line)
        return "\n".join(lines[start + 1:-2])

    def test_reset_restarts_the_guest(self):
        """PSCI SYSTEM_RESET (busybox `reboot -f`): its VMM reloads the
        guest's RAM from the packed image (vmm_reset) and starts it again
        from its entry; the same files boot to the same shell."""
        self.boot()
        self.run_cmd("echo before > /tmp/mark")
        self.con.type("reboot -f")
        self.con.expect("vmm: guest asked for a reset (PSCI SYSTEM_RESET): restarting it", 30)
        self.con.expect(guest.READY_MARKER, 60)
        self.con.expect("Enter 'help' for a list of built-in commands.", 20)
        self.prompt()
        # A fresh initramfs: nothing of the first boot is left.
        out = self.run_cmd("cat /tmp/mark 2>&1; cat /proc/uptime")
        self.assertIn("No such file or directory", out)
        # ... and a fresh kernel: its uptime starts again (under a minute).
        self.assertRegex(out.splitlines()[-1], r"^\d{1,2}\.\d+ ", out)
        self.con.type("poweroff -f")
        self.con.expect("vmm: guest powered off (PSCI SYSTEM_OFF)", 30)
        self.assertEqual(self.con.wait_exit(10), 0)

    def test_shell_commands_and_poweroff(self):
        boot = self.boot()
        out = self.run_cmd("uname -a")
        self.assertRegex(out, r"Linux \S+ 6\.1\.0-\d+-cloud-arm64 .* aarch64")
        out = self.run_cmd("cat /proc/cpuinfo")
        # The hypervisor's console shows a tab as '?' (it passes printable
        # bytes only).
        self.assertRegex(out, r"CPU part.: 0xd07")
        out = self.run_cmd("cat /proc/interrupts")
        # The VMM's GIC model is what Linux found; the virtual timer (PPI
        # 11 = INTID 27) and the UART (SPI 1 = INTID 33) have counted.
        timer = re.search(r"^\s*\d+:\s+(\d+)\s+GICv3\s+27 Level\s+arch_timer", out, re.M)
        uart = re.search(r"^\s*\d+:\s+(\d+)\s+GICv3\s+33 Level\s+uart-pl011", out, re.M)
        self.assertTrue(timer, out)
        self.assertTrue(uart, out)
        self.assertGreater(int(timer.group(1)), 10)
        self.assertGreater(int(uart.group(1)), 0)
        out = self.run_cmd("echo $((6 * 7))")
        self.assertEqual(out.strip(), "42")
        self.con.type("poweroff -f")
        self.con.expect("vmm: guest powered off (PSCI SYSTEM_OFF)", 30)
        self.con.expect("cloison: powered off by domain linux", 10)
        self.assertEqual(self.con.wait_exit(10), 0)
        print("cloison: Linux boot to init %.1f s of host time" % boot, file=sys.stderr)

    def test_sleep_follows_the_virtual_counter(self):
        self.boot()
        # /proc/uptime runs on the arch timer's counter (CNTVCT_EL0).
        out = self.run_cmd("cat /proc/uptime; sleep 1; cat /proc/uptime")
        a, b = [float(line.split()[0]) for line in out.strip().splitlines()]
        self.assertGreaterEqual(b - a, 1.0)
        self.assertLess(b - a, 3.0)


if __name__ == "__main__":
    unittest.main()
