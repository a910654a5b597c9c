# SPDX-License-Identifier: MIT
"""The pinned Debian kernel and the initramfs boot on QEMU's own `virt`
board, with no hypervisor, to a busybox shell that answers commands. This
is the reference every Cloison Linux-guest test and benchmark compares to:
if it fails, the guest files are wrong, not Cloison."""
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guest  # noqa: E402
from console import Console  # noqa: E402


class BaselineBoot(unittest.TestCase):
    def setUp(self):
        guest.require_files()
        self.con = Console(guest.baseline_argv(),
                           os.path.join(guest.BUILD, "linux-baseline.log"))

    def tearDown(self):
        self.con.close()

    def test_boot_to_shell(self):
        t0 = time.monotonic()
        self.con.expect(guest.READY_MARKER, 60)
        self.con.expect(guest.PROMPT, 20)
        boot = time.monotonic() - t0
        out = self.con.command("uname -a")
        self.assertRegex(out, r"Linux \S+ 6\.1\.0-\d+-cloud-arm64 .* aarch64")
        out = self.con.command("cat /proc/cpuinfo")
        self.assertIn("CPU part\t: 0xd07", out)      # Cortex-A57
        out = self.con.command("cat /proc/interrupts")
        self.assertRegex(out, r"arch_timer")
        self.assertRegex(out, r"GICv3")
        out = self.con.command("echo $((6 * 7))")
        self.assertEqual(out.strip(), "42")
        self.con.type("poweroff -f")
        self.assertEqual(self.con.wait_exit(30), 0)
        print(f"baseline: boot to shell {boot:.1f} s of host time", file=sys.stderr)
        self.assertLess(boot, 60)

    def test_sleep_is_one_second_of_counter(self):
        self.con.expect(guest.PROMPT, 60)
        # /proc/uptime follows the arch timer's counter.
        out = self.con.command("cat /proc/uptime; sleep 1; cat /proc/uptime")
        a, b = [float(line.split()[0]) for line in out.strip().splitlines()]
        self.assertGreaterEqual(b - a, 1.0)
        self.assertLess(b - a, 3.0)


if __name__ == "__main__":
    unittest.main()
