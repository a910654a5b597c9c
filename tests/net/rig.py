# SPDX-License-Identifier: MIT
"""The network test rig (docs/net-dom.md, "Test rig"): QEMU boots
test-net-rig.elf (net-rig.toml) with the uplink and every relay domain's NIC
on a `-netdev dgram` unix socket; this script owns the other end of each,
so it sends and receives every port's frames byte for byte.

Negative checks never wait on the clock: `settle(port)` sends a barrier
frame (a broadcast of EtherType 0x88B5 with a sequence number) from the
port the frames under test came from, waits for it to come out anywhere
(then net-dom has processed everything that port sent before it: per
ingress order is FIFO), then sends a barrier from each routed port, which
reaches every port: once those have arrived everywhere, every frame
net-dom sent before them has too. Timeouts only turn a hang into a failure.
"""
import os
import select
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("CLOISON_BUILD", os.path.join(ROOT, "build"))
IMAGE = os.path.join(BUILD, "tests", "net", "test-net-rig.elf")
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
from runner import QEMU as QEMU_BIN, QEMU_BASE  # noqa: E402  (the same machine)
QEMU = [QEMU_BIN] + QEMU_BASE
TIMEOUT = 20.0
RESEND = 2.0

BCAST = b"\xff" * 6
UP_MAC = bytes.fromhex("020000000001")
GW_SIDE_MAC = b"\xfe\xff\xff\xff\xff\xff"   # net-dom's MAC on router ports
ETH_BARRIER = 0x88B5
ETH_RELAY_CMD = 0x88B6
DROPS = ["spoof-mac", "spoof-ip", "spoof-arp", "ethertype", "vlan", "len", "queue-full",
         "rate", "arp-pending", "fragment", "nat-quota", "no-mapping", "ttl", "no-route",
         "disabled", "nat-proto", "too-big"]
FIELDS = ["disabled", "in_frames", "in_bytes", "out_frames", "out_bytes", "hdr_copied",
          "payload_copied", "first_in", "last_in", "freq", "learned", "posted", "stray"]


class Port:
    """One port of net-rig.toml as the host sees it."""

    def __init__(self, name, index, transport, mac, ips=(), vids=(), pvid=None,
                 router=False, tagged_pvid=False):
        self.name, self.index, self.transport = name, index, transport
        self.mac = bytes.fromhex(mac.replace(":", "")) if mac else None
        self.ips = [socket.inet_aton(a) for a in ips]
        self.vids, self.pvid, self.router = set(vids), pvid, router
        self.tagged_pvid = tagged_pvid


# The same table as net-rig.toml (index = net-dom's port number).
PORTS = [
    Port("up", 0, 0, "02:00:00:00:00:01", ["10.0.2.15"], [1, 10, 20, 30, 31, 40], 1),
    Port("g0", 1, 8, "02:00:00:00:00:10", ["10.0.0.10"], [10], 10),
    Port("g1", 2, 9, "02:00:00:00:00:11", ["10.0.0.11"], [10], 10),
    Port("g2", 3, 10, "02:00:00:00:00:20", ["10.0.0.20"], [20], 20),
    Port("g3", 4, 11, "02:00:00:00:00:30", [], [10, 20, 30, 31], 10, tagged_pvid=True),
    Port("g4", 5, 12, "02:00:00:00:00:40", ["10.0.0.40"], [20, 30], None),
    Port("g5", 6, 13, "02:00:00:00:00:50", ["10.0.2.50"], [1], 1, router=True),
    Port("g6", 7, 14, "02:00:00:00:00:60", ["10.0.2.60", "10.0.2.61"], [1], 1, router=True),
    Port("g7", 8, 15, "02:00:00:00:00:70", ["10.0.0.70"], [10, 40], 10),
    Port("h0", 9, 16, "02:00:00:00:01:00", ["10.0.0.100"], [10], 10),
    Port("h1", 10, 17, "02:00:00:00:01:01", ["10.0.0.101"], [10], 10),
    Port("h2", 11, 18, "02:00:00:00:01:02", ["10.0.0.102"], [10], 10),
    Port("n0", 12, 19, "02:00:00:00:02:00", ["192.168.1.10"], [1], 1, router=True),
    Port("n1", 13, 20, "02:00:00:00:02:01", ["192.168.1.11"], [1], 1, router=True),
    Port("n2", 14, 21, "02:00:00:00:02:02", ["192.168.1.12"], [1], 1, router=True),
]
BY_NAME = {p.name: p for p in PORTS}
RATE_BYTES, RATE_US = 64 * 1024 * 50000 // 1000000, 50000   # h0: "64K/s@50ms"


