# SPDX-License-Identifier: MIT
"""[[domain]]: each domain's image, memory, placement, vCPUs, schedule,
CSpace, start-up, audit role and caps.

Domains are objects too (caps name them for lifecycle rights), so every
domain is declared, in a first pass, before any object or cap is read."""

import os

from .. import description as D
from ..errors import show
from . import caps, names, schedule
from .system import cspace_ok

FIELDS = ("name", "image", "memory", "phys", "vcpus", "budget_us",
          "period_us", "priority", "cspace_slots", "autostart", "role", "store", "cap")


def declare(r):
    tables = r.tables(r.data, "domain", (), "the top level")
    for n, t in enumerate(tables):
        path = ("domain", n)
        ctx = "domain #%d" % (n + 1)
        name = r.string(t, "name", path, ctx)
        if name is None or not r.name(name, path + ("name",), ctx):
            name = None
        dom = D.Domain(name or "#%d" % (n + 1), r.pos.line(path))
        dom.table, dom.path, dom.index = t, path, len(r.d.domains)
        dom.ctx = "domain '%s'" % name if name else ctx
        r.fields(t, path, FIELDS, dom.ctx)
        r.require(t, "name", path, ctx)
        r.d.domains.append(dom)
        if name is not None and names.claim(r, "domain", name, path):
            obj = D.Object("domain", name, r.pos.line(path + ("name",)))
            obj.domain = dom
            dom.obj = obj
            r.d.objects.append(obj)
            r.d.by_name[name] = obj


def read_all(r):
    for dom in r.d.domains:
        read(r, dom)


def read(r, dom):
    t, path, ctx = dom.table, dom.path, dom.ctx
    image = r.string(t, "image", path, ctx, required=True)
    dom.image_line = r.pos.line(path + ("image",))
    if image is not None:
        if len(image) > 31 or not D.IMAGE_RE.fullmatch(image):
            r.err(path + ("image",), "bad-name",
                  "%s: image name %s is not valid: use 1 to 31 letters, "
                  "digits, '_', '-' or '.'" % (ctx, show(image)))
        else:
            dom.image = image
    dom.memory_line = r.pos.line(path + ("memory",))
    mem = r.size(t, "memory", path, ctx, required=True)
    if mem is not None:
        if mem == 0 or mem % D.DOMAIN_MEM_ALIGN:
            r.err(path + ("memory",), "bad-size",
                  "%s: memory %s is not a non-zero multiple of 2 MiB"
                  % (ctx, D.fmt_size(mem)))
        elif mem > D.DOMAIN_MEM_MAX:
            r.err(path + ("memory",), "bad-size",
                  "%s: memory %s is larger than the %s limit"
                  % (ctx, D.fmt_size(mem), D.fmt_size(D.DOMAIN_MEM_MAX)))
        else:
            dom.memory = mem
    dom.phys_line = r.pos.line(path + ("phys",))
    phys = r.integer(t, "phys", path, ctx)
    if phys is not None:
        if phys % D.DOMAIN_MEM_ALIGN:
            r.err(path + ("phys",), "bad-size",
                  "%s: phys 0x%x is not 2 MiB aligned" % (ctx, phys))
        else:
            dom.phys = phys
    vcpus = r.integer(t, "vcpus", path, ctx, default=1)
    if vcpus != 1:
        r.err(path + ("vcpus",), "bad-vcpus",
              "%s: vcpus must be 1 (domains have one vCPU for now)" % ctx)
    schedule.read(r, dom, t, path, ctx)
    slots = r.integer(t, "cspace_slots", path, ctx)
    dom.cspace_slots = r.d.system.cspace_slots
    if slots is not None and cspace_ok(r, slots, path + ("cspace_slots",), ctx):
        dom.cspace_slots = slots
    dom.autostart = r.boolean(t, "autostart", path, ctx, True)
    role = r.string(t, "role", path, ctx)
    if role is not None:
        dom.role_line = r.pos.line(path + ("role",))
        if role not in D.ROLES:
            r.err(path + ("role",), "bad-role", "%s: role %s is not one of %s"
                  % (ctx, show(role), ", ".join(D.ROLES)))
        else:
            dom.role = role
    # Guest configs packed for this domain to create guests from at run
    # time (cloison.store), relative to the description.
    store = r.strings(t, "store", path, ctx)
    if store is not None:
        dom.store_line = r.pos.line(path + ("store",))
        base = os.path.dirname(os.path.abspath(r.d.filename)) if r.d.filename else "."
        dom.store = [os.path.join(base, p) for p in store]
        dom.store_shown = list(store)
    caps.read_all(r, dom, t, path, ctx)
