# SPDX-License-Identifier: MIT
"""The README's commands as a user meets them: `--help` of both, and
toolstack/run booting the default system, the verbose one and an image of
one's own, with dom0's shell driven over QEMU's serial console (keys typed
one by one, escape sequences, backspace, Ctrl-U, history) and the console
copied to a log file. These boot QEMU: they need the build tests/run made
(CLOISON_BUILD)."""

import os
import re
import shutil
import socket
import struct
import subprocess
import threading
import time
import unittest

import support

RUN = os.path.join(support.ROOT, "toolstack", "run")
TESTS_RUN = os.path.join(support.ROOT, "tests", "run")
BUILD = os.environ.get("CLOISON_BUILD", os.path.join(support.ROOT, "build"))
UP, DOWN, BACKSPACE, CTRL_U, CTRL_C = "\x1b[A", "\x1b[B", "\x7f", "\x15", "\x03"
CTRL_BRACKET = "\x1d"  # moves the console input to the next domain holding it


class Console:
    """toolstack/run with its console on pipes: type into it, wait for text."""

    def __init__(self, *args, env=None):
        self.p = subprocess.Popen([RUN] + list(args), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  env=dict(os.environ, CLOISON_BUILD=BUILD, **(env or {})),
                                  start_new_session=True)
        self.out = b""
        self.mark = 0
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for chunk in iter(lambda: self.p.stdout.read1(4096), b""):
            with self.lock:
                self.out += chunk

    def raw(self):
        with self.lock:
            return self.out.decode("utf-8", "replace").replace("\r\n", "\n")

    def text(self):
        """The console as a terminal shows it: the hypervisor erases a
        character of the line being typed with "\\b \\b"."""
        return render(self.raw())

    def wait(self, what, timeout=60):
        """Wait for `what` (text or compiled regex) after the last mark."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            t = self.text()[self.mark:]
            m = what.search(t) if hasattr(what, "search") else None
            i = t.find(what) if m is None and isinstance(what, str) else -1
            if m or i >= 0:
                end = m.end() if m else i + len(what)
                # Only whole lines are final: the line being typed can still
                # be edited, so the mark stays at its start.
                self.mark += t.rfind("\n", 0, end) + 1
                return t[:end]
            if self.p.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError("console never showed %r; it shows:\n%s"
                             % (getattr(what, "pattern", what), self.text()[-3000:]))

    def type(self, keys, pause=0.02):
        """Send the keys one at a time, as a person types."""
        for k in keys:
            self.p.stdin.write(k.encode())
            self.p.stdin.flush()
            time.sleep(pause)

    def showing(self, line, timeout=30):
        """Wait until the line being typed is `line` (the console's end)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.text().endswith(line):
                return
            time.sleep(0.05)
        raise AssertionError("the console's last line is not %r; it shows:\n%s"
                             % (line, self.text()[-3000:]))

    def command(self, line_keys, echoed):
        """Type a line (keys, then Enter) at the prompt; wait for its echo."""
        self.wait("[dom0] dom0> ")
        self.type(line_keys + "\r")
        self.wait("[dom0] dom0> %s\n" % echoed)


    def close(self):
        if self.p.poll() is None:
            self.p.stdin.write(b"\x01x")  # Ctrl-A x: QEMU quits
            self.p.stdin.flush()
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.p.pid, 9)
                self.p.wait()
        self.reader.join(5)
        self.p.stdout.close()
        self.p.stdin.close()


def render(raw):
    """Apply the console's erase sequence, "\\b \\b", to the line it ends."""
    out = []
    i = 0
    while i < len(raw):
        if raw.startswith("\b \b", i):
            if out and out[-1] != "\n":
                out.pop()
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


