# SPDX-License-Identifier: MIT
"""The seed's check in NAT mode: `ab` from the host, through QEMU's user
network with a hostfwd to net-dom's uplink address, a static port forward
(tcp:8080:80, NAT-11) and NAT, reaches the web guest's HTTP server
(docs/net-nat.md); the guest's pings of the gateway come back through the
translation. The system is tests/system/systems/net-counters.toml
(net-dom's release build), booted with test_web.py's helpers.
Run: ./tests/run --only net"""
import os
import re
import subprocess
import sys
import unittest

from test_web import BUILD, CONCURRENCY, REQUESTS, System, free_port

IMAGE = os.path.join(BUILD, "tests", "system", "test-net-counters.elf")


@unittest.skipUnless(os.path.exists(IMAGE), "test-net-counters.elf not built")
class WebBehindNat(unittest.TestCase):
    def test_NAT_11_ab_through_a_port_forward_and_ping(self):
        port = free_port()
        sys_ = System(IMAGE, "user,id=up,net=10.0.2.0/24,hostfwd=tcp:127.0.0.1:%d-10.0.2.15:8080"
                      % port)
        try:
            sys_.wait_for(r"web: 192\.168\.1\.10 on port net .* serving http on port 80")
            ping = sys_.wait_for(r"web: ping 10\.0\.2\.2: (\d+)/(\d+) replies")
            self.assertEqual(ping.group(1), ping.group(2), "the gateway's pings went unanswered")
            ab = subprocess.run(["ab", "-n", str(REQUESTS), "-c", str(CONCURRENCY), "-s", "60",
                                 "http://127.0.0.1:%d/" % port], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, timeout=600)
            out = ab.stdout
            self.assertEqual(ab.returncode, 0, out)
            self.assertRegex(out, r"(?m)^Complete requests:\s+%d$" % REQUESTS)
            self.assertRegex(out, r"(?m)^Failed requests:\s+0$")
            self.assertNotIn("Non-2xx responses", out)
            rate = re.search(r"(?m)^Requests per second:\s+([\d.]+)", out)
            print("\nNAT mode: %d requests, 0 failed, %s requests/s (host time)"
                  % (REQUESTS, rate.group(1) if rate else "?"), file=sys.stderr)
            self.assertFalse(any("panic" in line or "disabled" in line for line in sys_.console),
                             "\n".join(sys_.console[-30:]))
        finally:
            sys_.stop()


if __name__ == "__main__":
    unittest.main()
