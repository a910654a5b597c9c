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

FIELDS = ("name", "kind", "image", "kernel", "initramfs", "cmdline", "memory",
          "phys", "vcpus", "budget_us", "period_us", "priority", "cspace_slots",
          "connect_inbox",
          "autostart", "role", "store", "cap")
LINUX_FIELDS = ("kernel", "initramfs", "cmdline")


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


def _file_name(r, t, key, path, ctx):
    """An image, kernel or initramfs name (found through the image path)."""
    value = r.string(t, key, path, ctx, required=True)
    if value is None:
        return None
    if len(value) > 31 or not D.IMAGE_RE.fullmatch(value):
        r.err(path + (key,), "bad-name",
              "%s: %s name %s is not valid: use 1 to 31 letters, "
              "digits, '_', '-' or '.'" % (ctx, key, show(value)))
        return None
    return value


def _kind(r, dom, t, path, ctx):
    """kind = "image" (the default) or "linux": which fields say what the
    domain runs. Returns False when the kind itself is wrong."""
    kind = r.string(t, "kind", path, ctx, default="image")
    dom.kind_line = r.pos.line(path + ("kind",))
    if kind not in D.DOMAIN_KINDS:
        r.err(path + ("kind",), "bad-kind", "%s: kind %s is not one of %s"
              % (ctx, show(kind), ", ".join(D.DOMAIN_KINDS)))
        return False
    dom.kind = kind
    if kind == "linux":
        if "image" in t:
            r.err(path + ("image",), "bad-kind",
                  "%s: a Linux guest (kind = \"linux\") has no 'image': it is "
                  "packed from 'kernel', 'initramfs' and 'cmdline'" % ctx)
        return True
    for key in LINUX_FIELDS:
        if key in t:
            r.err(path + (key,), "bad-kind",
                  "%s: '%s' is a field of Linux guests only: add kind = \"linux\" "
                  "(and drop 'image'), or remove it" % (ctx, key))
    return True


def _linux(r, dom, t, path, ctx):
    dom.kernel_line = r.pos.line(path + ("kernel",))
    dom.initramfs_line = r.pos.line(path + ("initramfs",))
    dom.cmdline_line = r.pos.line(path + ("cmdline",))
    dom.kernel = _file_name(r, t, "kernel", path, ctx)
    dom.initramfs = _file_name(r, t, "initramfs", path, ctx)
    # The policy names a domain's image: a Linux guest's is its kernel's.
    dom.image, dom.image_line = dom.kernel, dom.kernel_line
    cmdline = r.string(t, "cmdline", path, ctx, default=D.LINUX_CMDLINE)
    if cmdline is None:
        return
    if len(cmdline) > D.CMDLINE_MAX or not all(" " <= c <= "~" for c in cmdline):
        r.err(path + ("cmdline",), "bad-kind",
              "%s: cmdline %s is not valid: at most %d printable ASCII "
              "characters (Linux's COMMAND_LINE_SIZE)" % (ctx, show(cmdline), D.CMDLINE_MAX))
    else:
        dom.cmdline = cmdline


def read(r, dom):
    t, path, ctx = dom.table, dom.path, dom.ctx
    if _kind(r, dom, t, path, ctx):
        if dom.kind == "linux":
            _linux(r, dom, t, path, ctx)
        else:
            dom.image = _file_name(r, t, "image", path, ctx)
            dom.image_line = r.pos.line(path + ("image",))
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
    # Slots reserved at the end of its CSpace for the channel ends of
    # run-time clients (domain_connect; docs/dynamic-guests.md).
    inbox = r.integer(t, "connect_inbox", path, ctx, default=0)
    dom.connect_inbox_line = r.pos.line(path + ("connect_inbox",))
    if inbox is not None:
        dom.connect_inbox = inbox
    dom.autostart = r.boolean(t, "autostart", path, ctx, True)
    dom.autostart_line = r.pos.line(path + ("autostart",))
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
