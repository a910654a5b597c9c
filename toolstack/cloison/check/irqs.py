# SPDX-License-Identifier: MIT
"""[[irq]]: a hardware interrupt, an assignable SPI declared once."""

from .. import description as D

FIELDS = ("name", "intid", "trigger")


def read(r, obj, t, path, ctx):
    obj.number = r.integer(t, "intid", path, ctx, required=True)
    trig = r.string(t, "trigger", path, ctx, default="level")
    if trig not in ("level", "edge"):
        r.err(path + ("trigger",), "bad-irq",
              '%s: trigger must be "level" or "edge"' % ctx)
    obj.edge = trig == "edge"


def check(r):
    seen = {}
    for obj in r.d.objects:
        if obj.kind != "irq" or obj.number is None:
            continue
        where = obj.path + ("intid",)
        if obj.number in D.RESERVED_INTIDS:
            r.err(where, "bad-irq", "%s: INTID %d is reserved for %s"
                  % (obj.ctx, obj.number, D.RESERVED_INTIDS[obj.number]))
        elif not D.SPI_MIN <= obj.number <= D.SPI_MAX:
            r.err(where, "bad-irq",
                  "%s: INTID %d is not an assignable SPI (%d..%d)"
                  % (obj.ctx, obj.number, D.SPI_MIN, D.SPI_MAX))
        elif obj.number in seen:
            r.err(where, "irq-overlap",
                  "%s: INTID %d is already declared by irq '%s' (line %d)"
                  % (obj.ctx, obj.number, seen[obj.number].name,
                     seen[obj.number].line))
        else:
            seen[obj.number] = obj