class HelpTest(support.WorkDirTest):
    def check_help(self, cmd, first):
        missing = os.path.join(self.tmp, "no-build-here")
        t0 = time.monotonic()
        res = subprocess.run([cmd, "--help"], capture_output=True, text=True, timeout=30,
                             env=dict(os.environ, CLOISON_BUILD=missing))
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertTrue(res.stdout.startswith(first), res.stdout[:200])
        self.assertNotIn("usage: qemu", res.stdout)  # not QEMU's own help
        self.assertEqual(res.stderr, "")       # nothing installed, configured or built
        self.assertFalse(os.path.exists(missing))
        self.assertLess(time.monotonic() - t0, 10)
        return res.stdout

    def test_run_help(self):
        out = self.check_help(RUN, "usage: toolstack/run ")
        for opt in ("--verbose", "--log FILE", "--build-only", "IMAGE.ELF", "CLOISON_IMAGE"):
            self.assertIn(opt, out)

    def test_bench_run_help(self):
        out = self.check_help(os.path.join(support.ROOT, "tests", "bench", "run"),
                               "usage: tests/bench/run ")
        self.assertIn("--timeout", out)

    def test_tests_run_help(self):
        out = self.check_help(TESTS_RUN, "usage: tests/run ")
        self.assertIn("--only", out)


