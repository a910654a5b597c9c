# SPDX-License-Identifier: MIT
"""Drive a QEMU console like a person at a terminal: wait for text, type a
line, collect what came back. Every wait has a deadline; a console that
goes silent fails the test with what it had printed so far."""
import os
import selectors
import subprocess
import time


class ConsoleTimeout(AssertionError):
    pass


class Console:
    def __init__(self, argv, log_path=None):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)
        self.text = ""     # everything printed, \r removed
        self.pos = 0       # where the next expect() starts looking
        self.log_path = log_path

    def _read(self, until):
        """Take what QEMU printed, waiting until `until` at most; False at
        end of output (QEMU exited)."""
        if self.sel.select(max(0.0, until - time.monotonic())):
            data = self.proc.stdout.read()
            if data == b"":
                return False
            if data:
                self.text += data.decode("utf-8", "replace").replace("\r", "")
        return True

    def expect(self, needle, timeout):
        """Wait until needle appears after the last match; return the text
        between the last match and the end of needle."""
        until = time.monotonic() + timeout
        while True:
            i = self.text.find(needle, self.pos)
            if i >= 0:
                out = self.text[self.pos:i + len(needle)]
                self.pos = i + len(needle)
                return out
            if time.monotonic() >= until:
                raise ConsoleTimeout(f"no {needle!r} within {timeout} s; console:\n"
                                     + self.text[-3000:])
            if not self._read(until) and self.text.find(needle, self.pos) < 0:
                raise ConsoleTimeout(f"QEMU exited before {needle!r}; console:\n"
                                     + self.text[-3000:])

    def type(self, line):
        """Type a line slowly enough for a 16-byte UART FIFO."""
        for ch in (line + "\n").encode():
            self.proc.stdin.write(bytes([ch]))
            self.proc.stdin.flush()
            time.sleep(0.01)

    def press(self, keys):
        """Send keys as they are (Ctrl-] is "\x1d"), no line end."""
        self.proc.stdin.write(keys.encode())
        self.proc.stdin.flush()

    def expect_all(self, needles, timeout):
        """Wait until every needle has appeared after the last match, in any
        order; move past the last of them."""
        until = time.monotonic() + timeout
        while True:
            at = [self.text.find(n, self.pos) for n in needles]
            if min(at) >= 0:
                self.pos = max(i + len(n) for i, n in zip(at, needles))
                return
            if time.monotonic() >= until or not self._read(until):
                missing = [n for n, i in zip(needles, at) if i < 0]
                raise ConsoleTimeout(f"no {missing!r} within {timeout} s; console:\n"
                                     + self.text[-3000:])

    def command(self, line, prompt="/ # ", timeout=20):
        """Type a command at the shell; return its output (echo removed)."""
        self.type(line)
        out = self.expect(prompt, timeout)
        out = out[:-len(prompt)]
        first, _, rest = out.partition("\n")
        return rest

    def wait_exit(self, timeout):
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise ConsoleTimeout("QEMU still running; console:\n" + self.text[-3000:])
        while self._read(time.monotonic() + 0.1):
            pass
        return self.proc.returncode

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdin.close()
        self.proc.stdout.close()
        if self.log_path:
            with open(self.log_path, "w") as f:
                f.write(self.text)
