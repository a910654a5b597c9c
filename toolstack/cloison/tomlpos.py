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

import re

_BARE = re.compile(r"[A-Za-z0-9_-]*")
_BLANKS = re.compile(r"[ \t\r]*")
_BLANKS_NL = re.compile(r"[ \t\r\n]*")
_SCALAR = re.compile(r"[^,\]}\n# \t\r]*")     # a number, boolean or date
_BASIC = re.compile(r'(?:[^"\\\n]|\\.)*')     # inside "...": up to its end
_ML_BASIC = re.compile(r'(?:[^"\\]|\\.)*', re.S)  # inside """...""": to a quote
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_SIMPLE = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r",
           '"': '"', "\\": "\\", "e": "\x1b"}


def _unescape(m):
    e = m.group(1)
    if e[0] in "uU" and len(e) > 1:
        try:
            return chr(int(e[1:], 16))
        except (ValueError, OverflowError):
            return ""
    return _SIMPLE.get(e, e)


class _Scanner:
    def __init__(self, text):
        self.s = text
        self.i = 0
        self.line = 1
        self.lines = {}
        # Number of [[x]] seen so far per resolved array-of-tables path.
        self.aot = {}

    # -- low level -------------------------------------------------------
    # Runs of characters are skipped with str.find and regular expressions,
    # not one by one, so a huge string or comment costs little.

    def _peek(self, k=0):
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def _jump(self, j):
        """Move to index j (never beyond the end), counting newlines."""
        j = min(j, len(self.s))
        self.line += self.s.count("\n", self.i, j)
        self.i = j

    def _adv(self, n=1):
        self._jump(self.i + n)

    def _ws(self, newlines=False):
        """Skip blanks and comments (and newlines if asked)."""
        blank = _BLANKS_NL if newlines else _BLANKS
        while self.i < len(self.s):
            self._jump(blank.match(self.s, self.i).end())
            if self._peek() != "#":
                break
            j = self.s.find("\n", self.i)
            self._jump(len(self.s) if j < 0 else j)

    def _record(self, path, line):
        self.lines.setdefault(path, line)

    # -- strings and keys --------------------------------------------------

    def _string(self):
        """Skip a string of any of the four kinds; return its text (escapes
        decoded in basic strings)."""
        q = self._peek()
        if self.s.startswith(q * 3, self.i):
            self._adv(3)
            start = j = self.i
            while True:
                if q == '"':
                    j = _ML_BASIC.match(self.s, j).end()
                else:
                    j = self.s.find(q, j)
                    j = len(self.s) if j < 0 else j
                if j >= len(self.s):
                    self._jump(j)
                    return self.s[start:]
                if self.s.startswith(q * 3, j):
                    # A closing delimiter may be followed by up to two more quotes.
                    n = 3
                    while n < 5 and self._peek(j - self.i + n) == q:
                        n += 1
                    body = self.s[start:j + n - 3]
                    self._jump(j + n)
                    return body
                j += 1
        self._adv()
        start = self.i
        if q == '"':
            j = _BASIC.match(self.s, start).end()
            body = _ESCAPE.sub(_unescape, self.s[start:j])
        else:
            j = self.s.find(q, start)
            j = len(self.s) if j < 0 else j
            body = self.s[start:j]
        self._jump(j + 1)
        return body

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
                self._jump(_BARE.match(self.s, start).end())
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
            self._jump(_SCALAR.match(self.s, self.i).end())

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