class ShellTest(support.WorkDirTest):
    """dom0's shell on the default system, as toolstack/run boots it."""

    def test_shell_keys_history_and_log(self):
        log = os.path.join(self.tmp, "console.log")
        c = Console("--log", log)
        try:
            c.wait("[dom0] control domain ready: 12 domains; type help\n")
            # Backspace edits the line: "lisx<BS>t" runs list.
            c.command("lisx" + BACKSPACE + "t", "list")
            listing = c.wait(re.compile(r"\[dom0\] logger .*\n"))
            self.assertRegex(listing, r"\[dom0\] dom0 +domain 0, running +this shell\n")
            life = "start,stop,resume,destroy,query"
            for n, name, rights in ((1, "guest1", life), (2, "guest2", life),
                                    (3, "echo", "query"), (4, "pinger", "query"),
                                    (5, "storage", "query,connect"), (6, "logger", "query")):
                self.assertRegex(listing, r"\[dom0\] %s +domain %d, running +cpu +\d+ ms, "
                                 r"rights %s\n" % (name, n, rights))
            # Ctrl-U erases what was typed; spaces around words do not matter.
            c.command("junk" + CTRL_U + "  info   echo  ", "  info   echo  ")
            c.wait(re.compile(r"\[dom0\] echo +domain 3, running"))
            # Keys show as they are typed, edits included, before Enter.
            c.wait("[dom0] dom0> ")
            c.type("infx")
            c.showing("[dom0] dom0> infx")
            c.type(BACKSPACE)
            c.showing("[dom0] dom0> inf")
            c.type(CTRL_U)
            c.showing("[dom0] dom0> ")
            # History: up twice is list, down once is "info echo" again,
            # each replacing the line on screen.
            c.type(UP)
            c.showing("[dom0] dom0>   info   echo  ")
            c.type(UP)
            c.showing("[dom0] dom0> list")
            c.type(DOWN)
            c.showing("[dom0] dom0>   info   echo  ")
            c.type("\r")
            c.wait("[dom0] dom0>   info   echo  \n")
            c.wait(re.compile(r"\[dom0\] echo +domain 3, running"))
            # Up on a fresh line recalls, and edits apply to the recalled line.
            c.wait("[dom0] dom0> ")
            c.type(UP + CTRL_U + "info guest9")
            c.type(BACKSPACE + "2\r")
            c.wait("[dom0] dom0> info guest2\n")
            c.wait(re.compile(r"\[dom0\] guest2 +domain 2, running"))
            # Extra arguments are reported, not ignored.
            c.command("stop guest1 now", "stop guest1 now")
            c.wait("[dom0] stop: unexpected argument 'now' (usage: stop NAME)\n")
            c.command("list all", "list all")
            c.wait("[dom0] list: unexpected argument 'all' (usage: list)\n")
            c.command("info dom0", "info dom0")
            c.wait("[dom0] info: no domain named 'dom0' (that is this shell)\n")
            # Ctrl-C drops the line; an over-long line is refused whole.
            c.wait("[dom0] dom0> ")
            c.type("destroy guest1" + CTRL_C)
            c.wait("[dom0] dom0> destroy guest1^C\n")
            c.type("x" * 70 + "\r")
            c.wait("[dom0] line too long: at most 63 characters\n")
            c.command("stop guest1", "stop guest1")
            c.wait("[dom0] stop guest1: ok\n")
            c.command("info guest1", "info guest1")
            c.wait(re.compile(r"\[dom0\] guest1 +domain 1, stopped "))
            # A live audit after the change: the hypervisor prints its dump.
            c.command("audit", "audit")
            c.wait(re.compile(r"CLOISON-CAPDUMP DOMAIN name=guest1 state=stopped .*\n"))
            c.wait("CLOISON-CAPDUMP END")
            c.command("poweroff", "poweroff")
            c.wait("[dom0] poweroff: not permitted (error ")
            c.wait("dom0 holds no system cap with the poweroff right\n")
            c.wait("[dom0] dom0> ")
            c.mark = 0
            out = c.text()
        finally:
            c.close()
        # No arrow key ever became a command, and nothing was lost.
        self.assertNotIn("unknown command", out)
        self.assertNotIn("destroy guest1: ok", out)
        # The default system is quiet: no heartbeat, one line from the pinger.
        self.assertNotIn("heartbeat", out)
        self.assertEqual(out.count("[pinger] sent 'ping"), 1, out)
        self.assertIn("[guest1] hello from guest1: domain 1,", out)
        # The log file holds the same console output.
        with open(log, errors="replace") as f:
            logged = render(f.read().replace("\r\n", "\n"))
        for line in ("[dom0] dom0> list\n", "[dom0] stop guest1: ok\n",
                     "[dom0] dom0> destroy guest1^C\n", "[guest1] hello from guest1"):
            self.assertIn(line, logged)
        # ... and the audit checks the live dump in it against the policy.
        from cloison import audit
        a = audit.run(support.DEFAULT_TOML, [os.path.join(BUILD, "domains", d)
                                             for d in ("dom0", "guests", "vmm")]
                      + [os.path.join(BUILD, "storage-dom"), os.path.join(BUILD, "linux-guest"),
                         os.path.join(BUILD, "net-dom")],
                      os.path.join(BUILD, "hyp", "hyp.elf"),
                      image=os.path.join(BUILD, "toolstack", "cloison-default.elf"), live=log)
        status = {ch.id: ch.status for ch in a.checks}
        self.assertEqual(status["live-subset"], "held", status)
        self.assertEqual(status["policy-hash"], "held")
        self.assertFalse(a.violated())

    def test_linux_shell_through_ctrl_bracket(self):
        """The default system's Linux guest (README): Ctrl-] moves the
        console input from dom0's shell to the guest's busybox shell, whose
        prompt and echo show as keys are typed; a command runs in Linux;
        Ctrl-] brings the input back to dom0, whose `list` has the guest."""
        c = Console()
        try:
            c.wait("[dom0] dom0> ")
            # Linux runs below every other domain's priority: its boot takes
            # the time they leave (no wall-clock assumption: generous bounds).
            c.wait("[linux] cloison-guest: init ready\n", 180)
            c.wait("[linux] Enter 'help' for a list of built-in commands.\n", 60)
            c.type(CTRL_BRACKET)
            c.wait("cloison: console input to linux")
            c.wait("[linux] / # ")
            c.type("uname -a")
            # Linux's echo, key by key, before Enter (busybox's line editor
            # first asks the terminal where its cursor is: ESC [ 6 n, shown
            # as ?[6n; a terminal answers it, this test does not).
            c.wait(re.compile(r"\[linux\] / # (\?\[6n)?uname -a$"), 30)
            c.type("\r")
            c.wait(re.compile(r"\[linux\] Linux \S+ 6\.1\.0-\d+-cloud-arm64 .* aarch64"
                              r" GNU/Linux\n"), 60)
            c.type(CTRL_BRACKET)
            c.wait("cloison: console input to dom0")
            c.command("list", "list")
            c.wait(re.compile(r"\[dom0\] linux-guest domain \d+, running "))
        finally:
            c.close()

    def test_verbose_system_has_heartbeats(self):
        c = Console("--verbose")
        try:
            c.wait("[guest1] heartbeat 3 (")
            c.wait("[pinger] sent 'ping 2', the echo service answered 'pong 2'\n")
            c.mark = 0
            self.assertIn("cloison-default-verbose.elf with 512 MiB", c.text())
        finally:
            c.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def readme_ab_lines():
    """The `ab` lines of the README's fenced blocks, as a user types them."""
    with open(os.path.join(support.ROOT, "README.md")) as f:
        return re.findall(r"(?m)^(ab -n \d+ -c \d+ http://127\.0\.0\.1:(\d+)/)$", f.read())


