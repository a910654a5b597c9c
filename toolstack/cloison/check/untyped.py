# SPDX-License-Identifier: MIT
"""[[untyped]]: a pool of memory that objects can be retyped from."""

from .. import description as D

FIELDS = ("name", "size")


def read(r, obj, t, path, ctx):
    obj.size = r.size(t, "size", path, ctx, required=True)
    if obj.size is not None and (obj.size % D.PAGE or obj.size == 0
                                 or obj.size > D.UNTYPED_MAX):
        r.err(path + ("size",), "bad-size",
              "%s: size %s must be a non-zero multiple of 4 KiB, at most %s"
              % (ctx, D.fmt_size(obj.size), D.fmt_size(D.UNTYPED_MAX)))
        obj.size = None
