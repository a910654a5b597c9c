# SPDX-License-Identifier: MIT
"""`cloison ctl`: run dom0 shell commands from the host (docs/dom0.md,
"Scripting from the host").

`toolstack/run --ctl SOCKET` puts the hypervisor console on a UNIX socket
(QEMU's socket character device, a server) instead of the terminal. ctl
connects to it and sends each command as "@SEQ COMMAND" (a line dom0's
shell runs in its machine-readable mode): dom0 answers "@SEQ begin", the
command's own lines, then "@SEQ end ok" or "@SEQ end error". ctl prints the
command's lines (a line another domain's output broke and the console showed
again is kept once) (dom0's, without the "[dom0] " prefix: other domains' lines
and the hypervisor's are not the command's) and exits 0 for ok, 1 for
error, 2 when it gets no answer.

`ctl console NAME --send LINE --expect REGEX` attaches the console input to
a domain (dom0's `console NAME`), types each LINE and Enter, prints the
domain's lines (without the "[NAME] " prefix) until one matches REGEX, then
detaches with Ctrl-] and waits for the hypervisor to say the input is back
with dom0, so the next ctl command reaches dom0 again.

Console input that reaches the UART before the hypervisor listens is lost
and can wedge the UART's input until reset, so ctl sends nothing while the
console is printing (a boot under way): it waits for a second of silence,
then sends a harmless "@SEQ help" every second until it is answered.
"""
import os
import re
import socket
import time

DEFAULT_SOCKET = "cloison-ctl.sock"
PREFIX = "[dom0] "


class CtlError(Exception):
    pass


class Console:
    def __init__(self, path, timeout):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError) as exc:
                if time.monotonic() > deadline:
                    raise CtlError("cannot connect to %s: %s (is `toolstack/run --ctl %s` "
                                   "running?)" % (path, exc.strerror, path))
                time.sleep(0.2)
        self.buf = b""
        self.seq = int(time.monotonic() * 1000) % 100000

    def _lines(self, until):
        while True:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                yield line.decode("utf-8", "replace").rstrip("\r")
            left = until - time.monotonic()
            data = self._recv(left) if left > 0 else None
            if data is None:
                return
            self.buf += data

    def _recv(self, wait):
        """Bytes of output, or None when `wait` seconds pass without any."""
        self.sock.settimeout(wait)
        try:
            data = self.sock.recv(4096)
        except socket.timeout:
            return None
        if not data:
            raise CtlError("the console closed (QEMU ended?)")
        return data

    def settle(self, quiet, timeout):
        """Read (and drop) output until `quiet` seconds pass without any."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._recv(quiet) is not None:
            pass

    def run(self, command, timeout, out=None):
        """Send one command; returns (ok, lines) or None if no answer came
        before `timeout` seconds."""
        self.seq += 1
        tag = "@%d" % self.seq
        self.sock.sendall(("%s %s\r" % (tag, command)).encode())
        lines, inside, between = [], False, False
        for line in self._lines(time.monotonic() + timeout):
            if not line.startswith(PREFIX):
                between = True
                continue
            text = line[len(PREFIX):]
            # The console shows dom0's line as it is written; another
            # domain's line breaks it, and it is shown again whole after
            # (hyp/core/kernel/console.c): keep the whole one.
            if between and lines and text.startswith(lines[-1]):
                lines.pop()
            between = False
            if text == tag + " begin":
                inside = True
            elif inside and re.fullmatch(re.escape(tag) + r" end (ok|error)", text):
                for kept in lines if out is not None else ():
                    print(kept, file=out, flush=True)
                return text.endswith("ok"), lines
            elif inside and not text.startswith("dom0>"):
                lines.append(text)
        return None


FOCUS_KEY = b"\x1d"   # Ctrl-]: detaches an attached console (hyp/core/kernel/console.c)


def attached(con, name, args, out):
    """After `console NAME` succeeded: type, read the domain's lines until
    --expect matches, detach. Returns the exit status."""
    prefix = "[%s] " % name
    for line in args.send:
        con.sock.sendall(line.encode() + b"\r")
    pattern = re.compile(args.expect) if args.expect else None
    found = pattern is None
    for line in con._lines(time.monotonic() + (args.timeout if pattern else 0)):
        if line.startswith(prefix):
            text = line[len(prefix):]
            print(text, file=out, flush=True)
            if pattern and pattern.search(text):
                found = True
                break
    con.sock.sendall(FOCUS_KEY)
    for line in con._lines(time.monotonic() + args.timeout):
        if line.startswith("cloison: console input to dom0"):
            return 0 if found else 1
    raise CtlError("Ctrl-] did not give the console input back to dom0 within %g s"
                   % args.timeout)


def main(args, out):
    path = args.socket or os.environ.get("CLOISON_CTL") or os.path.join(
        os.environ.get("CLOISON_BUILD", "build"), DEFAULT_SOCKET)
    if not args.words:
        raise CtlError("which command? (for instance: ctl list)")
    con = Console(path, args.timeout)
    deadline = time.monotonic() + args.timeout
    con.settle(1.0, args.timeout)
    # Until dom0 listens, input is lost: ask something harmless.
    while con.run("help", 1.0) is None:
        if time.monotonic() > deadline:
            raise CtlError("dom0 did not answer on %s within %g s" % (path, args.timeout))
    try:
        res = con.run(" ".join(args.words), args.timeout, out)
    except CtlError:
        if args.words == ["poweroff"]:
            return 0    # it did: QEMU ended
        raise
    if res is None:
        raise CtlError("no answer to '%s' within %g s" % (" ".join(args.words), args.timeout))
    if res[0] and len(args.words) == 2 and args.words[0] == "console":
        return attached(con, args.words[1], args, out)
    if args.send or args.expect:
        raise CtlError("--send and --expect go with `console NAME`")
    return 0 if res[0] else 1
