# SPDX-License-Identifier: MIT
"""The [system] table: the machine's name, RAM, default CSpace size and the
hypervisor's pool."""

from .. import description as D

FIELDS = ("name", "ram", "cspace_slots", "hyp_pool")


def read(r):
    s = r.d.system
    t = r.data.get("system", {})
    path = ("system",)
    if not isinstance(t, dict):
        r.err(path, "type", "the top level: 'system' must be a table ([system])")
        return
    s.line = r.pos.line(path)
    r.fields(t, path, FIELDS, "[system]")
    name = r.string(t, "name", path, "[system]")
    if name is not None and r.name(name, path + ("name",), "[system]"):
        s.name = name
    ram = r.size(t, "ram", path, "[system]")
    if ram is not None:
        if ram % D.DOMAIN_MEM_ALIGN or not D.RAM_MIN <= ram <= D.RAM_MAX:
            r.err(path + ("ram",), "bad-size",
                  "[system]: ram %s must be a multiple of 2 MiB between "
                  "%s and %s" % (D.fmt_size(ram), D.fmt_size(D.RAM_MIN),
                                 D.fmt_size(D.RAM_MAX)))
        else:
            s.ram_size = ram
    slots = r.integer(t, "cspace_slots", path, "[system]")
    if slots is not None and cspace_ok(r, slots, path + ("cspace_slots",),
                                       "[system]"):
        s.cspace_slots = slots
    pool = r.size(t, "hyp_pool", path, "[system]")
    if pool is not None:
        if pool % D.PAGE:
            r.err(path + ("hyp_pool",), "bad-size",
                  "[system]: hyp_pool %s is not a multiple of 4 KiB"
                  % D.fmt_size(pool))
        else:
            s.hyp_pool = pool


def cspace_ok(r, slots, where, ctx):
    """A CSpace size (of [system] or of a domain) is a power of two in range."""
    if slots < D.CSPACE_MIN or slots > D.CSPACE_MAX or slots & (slots - 1):
        r.err(where, "bad-cspace",
              "%s: cspace_slots %d must be a power of two between %d and %d"
              % (ctx, slots, D.CSPACE_MIN, D.CSPACE_MAX))
        return False
    return True
