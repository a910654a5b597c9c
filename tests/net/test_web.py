# SPDX-License-Identifier: MIT
"""The whole-system network check (docs/net-guests.md): net-dom with the web
guest (lwIP) behind it, the uplink on QEMU's user network (SLIRP) with a
hostfwd from a loopback port of the host to the guest's port 80.

In each mode of the guest's port (the description tests/net/net-web.toml,
its port's mode changed and packed at test time with the built images):
Apache Bench from the host makes a few hundred requests, one per
connection, and none may fail; the guest pings SLIRP's gateway 10.0.2.2 at
start and every ping must be answered; an unknown path gets a 404.

Only loopback and SLIRP's own addresses are reached: SLIRP answers the
gateway's pings itself, and the guest sends nowhere else.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("CLOISON_BUILD", os.path.join(ROOT, "build"))
TEMPLATE = os.path.join(HERE, "net-web.toml")
REQUESTS = 300
CONCURRENCY = 4
# Only turns a hang into a failure; nothing waits on it when all is well.
TIMEOUT = 120.0
QEMU = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3", "-cpu",
        "cortex-a57", "-m", "512M", "-nographic", "-monitor", "none", "-serial", "stdio",
        "-nic", "none", "-global", "virtio-mmio.force-legacy=false"]


def abi_py():
    for dirpath, _, files in os.walk(os.path.join(BUILD, "hyp")):
        if "cloison_abi.py" in files:
            return os.path.join(dirpath, "cloison_abi.py")
    raise AssertionError("no cloison_abi.py under %s: build first (./tests/run builds)" % BUILD)


def pack(mode, out_dir):
    """The description with the web port in `mode`, packed; the image's path."""
    with open(TEMPLATE) as f:
        text = f.read()
    port = 'ip = ["10.0.2.16"]\n'
    assert port in text
    toml = os.path.join(out_dir, "net-web-%s.toml" % mode)
    with open(toml, "w") as f:
        f.write(text.replace(port, port + 'mode = "%s"\n' % mode))
    image = os.path.join(out_dir, "net-web-%s.elf" % mode)
    images = ":".join(os.path.join(BUILD, d) for d in ("net-dom", "domains/guests/web"))
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "toolstack"), CLOISON_ABI_PY=abi_py())
    p = subprocess.run([sys.executable, "-m", "cloison", "pack", toml, "--hyp",
                        os.path.join(BUILD, "hyp", "hyp.elf"), "--image-path", images,
                        "-o", image], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise AssertionError("cloison pack (%s mode) failed:\n%s" % (mode, p.stdout))
    return image


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class System:
    """QEMU running an image, its console collected line by line."""

    def __init__(self, image, host_port):
        cmd = QEMU + ["-netdev", "user,id=up,net=10.0.2.0/24,hostfwd=tcp:127.0.0.1:%d-10.0.2.16:80"
                      % host_port,
                      "-device", "virtio-net-device,netdev=up,bus=virtio-mmio-bus.0,"
                      "mac=52:54:00:12:34:56", "-kernel", image]
        self.console = []
        self.qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.qemu.stdout:
            self.console.append(line.decode("utf-8", "replace").rstrip("\r\n"))

    def wait_for(self, pattern):
        """The first console line matching pattern (a regex), or fail."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for line in list(self.console):
                m = rx.search(line)
                if m:
                    return m
            if self.qemu.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError("console never showed %r; its tail:\n%s"
                             % (pattern, "\n".join(self.console[-30:])))

    def stop(self):
        self.qemu.kill()
        self.qemu.wait()
        self.reader.join(5)
        self.qemu.stdout.close()


class WebThroughNetDom(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cloison-net-web-")
        if not shutil.which("ab"):
            raise AssertionError("ab (Debian apache2-utils) is missing: "
                                 "toolstack/lib/deps.sh installs it")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def check_mode(self, mode):
        image = pack(mode, self.tmp)
        port = free_port()
        sys_ = System(image, port)
        try:
            sys_.wait_for(r"web: 10\.0\.2\.16 on port net .* serving http on port 80")
            ping = sys_.wait_for(r"web: ping 10\.0\.2\.2: (\d+)/(\d+) replies")
            self.assertEqual(ping.group(1), ping.group(2),
                             "%s mode: the gateway's pings went unanswered" % mode)
            url = "http://127.0.0.1:%d/" % port
            ab = subprocess.run(["ab", "-n", str(REQUESTS), "-c", str(CONCURRENCY), "-s", "60",
                                 url], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, timeout=600)
            out = ab.stdout
            done = re.search(r"^Complete requests:\s+(\d+)", out, re.M)
            failed = re.search(r"^Failed requests:\s+(\d+)", out, re.M)
            self.assertEqual(ab.returncode, 0, "%s mode: ab failed:\n%s" % (mode, out))
            self.assertIsNotNone(done, out)
            self.assertEqual(int(done.group(1)), REQUESTS, out)
            self.assertEqual(int(failed.group(1)), 0, "%s mode:\n%s" % (mode, out))
            self.assertNotIn("Non-2xx responses", out)
            rate = re.search(r"^Requests per second:\s+([\d.]+)", out, re.M)
            print("\n%s mode: %d requests, 0 failed, %s requests/s (host time)"
                  % (mode, REQUESTS, rate.group(1) if rate else "?"), file=sys.stderr)
            with urllib.request.urlopen(url, timeout=30) as r:
                body = r.read().decode()
            self.assertIn("Hello from a Cloison guest", body)
            with self.assertRaises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(url + "nothing-here", timeout=30)
            self.assertEqual(e.exception.code, 404)
            self.assertFalse(any("panic" in line for line in sys_.console),
                             "\n".join(sys_.console[-30:]))
        finally:
            sys_.stop()

    def test_bridge_mode_ab_and_ping(self):
        self.check_mode("bridge")

    def test_router_mode_ab_and_ping(self):
        self.check_mode("router")


if __name__ == "__main__":
    unittest.main()
