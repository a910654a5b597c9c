# SPDX-License-Identifier: MIT
"""The one namespace of domains and objects, and the built-in objects."""

from .. import description as D
from ..errors import show


def builtins(r):
    for name in D.BUILTIN_OBJECTS:
        obj = D.Object(name, name, 1)
        r.d.objects.append(obj)
        r.d.by_name[name] = obj


def claim(r, kind, name, path):
    """Enter `name` in the shared object namespace (domains included)."""
    line = r.pos.line(path + ("name",))
    if name in D.BUILTIN_OBJECTS:
        r.err(line, "reserved-name",
              "%s name '%s' is reserved for the built-in %s object"
              % (kind, name, name))
        return False
    prev = r.d.by_name.get(name)
    if prev is not None:
        if kind == "domain" and prev.kind == "domain":
            r.err(line, "duplicate-domain",
                  "duplicate domain name %s (first declared at line %d)"
                  % (show(name), prev.line))
        else:
            r.err(line, "duplicate-object",
                  "duplicate object name %s: already declared as a %s "
                  "at line %d" % (show(name), prev.kind, prev.line))
        return False
    return True
