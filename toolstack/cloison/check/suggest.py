# SPDX-License-Identifier: MIT
"""Hints for an unknown key: the field it is probably a misspelling of
("did you mean 'image'?"), or the singular header of an array of tables
written in the plural ([[domains]] for [[domain]])."""

import difflib

from ..errors import show


def field(key, allowed, table, path):
    """Return (hint appended to the message, field the key stands for)."""
    singular = key[:-1] if key.endswith("s") else None
    value = table.get(key)
    if singular in allowed and isinstance(value, list) and value \
            and all(isinstance(x, dict) for x in value):
        header = ".".join([p for p in path if isinstance(p, str)] + [singular])
        return ("; each %s is a table of its own: write [[%s]] (singular) "
                "above each one" % (singular, header), singular)
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    if close:
        return "; did you mean %s?" % show(close[0]), close[0]
    return "", None
