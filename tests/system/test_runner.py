# SPDX-License-Identifier: MIT
"""The system-test runner's own tests: each way a run can go wrong must make
the runner exit non-zero with the right verdict. These run the real runner on
fixture scenarios in a subprocess; the fixtures' failures are expected and are
not product failures. Run: python3 -m unittest tests/system/test_runner.py"""
import os
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "runner.py")
FIX = os.path.join(HERE, "runner-fixtures")
BUILD = os.environ.get("CLOISON_BUILD", os.path.join(os.path.dirname(os.path.dirname(HERE)), "build"))


def run(*args):
    p = subprocess.run([sys.executable, RUNNER, "-B", BUILD, *args],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    return p.returncode, p.stdout.decode()


class RunnerSelfTest(unittest.TestCase):
    def expect_failure(self, fixture, verdict, reason):
        rc, out = run(os.path.join(FIX, fixture))
        self.assertEqual(rc, 1, out)
        self.assertIn(f": {verdict} - {reason}", out)
        self.assertIn("0 passed", out.splitlines()[-1])

    def test_silent_image_is_a_failure(self):
        self.expect_failure("silent.toml", "CRASH", "silent: the image printed nothing for 2 s")

    def test_hang_is_a_timeout(self):
        self.expect_failure("hang.toml", "TIMEOUT", "no exit within 3 s")

    def test_failing_test_fails_the_run(self):
        rc, out = run(os.path.join(FIX, "failing.toml"))
        self.assertEqual(rc, 1, out)
        self.assertIn(": FAIL - 1 test(s) failed", out)
        self.assertIn("FAIL fail_demo.deliberate_failure: this failure is deliberate", out)
        self.assertTrue(out.rstrip().endswith("system: 0 passed, 1 failed"), out)

    def test_panic_is_a_crash(self):
        self.expect_failure("panic.toml", "CRASH", "the hypervisor panicked")

    def test_missing_expected_test_is_a_crash(self):
        rc, out = run(os.path.join(FIX, "missing-test.toml"))
        self.assertEqual(rc, 1, out)
        self.assertIn("expected tests missing: boot.no_such_test", out)

    def test_no_test_block_is_a_crash(self):
        self.expect_failure("no-test-block.toml", "CRASH", "no complete TEST-BEGIN/TEST-END block")

    def test_selection_and_junit(self):
        with tempfile.TemporaryDirectory() as d:
            xml = os.path.join(d, "out.xml")
            rc, out = run(FIX, "-k", "fail*", "--junit", xml)
            self.assertEqual(rc, 1, out)
            self.assertIn("failing:", out)
            self.assertNotIn("silent:", out)
            root = ET.parse(xml).getroot()
            cases = root.findall(".//testcase")
            self.assertEqual([c.get("name") for c in cases], ["fail_demo.deliberate_failure"])
            self.assertIsNotNone(cases[0].find("failure"))

    def test_a_good_scenario_passes(self):
        rc, out = run(os.path.join(HERE, "scenarios", "boot-selftest.toml"))
        self.assertEqual(rc, 0, out)
        self.assertTrue(out.rstrip().endswith("system: 4 passed, 0 failed"), out)

    def test_bad_scenario_file_is_rejected(self):
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
            f.write('image = "x"\nbogus = 1\n')
        try:
            rc, out = run(f.name)
            self.assertEqual(rc, 2, out)
            self.assertIn("unknown key(s): bogus", out)
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
