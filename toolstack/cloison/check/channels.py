# SPDX-License-Identifier: MIT
"""[[channel]]: shared pages between exactly two domains, each holding one
end (a cap on the channel)."""

from .. import description as D

FIELDS = ("name", "size")


def read(r, obj, t, path, ctx):
    obj.size = r.size(t, "size", path, ctx, default=D.PAGE)
    if obj.size is not None and (obj.size % D.PAGE or obj.size == 0
                                 or obj.size > D.CHANNEL_MAX):
        r.err(path + ("size",), "bad-size",
              "%s: size %s must be a non-zero multiple of 4 KiB, at most %s"
              % (ctx, D.fmt_size(obj.size), D.fmt_size(D.CHANNEL_MAX)))
        obj.size = None


def ends(r):
    """Number each channel cap (its end) and check every channel has two."""
    for dom in r.d.domains:
        for cap in dom.caps:
            if cap.obj is not None and cap.obj.kind == "channel":
                cap.end = len(cap.obj.ends)
                cap.obj.ends.append(cap)
    for obj in r.d.objects:
        if obj.kind != "channel":
            continue
        held = obj.ends
        if len(held) != 2:
            r.err(obj.line, "channel-ends",
                  "channel '%s' has %d end%s; a channel needs exactly 2, "
                  "held by two different domains"
                  % (obj.name, len(held), "" if len(held) == 1 else "s"))
        elif held[0].domain is held[1].domain:
            r.err(obj.line, "channel-ends",
                  "channel '%s': both ends are held by domain '%s'"
                  % (obj.name, held[0].domain.name))