def pcap_frames(path):
    """The Ethernet frames of a pcap file (QEMU's filter-dump writes one)."""
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack("<I", data[:4])
    assert magic == 0xa1b2c3d4, "not a little-endian pcap file"
    assert struct.unpack("<I", data[20:24])[0] == 1, "link type is not Ethernet"
    frames, i = [], 24
    while i + 16 <= len(data):
        caplen = struct.unpack("<I", data[i + 8:i + 12])[0]
        frames.append(data[i + 16:i + 16 + caplen])
        i += 16 + caplen
    return frames


class DefaultNetworkTest(support.WorkDirTest):
    """The default system's network (README, docs/net-dom.md "The default
    system"), booted by toolstack/run as a user boots it: the README's `ab`
    lines, each 300 requests and 0 failed, against web10 (bridged, VLAN 10)
    and webnat (behind NAT); then VLAN isolation from what crossed the
    uplink. The forwarded ports are free ones given by CLOISON_WEB_PORT and
    CLOISON_NAT_PORT instead of 8080 and 8081 (another QEMU may hold those),
    and a QEMU filter-dump on the NIC's netdev (extra QEMU arguments, as a
    user may pass) records every frame between net-dom and the user network."""

    WEB10_MAC = bytes.fromhex("525400000a10")
    WEB20_MAC = bytes.fromhex("525400000a20")

    def test_readme_ab_lines_and_vlan_isolation(self):
        lines = readme_ab_lines()
        self.assertEqual([port for _, port in lines], ["8080", "8081"], lines)
        ports = {"8080": free_port(), "8081": free_port()}
        pcap = os.path.join(self.tmp, "uplink.pcap")
        c = Console("--", "-object", "filter-dump,id=up-dump,netdev=net0,file=" + pcap,
                    env={"CLOISON_WEB_PORT": str(ports["8080"]),
                         "CLOISON_NAT_PORT": str(ports["8081"]),
                         "CLOISON_DISK": os.path.join(self.tmp, "disk.img")})
        try:
            c.wait("cloison: web guests on http://127.0.0.1:%d/ (web10, VLAN 10) and "
                   "http://127.0.0.1:%d/ (webnat, behind NAT)" % (ports["8080"], ports["8081"]))
            c.mark = 0
            # Each guest pings SLIRP's gateway at start: in VLAN 10 and
            # through NAT every echo comes back; VLAN 20's never reach it.
            for line in ("[web10] web: ping 10.0.2.2: 3/3 replies",
                         "[webnat] web: ping 10.0.2.2: 3/3 replies",
                         "[web20] web: ping 10.0.2.2: 0/3 replies"):
                c.mark = 0
                c.wait(line + "\n", 180)
            for line, port in lines:
                cmd = line.replace(":%s/" % port, ":%d/" % ports[port]).split()
                ab = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, timeout=600)
                out = ab.stdout
                self.assertEqual(ab.returncode, 0, "%s:\n%s" % (line, out))
                self.assertRegex(out, r"(?m)^Complete requests:\s+300$", line)
                self.assertRegex(out, r"(?m)^Failed requests:\s+0$", line)
                self.assertNotIn("Non-2xx responses", out, line)
                self.assertRegex(out, r"(?m)^Document Length:\s+169 bytes$", line)
            c.mark = 0
            text = c.text()
        finally:
            c.close()
        # Quiet: 600 requests served and no line about them.
        self.assertNotIn("requests served", text)
        self.assertNotIn("reply seq=", text)
        self.assertNotIn("PANIC", text)
        # What crossed the uplink: web20's frames all left tagged with VID
        # 20 (its ARP requests for the gateway, which SLIRP, untagged, never
        # took), web10's and SLIRP's untagged, and nothing reached web20
        # from the user network.
        frames = pcap_frames(pcap)
        web20 = [f for f in frames if f[6:12] == self.WEB20_MAC]
        web10 = [f for f in frames if f[6:12] == self.WEB10_MAC]
        self.assertTrue(web20, "web20 sent nothing to the uplink")
        self.assertTrue(web10, "web10 sent nothing to the uplink")
        for f in web20:
            self.assertEqual(f[12:14], b"\x81\x00", f.hex())
            self.assertEqual(struct.unpack("!H", f[14:16])[0] & 0xfff, 20, f.hex())
        for f in web10:
            self.assertNotEqual(f[12:14], b"\x81\x00", f.hex())
        self.assertFalse([f for f in frames if f[:6] == self.WEB20_MAC],
                         "a frame to web20 crossed the user network")
        self.assertFalse([f for f in frames if f[6:12] not in (self.WEB10_MAC, self.WEB20_MAC)
                          and f[12:14] == b"\x81\x00"], "a tagged frame from another station")


