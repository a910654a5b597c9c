# SPDX-License-Identifier: MIT
"""Line numbers for a TOML document.

tomllib returns plain dicts with no positions, but every validation error
must say `file:line`. This module re-reads the text with a small structural
scanner (no value conversion) and records, for each key, table header and
array element, the line it starts on. Paths use the same shape as the data
tomllib returns: string keys, and integer indices for arrays of tables
(`[[domain]]`) and for array elements.

The scanner runs only on text tomllib has already accepted, so it assumes
valid TOML and does not report syntax errors itself.
"""

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Scanner:
    def __init__(self, text):
        self.s = text
        self.i = 0
        self.line = 1
        self.lines = {}
        # Number of [[x]] seen so far per resolved array-of-tables path.
        self.aot = {}

    # -- low level -------------------------------------------------------

    def _peek(self, k=0):
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def _adv(self, n=1):
        for _ in range(n):
            if self.i < len(self.s):
                if self.s[self.i] == "\n":
                    self.line += 1
                self.i += 1

    def _ws(self, newlines=False):
        """Skip blanks and comments (and newlines if asked)."""
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self._adv()
            elif c == "#":
                while self.i < len(self.s) and self.s[self.i] != "\n":
                    self._adv()
            else:
                break

    def _record(self, path, line):
        self.lines.setdefault(path, line)

    # -- strings and keys --------------------------------------------------

    def _string(self):
        """Skip a string of any of the four kinds; return its raw text."""
        q = self._peek()
        if self.s.startswith(q * 3, self.i):
            self._adv(3)
            start = self.i
            while True:
                if q == '"' and self._peek() == "\\":
                    self._adv(2)
                    continue
                if self.s.startswith(q * 3, self.i):
                    # A closing delimiter may be followed by up to two more quotes.
                    n = 3
                    while n < 5 and self._peek(n) == q:
                        n += 1
                    body = self.s[start:self.i + n - 3]
                    self._adv(n)
                    return body
                if self.i >= len(self.s):
                    return self.s[start:]
                self._adv()
        self._adv()
        start = self.i
        out = []
        while self.i < len(self.s) and self._peek() != q:
            if q == '"' and self._peek() == "\\":
                out.append(self._escape())
                continue
            out.append(self._peek())
            self._adv()
        self._adv()
        return "".join(out) if q == '"' else self.s[start:self.i - 1]

    def _escape(self):
        self._adv()  # backslash
        c = self._peek()
        simple = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r",
                  '"': '"', "\\": "\\", "e": "\x1b"}
        if c in simple:
            self._adv()
            return simple[c]
        if c in "uU":
            n = 4 if c == "u" else 8
            digits = self.s[self.i + 1:self.i + 1 + n]
            self._adv(1 + n)
            try:
                return chr(int(digits, 16))
            except ValueError:
                return ""
        self._adv()
        return c

    def _key(self):
        """Read a (possibly dotted, possibly quoted) key; return its parts."""
        parts = []
        while True:
            self._ws()
            c = self._peek()
            if c in "\"'":
                parts.append(self._string())
            else:
                start = self.i
                while self._peek() in _BARE and self._peek() != "":
                    self._adv()
                parts.append(self.s[start:self.i])
            self._ws()
            if self._peek() == ".":
                self._adv()
                continue
            return parts

    # -- values --------------------------------------------------------------

    def _value(self, path):
        self._ws()
        c = self._peek()
        if c in "\"'":
            self._string()
        elif c == "[":
            self._adv()
            idx = 0
            while True:
                self._ws(newlines=True)
                if self._peek() == "]":
                    self._adv()
                    break
                if self._peek() == ",":
                    self._adv()
                    continue
                self._record(path + (idx,), self.line)
                self._value(path + (idx,))
                idx += 1
        elif c == "{":
            self._adv()
            while True:
                self._ws()
                if self._peek() == "}":
                    self._adv()
                    break
                if self._peek() == ",":
                    self._adv()
                    continue
                line = self.line
                key = tuple(self._key())
                self._record(path + key, line)
                self._ws()
                self._adv()  # '='
                self._value(path + key)
        else:
            while self._peek() not in ("", ",", "]", "}", "\n", "#") \
                    and self._peek() not in " \t\r":
                self._adv()

    # -- document ------------------------------------------------------------

    def _resolve(self, parts, new_aot):
        path = ()
        for n, comp in enumerate(parts):
            path = path + (comp,)
            # Implicitly created parent tables get the header's line too.
            self._record(path, self.line)
            last = n == len(parts) - 1
            if last and new_aot:
                count = self.aot.get(path, 0)
                self.aot[path] = count + 1
                path = path + (count,)
            elif path in self.aot:
                path = path + (self.aot[path] - 1,)
        return path

    def scan(self):
        table = ()
        while True:
            self._ws(newlines=True)
            if self.i >= len(self.s):
                break
            line = self.line
            if self._peek() == "[":
                aot = self._peek(1) == "["
                self._adv(2 if aot else 1)
                parts = self._key()
                self._adv(2 if aot else 1)
                table = self._resolve(parts, aot)
                self._record(table, line)
                continue
            key = tuple(self._key())
            # Record every prefix of a dotted key, so `a.b = 1` locates `a`.
            for n in range(1, len(key) + 1):
                self._record(table + key[:n], line)
            self._ws()
            self._adv()  # '='
            self._value(table + key)
        return self.lines


class Positions:
    """Maps data paths to the 1-based line where they appear in the text."""

    def __init__(self, text):
        self._lines = _Scanner(text).scan()

    def line(self, path):
        """Line of `path`, or of its closest located ancestor (at least 1)."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return 1

    def exact(self, path):
        return self._lines.get(tuple(path))