def eth(dst, src, etype, payload=b"", vid=None, pcp=0, tpid=0x8100):
    tag = struct.pack("!HH", tpid, pcp << 13 | vid) if vid is not None else b""
    return dst + src + tag + struct.pack("!H", etype) + payload


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(src, dst, proto, payload, ttl=64, ident=1, flags=0x4000):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, flags, ttl, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def icmp_echo(ident, seq, data, typ=8):
    h = struct.pack("!BBHHH", typ, 0, 0, ident, seq) + data
    return h[:2] + struct.pack("!H", csum(h)) + h[4:]


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, sha, socket.inet_aton(spa), tha,
                       socket.inet_aton(tpa))


def parse(frame):
    """(dst, src, vid or None, pcp, ethertype, payload)."""
    dst, src, t = frame[:6], frame[6:12], struct.unpack("!H", frame[12:14])[0]
    if t == 0x8100:
        tci, t = struct.unpack("!HH", frame[14:18])
        return dst, src, tci & 0xfff, tci >> 13, t, frame[18:]
    return dst, src, None, 0, t, frame[14:]


class Rig:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="cloison-net-")
        self.socks, self.queues = {}, {}
        self.console = []
        self.seq = 0
        self.disabled = set()   # ports a test disabled: no barrier reaches them
        self.lock = threading.Condition()
        self.stopping = False
        cmd = QEMU + ["-kernel", IMAGE]
        for p in PORTS:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(self.path(p, "h"))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
            self.socks[p.name] = s
            self.queues[p.name] = []
            cmd += ["-netdev", "dgram,id=%s,local.type=unix,local.path=%s,remote.type=unix,"
                    "remote.path=%s" % (p.name, self.path(p, "q"), self.path(p, "h")),
                    "-device", "virtio-net-device,netdev=%s,mac=%s,bus=virtio-mmio-bus.%d"
                    % (p.name, p.mac.hex(":"), p.transport)]
        self.qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.threads = [threading.Thread(target=self._console, daemon=True),
                        threading.Thread(target=self._frames, daemon=True)]
        for t in self.threads:
            t.start()
        self.wait_console("relaying 8 ports")
        self.wait_console("relaying 6 ports")
        self.wait_console("switching 15 ports")
        # Every relay has posted its receive buffers: the rig is ready.
        deadline = time.monotonic() + TIMEOUT
        while any(self.counters(p.name)["posted"] < 16 for p in PORTS[1:]):
            if time.monotonic() > deadline:
                raise AssertionError("rig: the relays never posted their buffers")

    def path(self, p, end):
        return os.path.join(self.dir, "%s.%s" % (p.name, end))

    # -- background readers --------------------------------------------------

    def _console(self):
        for line in iter(self.qemu.stdout.readline, b""):
            with self.lock:
                self.console.append(line.decode("utf-8", "replace").rstrip("\r\n"))
                self.lock.notify_all()

    def _frames(self):
        by_fd = {s.fileno(): name for name, s in self.socks.items()}
        while not self.stopping:
            r, _, _ = select.select(list(self.socks.values()), [], [], 0.2)
            for s in r:
                frame = s.recv(4096)
                with self.lock:
                    self.queues[by_fd[s.fileno()]].append(frame)
                    self.lock.notify_all()

    def _wait(self, cond, what, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        with self.lock:
            while not cond():
                left = deadline - time.monotonic()
                if left <= 0 or self.qemu.poll() is not None:
                    raise AssertionError("rig: %s never happened; console tail:\n%s"
                                         % (what, "\n".join(self.console[-30:])))
                self.lock.wait(min(left, 0.5))

    def wait_console(self, text):
        self._wait(lambda: any(text in line for line in self.console), "console %r" % text)

    def close(self):
        self.stopping = True
        self.qemu.kill()
        self.qemu.wait()
        for t in self.threads:
            t.join(5)
        self.qemu.stdout.close()
        for s in self.socks.values():
            s.close()
        for name in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, name))
        os.rmdir(self.dir)

    # -- frames ---------------------------------------------------------------

    def send(self, port, frame):
        p = BY_NAME[port]
        self.socks[port].sendto(frame, self.path(p, "q"))

    def take(self, port):
        """Every frame received on `port` so far (barriers left out)."""
        with self.lock:
            out = [f for f in self.queues[port] if not self._is_barrier(f)]
            self.queues[port] = []
        return out

    @staticmethod
    def _is_barrier(f):
        return parse(f)[4] == ETH_BARRIER and f[:6] == BCAST

    def _barrier_frame(self, port):
        self.seq += 1
        p = BY_NAME[port]
        vid = min(p.vids) if p.pvid is None else None
        return eth(BCAST, p.mac, ETH_BARRIER, b"BARR" + struct.pack("!Q", self.seq), vid=vid), \
            self.seq

    def _barrier_seen(self, port, seqs):
        want = {struct.pack("!Q", s) for s in seqs}
        for f in self.queues[port]:
            if self._is_barrier(f) and parse(f)[5][4:12] in want:
                return True
        return False

    def settle(self, *ingress):
        """Everything sent before from `ingress` (all ports if none) has
        been processed and every frame net-dom sent has arrived."""
        live = [p.name for p in PORTS if p.name not in self.disabled]
        for port in ingress or live:
            self._barrier(port, lambda seqs: any(self._barrier_seen(q, seqs) for q in live
                                                 if q != port))
        for router in ("g5", "g6"):
            self._barrier(router, lambda seqs: all(self._barrier_seen(q, seqs) for q in live
                                                   if q != router))

    def _barrier(self, port, arrived):
        """Send barriers from `port` until arrived(seqs sent) holds. A
        barrier may itself be dropped where a port's buffers are full (it
        is a frame like the others): another one is sent every RESEND
        seconds, and any later one proves as much (per-ingress FIFO)."""
        seqs = []
        deadline = time.monotonic() + TIMEOUT
        while True:
            f, seq = self._barrier_frame(port)
            seqs.append(seq)
            self.send(port, f)
            try:
                self._wait(lambda: arrived(seqs), "barrier %s from %s" % (seqs, port),
                           min(RESEND, deadline - time.monotonic()))
                return
            except AssertionError:
                if time.monotonic() >= deadline:
                    raise

    def exchange(self, port, *frames, settle=None):
        """Send frames from `port`, settle, return {port: [frames received]}."""
        for f in frames:
            self.send(port, f)
        self.settle(*(settle or [port]))
        return {p.name: self.take(p.name) for p in PORTS}

    # -- control frames (net-dom's test build) --------------------------------

    HOST_MAC = bytes.fromhex("0200000000fe")

    def ctl(self, payload):
        self.send("up", eth(UP_MAC, self.HOST_MAC, ETH_BARRIER, payload))
        want = payload[0] | 0x80

        def got():
            return any(parse(f)[4] == ETH_BARRIER and f[:6] == self.HOST_MAC and
                       parse(f)[5][0] == want for f in self.queues["up"])
        self._wait(got, "control answer %d" % payload[0])
        with self.lock:
            for i, f in enumerate(self.queues["up"]):
                if parse(f)[4] == ETH_BARRIER and f[:6] == self.HOST_MAC and parse(f)[5][0] == want:
                    del self.queues["up"][i]
                    return parse(f)[5]

    def reset(self):
        self.ctl(b"\x01")
        self.settle()
        for p in PORTS:
            self.take(p.name)

    def counters(self, port):
        data = self.ctl(bytes([2, BY_NAME[port].index]))
        vals = struct.unpack_from("<%dQ" % (len(DROPS) + len(FIELDS)), data, 2)
        out = dict(zip(DROPS + FIELDS, vals))
        return out

    def advance(self, seconds):
        self.ctl(struct.pack("<BI", 3, seconds))

    def relay_command(self, port, cmd):
        p = BY_NAME[port]
        self.send(port, eth(BCAST, p.mac, ETH_RELAY_CMD, bytes([cmd])))


class RigCase(unittest.TestCase):
    """A test class on one rig boot, the switch's state reset before each
    test (tests/net/test_netdom.py, tests/net/test_nat.py)."""
    rig = None

    @classmethod
    def setUpClass(cls):
        cls.rig = Rig()

    @classmethod
    def tearDownClass(cls):
        cls.rig.close()

    def setUp(self):
        self.rig.reset()

    def only(self, got, where):
        """Frames arrived exactly on the ports of `where` ({port: [frames]})."""
        for p in PORTS:
            self.assertEqual(got[p.name], where.get(p.name, []),
                             "frames on %s" % p.name)

    def drops(self, port, reason):
        return self.rig.counters(port)[reason]
