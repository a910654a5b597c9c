# SPDX-License-Identifier: MIT
"""The sizes of the policy tables the hypervisor's loader accepts. A
description beyond them is refused straight after reading the TOML, before
anything slower runs, so that even 20,000 domains get their answer at once.

The numbers are the boot contract's (hyp/abi/cloison-boot.toml, through
limits.py), the same the hypervisor's policy check is generated from."""

import re

from .. import description as D
from .. import limits as L
from ..errors import Diagnostic

LOADER_MAX = {"domain": L.DOMAINS_MAX, "object": L.OBJECTS_MAX, "cap": L.CAPS_MAX}

# Where the Nth table of a kind starts, when it is written as a header
# (only used to give the error a line; line 1 otherwise).
_HEADER = {"domain": r"\[\[[ \t]*domain[ \t]*\]\]",
           "cap": r"\[\[[ \t]*domain[ \t]*\.[ \t]*cap[ \t]*\]\]"}
_COUNTED = {"domain": "one per [[domain]]",
            "object": "each domain and declared object, and the %d built-in "
                      "ones" % len(D.BUILTIN_OBJECTS),
            "cap": "every [[domain.cap]] of every domain"}


def check(data, text):
    """Diagnostics for the tables the loader would refuse (none if all fit)."""
    doms = _tables(data, "domain")
    counts = {
        "domain": len(doms),
        "object": len(D.BUILTIN_OBJECTS) + len(doms)
        + sum(len(_tables(data, kind)) for kind in D.OBJECT_KINDS),
        "cap": sum(len(_tables(t, "cap")) for t in doms),
    }
    out = []
    for what, n in counts.items():
        limit = LOADER_MAX[what]
        if n > limit:
            out.append(Diagnostic(
                _line(text, what, limit), "too-many",
                "%d %ss in the policy (%s), but the hypervisor's loader takes "
                "at most %d" % (n, what, _COUNTED[what], limit)))
    return out


def _tables(table, key):
    v = table.get(key) if isinstance(table, dict) else None
    return [t for t in v if isinstance(t, dict)] if isinstance(v, list) else []


def _line(text, what, limit):
    if what not in _HEADER:
        return 1
    pattern = re.compile(r"^[ \t]*" + _HEADER[what], re.M)
    for n, m in enumerate(pattern.finditer(text)):
        if n == limit:
            return text.count("\n", 0, m.start()) + 1
    return 1
