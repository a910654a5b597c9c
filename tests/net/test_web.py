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

Then byte for byte, with the uplink on a `-netdev dgram` socket this script
owns (the rig's way, tests/net/rig.py) and playing the gateway: the guest's
ARP for its gateway and its pings are well-formed and get answered, and the
guest answers ARP for its address and ping with the request's id, sequence
and data and correct checksums.
"""
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

try:
    from . import rig
except ImportError:
    import rig

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
    """QEMU running an image, its console collected line by line; the
    uplink (virtio-mmio transport 0) on `netdev`."""

    def __init__(self, image, netdev):
        cmd = QEMU + ["-netdev", netdev,
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
        sys_ = System(image, "user,id=up,net=10.0.2.0/24,hostfwd=tcp:127.0.0.1:%d-10.0.2.16:80"
                      % port)
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
            # The front end's counters: every frame sent completed or in
            # flight, notifications batched (never more than requests
            # queued), and the figures per frame for docs/net-guests.md.
            with urllib.request.urlopen(url + "stats", timeout=30) as r:
                st = dict(line.split() for line in r.read().decode().splitlines())
            st = {k: int(v) for k, v in st.items()}
            self.assertGreaterEqual(st["served"], REQUESTS)
            self.assertLessEqual(st["tx_done"], st["tx"])
            self.assertGreaterEqual(st["tx_done"], st["tx"] - 64)
            self.assertGreater(st["rx"], REQUESTS)
            self.assertLessEqual(st["notifies"], st["tx"] + st["rx"])
            print("%s mode: %d frames sent, %d received, %.2f notifications to net-dom and "
                  "%.2f interrupts per frame" % (mode, st["tx"], st["rx"],
                  st["notifies"] / (st["tx"] + st["rx"]),
                  st["interrupts"] / (st["tx"] + st["rx"])), file=sys.stderr)
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


GUEST_MAC = bytes.fromhex("020000000010")
GW_MAC = bytes.fromhex("52550a000202")
GUEST_IP, GW_IP = "10.0.2.16", "10.0.2.2"


class WebGuestByteExact(unittest.TestCase):
    """The uplink is this script: it answers the guest's ARP and pings as
    the gateway would, then pings the guest and asks its MAC."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cloison-net-web-raw-")
        self.up_h = os.path.join(self.tmp, "up.h")
        self.up_q = os.path.join(self.tmp, "up.q")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.up_h)
        image = pack("bridge", self.tmp)
        self.sys = System(image, "dgram,id=up,local.type=unix,local.path=%s,remote.type=unix,"
                          "remote.path=%s" % (self.up_q, self.up_h))

    def tearDown(self):
        self.sys.stop()
        self.sock.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def send(self, frame):
        self.sock.sendto(frame, self.up_q)

    def frames(self):
        """Frames from the uplink until TIMEOUT (a hang turns into a failure)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                yield self.sock.recv(4096)
            except socket.timeout:
                break
        raise AssertionError("no frame came; console tail:\n" + "\n".join(self.sys.console[-20:]))

    def check_ipv4(self, payload, proto, src, dst):
        self.assertEqual(payload[0], 0x45)
        self.assertEqual(rig.csum(payload[:20]), 0, "IPv4 header checksum")
        self.assertEqual(payload[9], proto)
        self.assertEqual(payload[12:16], socket.inet_aton(src))
        self.assertEqual(payload[16:20], socket.inet_aton(dst))
        total = struct.unpack("!H", payload[2:4])[0]
        return payload[20:total]

    def test_guest_arp_and_ping_byte_exact(self):
        answered = 0
        frames = self.frames()
        # The guest pings its gateway at start: ARP first, then 3 echoes.
        for f in frames:
            dst, src, vid, _, etype, p = rig.parse(f)
            self.assertEqual(src, GUEST_MAC)
            self.assertIsNone(vid)
            if etype == 0x0806:
                self.assertEqual(dst, b"\xff" * 6)
                self.assertEqual(p[:8], struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1))
                self.assertEqual(p[8:14], GUEST_MAC)
                self.assertEqual(p[14:18], socket.inet_aton(GUEST_IP))
                if p[24:28] == socket.inet_aton(GUEST_IP):
                    continue  # lwIP announces its address when the port comes up
                self.assertEqual(p[24:28], socket.inet_aton(GW_IP))
                self.send(rig.eth(GUEST_MAC, GW_MAC, 0x0806,
                                  rig.arp(2, GW_MAC, GW_IP, GUEST_MAC, GUEST_IP)))
                continue
            self.assertEqual(etype, 0x0800)
            self.assertEqual(dst, GW_MAC)
            icmp = self.check_ipv4(p, 1, GUEST_IP, GW_IP)
            self.assertEqual(rig.csum(icmp), 0, "ICMP checksum")
            self.assertEqual(icmp[0], 8)
            ident, seq = struct.unpack("!HH", icmp[4:8])
            self.assertEqual(seq, answered + 1)
            self.send(rig.eth(GUEST_MAC, GW_MAC, 0x0800,
                              rig.ipv4(GW_IP, GUEST_IP, 1, rig.icmp_echo(ident, seq, icmp[8:], 0))))
            answered += 1
            if answered == 3:
                break
        self.sys.wait_for(r"web: ping 10\.0\.2\.2: 3/3 replies")

        # The guest answers ARP for its own address...
        self.send(rig.eth(b"\xff" * 6, GW_MAC, 0x0806,
                          rig.arp(1, GW_MAC, GW_IP, bytes(6), GUEST_IP)))
        # ... and ping, with the request's id, sequence and data.
        data = bytes(range(56))
        self.send(rig.eth(GUEST_MAC, GW_MAC, 0x0800,
                          rig.ipv4(GW_IP, GUEST_IP, 1, rig.icmp_echo(0x1234, 7, data))))
        got_arp = got_echo = False
        for f in frames:
            dst, src, _, _, etype, p = rig.parse(f)
            self.assertEqual((dst, src), (GW_MAC, GUEST_MAC))
            if etype == 0x0806:
                self.assertEqual(p, rig.arp(2, GUEST_MAC, GUEST_IP, GW_MAC, GW_IP))
                got_arp = True
            else:
                icmp = self.check_ipv4(p, 1, GUEST_IP, GW_IP)
                self.assertEqual(icmp, rig.icmp_echo(0x1234, 7, data, 0))
                got_echo = True
            if got_arp and got_echo:
                break


if __name__ == "__main__":
    unittest.main()
