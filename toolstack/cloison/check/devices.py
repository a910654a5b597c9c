# SPDX-License-Identifier: MIT
"""[[device]]: an MMIO region. Regions must be page aligned, stay out of
RAM and of what the hypervisor keeps (the GIC, its UART), and not overlap."""

from .. import description as D

FIELDS = ("name", "base", "size")


def read(r, obj, t, path, ctx):
    obj.phys = r.integer(t, "base", path, ctx, required=True)
    obj.size = r.size(t, "size", path, ctx, required=True)
    for key, v in (("base", obj.phys), ("size", obj.size)):
        if v is not None and v % D.PAGE:
            r.err(path + (key,), "bad-size",
                  "%s: %s 0x%x is not a multiple of 4 KiB" % (ctx, key, v))
            obj.phys = None
    if obj.size == 0:
        r.err(path + ("size",), "bad-size", "%s: size is zero" % ctx)
        obj.size = None


def place(r):
    """Check every device region against the platform and the others (pairs
    are compared: limits.py has already bounded the number of objects)."""
    ram = (D.RAM_BASE, D.RAM_BASE + r.d.system.ram_size, "RAM")
    candidates = []
    for obj in r.d.objects:
        if obj.kind != "device" or obj.phys is None or obj.size is None:
            continue
        lo, hi = obj.phys, obj.phys + obj.size
        where = obj.path + ("base",)
        if hi > 1 << 48:
            r.err(where, "bad-device",
                  "%s: region %s is beyond the 48-bit physical address space"
                  % (obj.ctx, D.fmt_range(lo, hi)))
            continue
        bad = False
        for rlo, rhi, what in D.PLATFORM_RESERVED + [ram]:
            if lo < rhi and rlo < hi:
                r.err(where, "bad-device",
                      "%s: region %s overlaps %s %s"
                      % (obj.ctx, D.fmt_range(lo, hi), what,
                         D.fmt_range(rlo, rhi)))
                bad = True
        if not bad:
            candidates.append(obj)
    # A device overlapping an earlier-declared one is reported against the
    # first declared one it overlaps; reported devices are not kept.
    placed = []         # kept devices, in declaration order
    for obj in candidates:
        lo, hi = obj.phys, obj.phys + obj.size
        other = _first_overlap(placed, lo, hi)
        if other is None:
            placed.append(obj)
            continue
        r.err(obj.path + ("base",), "device-overlap",
              "%s: region %s overlaps device '%s' %s (line %d)"
              % (obj.ctx, D.fmt_range(lo, hi), other.name,
                 D.fmt_range(other.phys, other.phys + other.size), other.line))


def _first_overlap(placed, lo, hi):
    for other in placed:
        if lo < other.phys + other.size and other.phys < hi:
            return other
    return None