class OwnImageTest(support.WorkDirTest):
    """An image packed by hand boots with the RAM its description asks for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with open(support.DEFAULT_TOML) as f:
            text = f.read()
        # The store's configs are found beside the description.
        shutil.copytree(os.path.join(os.path.dirname(support.DEFAULT_TOML), "store"),
                        os.path.join(cls.tmp, "store"))
        cls.desc = os.path.join(cls.tmp, "small.toml")
        with open(cls.desc, "w") as f:
            f.write(text.replace('name = "default"', 'name = "small"')
                    .replace('ram = "512M"', 'ram = "256M"'))
        cls.image = os.path.join(cls.tmp, "small.elf")
        cls.pack_args = ["pack", cls.desc, "--hyp", os.path.join(BUILD, "hyp", "hyp.elf"),
                         "--image-path", ":".join([os.path.join(BUILD, "domains", d)
                                                   for d in ("dom0", "guests",
                                                             "guests/guest-hello", "vmm")]
                                                  + [os.path.join(BUILD, "storage-dom"),
                                                     os.path.join(BUILD, "linux-guest"),
                                                     os.path.join(BUILD, "net-dom")]),
                         "-o", cls.image]

    def setUp(self):
        status, out, err = support.run(*self.pack_args)
        self.assertEqual((status, err), (0, ""))

    def boot(self, c):
        try:
            c.wait("cloison: RAM 40000000-50000000")
            c.wait("[dom0] control domain ready")
            c.mark = 0
            return c.text()
        finally:
            c.close()

    def test_argument(self):
        out = self.boot(Console(self.image))
        self.assertIn("booting %s with 256 MiB of RAM" % self.image, out)
        self.assertNotIn("building", out)

    def test_environment(self):
        out = self.boot(Console(env={"CLOISON_IMAGE": self.image}))
        self.assertIn("booting %s with 256 MiB of RAM" % self.image, out)

    def test_qemu_ram_that_disagrees_is_refused(self):
        res = subprocess.run([RUN, self.image, "-m", "512M"], capture_output=True, text=True,
                             timeout=60, env=dict(os.environ, CLOISON_BUILD=BUILD))
        self.assertEqual(res.returncode, 1)
        self.assertIn("was packed for 256 MiB of RAM", res.stderr)
        self.assertNotIn("booting", res.stderr)
        self.assertNotRegex(res.stderr + res.stdout, r"0x[0-9a-f]{6,}")

    def test_missing_image(self):
        res = subprocess.run([RUN, os.path.join(self.tmp, "nope.elf")], capture_output=True,
                             text=True, timeout=60, env=dict(os.environ, CLOISON_BUILD=BUILD))
        self.assertEqual(res.returncode, 1)
        self.assertIn("no boot image at", res.stderr)

    def test_pack_refuses_ram_the_machine_does_not_have(self):
        status, out, err = support.run(*(self.pack_args + ["--ram", "512M"]))
        self.assertEqual(status, 1)
        self.assertIn("[system] ram is 256 MiB but --ram says the machine has 512 MiB", err)
        self.assertNotRegex(err, r"0x[0-9a-f]+")
        status, out, err = support.run(*(self.pack_args + ["--ram", "256M"]))
        self.assertEqual((status, err), (0, ""))


if __name__ == "__main__":
    unittest.main()
