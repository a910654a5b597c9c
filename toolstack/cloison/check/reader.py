# SPDX-License-Identifier: MIT
"""The shared state of one check: the tomllib data, the Description being
filled, line positions, and the typed getters every section uses.

Each getter reports a wrong or missing value as a diagnostic (with the line
of the key, or of its table) and returns a default, so that one run finds
every problem at once."""

from .. import description as D
from .. import policy as fmt
from ..errors import Diagnostic, show
from . import suggest


class Reader:
    def __init__(self, desc, data, pos):
        self.d = desc
        self.data = data
        self.pos = pos
        self.diags = []
        # path of a table -> {field it lacks: the unknown key that is
        # probably that field misspelt}
        self.misspelt = {}

    # -- reporting -----------------------------------------------------------

    def err(self, where, kind, msg):
        line = where if isinstance(where, int) else self.pos.line(where)
        self.diags.append(Diagnostic(line, kind, msg))

    def warn(self, where, kind, msg):
        line = where if isinstance(where, int) else self.pos.line(where)
        self.diags.append(Diagnostic(line, kind, msg, warning=True))

    # -- fields ----------------------------------------------------------------

    def fields(self, table, path, allowed, ctx):
        """Report the keys of `table` that the schema does not define. Call
        it before reading the table's fields: a misspelt required field is
        then reported as unknown first, and as missing on the same line."""
        for key in table:
            if key in allowed:
                continue
            hint, close = suggest.field(key, allowed, table, path)
            if close is not None:
                self.misspelt.setdefault(path, {}).setdefault(close, key)
            self.err(path + (key,), "unknown-field",
                     "unknown field %s in %s%s" % (show(key), ctx, hint))

    def require(self, table, key, path, ctx):
        """Report `key` missing from `table`: on the line of the unknown key
        that is probably it misspelt, if there is one (after fields())."""
        if key in table:
            return
        typo = self.misspelt.get(path, {}).get(key)
        where = path + (typo,) if typo is not None else path
        self.err(where, "missing-field",
                 "%s: missing required field '%s'" % (ctx, key))

    def _get(self, table, key, path, ctx, what, ok, required, default):
        if key not in table:
            if required:
                self.require(table, key, path, ctx)
            return default
        v = table[key]
        if not ok(v):
            self.err(path + (key,), "type",
                     "%s: '%s' must be %s" % (ctx, key, what))
            return default
        return v

    def string(self, table, key, path, ctx, required=False, default=None):
        return self._get(table, key, path, ctx, "a string",
                         lambda v: isinstance(v, str), required, default)

    def integer(self, table, key, path, ctx, required=False, default=None):
        return self._get(table, key, path, ctx, "a non-negative integer",
                         lambda v: isinstance(v, int) and not isinstance(v, bool)
                         and 0 <= v < 1 << 64, required, default)

    def boolean(self, table, key, path, ctx, default):
        return self._get(table, key, path, ctx, "true or false",
                         lambda v: isinstance(v, bool), False, default)

    def size(self, table, key, path, ctx, required=False, default=None):
        v = self._get(table, key, path, ctx,
                      'a size (a number of bytes, or a string such as "16M")',
                      is_size, required, default)
        return size_value(v) if v is not None else None

    def strings(self, table, key, path, ctx, required=False):
        return self._get(table, key, path, ctx, "a list of strings",
                         lambda v: isinstance(v, list)
                         and all(isinstance(x, str) for x in v),
                         required, [])

    def tables(self, table, key, path, ctx):
        v = table.get(key, [])
        if not (isinstance(v, list) and all(isinstance(x, dict) for x in v)):
            self.err(path + (key,), "type",
                     "%s: '%s' must be an array of tables ([[%s]])"
                     % (ctx, key, ".".join(str(p) for p in path + (key,)
                                         if isinstance(p, str))))
            return []
        return v

    def name(self, value, where, ctx):
        if len(value) > fmt.NAME_MAX or not D.NAME_RE.fullmatch(value):
            self.err(where, "bad-name", "%s: name %s is not valid: %s"
                     % (ctx, show(value), D.NAME_RULE))
            return False
        return True


def is_size(v):
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return 0 <= v < 1 << 64
    m = D.SIZE_RE.fullmatch(v) if isinstance(v, str) else None
    # More digits than a 64-bit size has are not a size (and would reach
    # Python's limit on converting long digit strings).
    return m is not None and len(m.group(1)) <= 20


def size_value(v):
    if isinstance(v, int):
        return v
    m = D.SIZE_RE.fullmatch(v)
    return int(m.group(1)) * D.SIZE_UNITS[m.group(2)]
