# SPDX-License-Identifier: MIT
"""Reading and validating a system description (docs/system-description.md).

`load(path, image_path=None)` returns a Description or raises
DescriptionError with every problem found, each as `file:line: reason`.
The physical layout (which needs the hypervisor ELF and the bundle size) is
checked later by layout.py with the same error reporting.
"""

import re
import tomllib

from . import abi, disks
from .errors import DescriptionError, Diagnostic
from .tomlpos import Positions

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
PAGE = 4 * KiB

RAM_BASE = 0x40000000
DOMAIN_IPA_BASE = 0x40000000        # every domain sees its RAM here
DOMAIN_MEM_ALIGN = 2 * MiB          # size and placement of domain memory
DOMAIN_MEM_MAX = 1 * GiB            # keeps RAM below CHANNEL_IPA_BASE
CHANNEL_IPA_BASE = 0x80000000       # where channels are mapped by default
IPA_LIMIT = 1 << 32                 # stage 2 with T0SZ=32 (PLATFORM-NOTES.md)
CHANNEL_MAX = 16 * MiB
UNTYPED_MAX = 256 * MiB
RAM_MIN, RAM_MAX = 16 * MiB, 64 * GiB
CSPACE_DEFAULT, CSPACE_MIN, CSPACE_MAX = 64, 2, 1024
PERIOD_MAX_US = 10_000_000
PRIORITY_MAX = 255
DEFAULT_PERIOD_US = 10_000
DEFAULT_PRIORITY = 100
DEFAULT_POOL = 4 * MiB
SPI_MIN, SPI_MAX = 32, 1019
# The start-info page (<cloison/abi/start_info.h>, checked by the tests): the
# last 4 KiB page of a domain's RAM, listing at most this many caps.
START_INFO_SIZE = 4096
START_INFO_MAX_CAPS = 62

# Physical ranges of QEMU virt that the hypervisor keeps for itself
# (PLATFORM-NOTES.md): no device object may cover them.
PLATFORM_RESERVED = [
    (0x08000000, 0x09000000, "the GIC"),
    (0x09000000, 0x09001000, "the hypervisor's UART (PL011)"),
]
RESERVED_INTIDS = {33: "the hypervisor's UART"}

BUILTIN_OBJECTS = ("system", "console")
# Roles a domain may declare for the auditor (docs/auditing.md). They grant
# nothing and are not part of the compiled policy: the audit uses them to
# know which domains are meant to relay between guests (driver) and which
# must hold nothing but lifecycle rights (control).
ROLES = ("control", "driver", "guest")
OBJECT_KINDS = ("device", "irq", "notification", "channel", "untyped")
# Object types whose caps map memory into the holder at boot.
MAPPED_KINDS = ("device", "channel")

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
IMAGE_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
SIZE_RE = re.compile(r"^\s*([0-9]+)\s*(K|M|G|KiB|MiB|GiB)?\s*$")
SIZE_UNITS = {None: 1, "K": KiB, "KiB": KiB, "M": MiB, "MiB": MiB,
              "G": GiB, "GiB": GiB}

NAME_RULE = ("use 1 to 31 letters, digits, '_', '-' or '.', "
             "starting with a letter")


def fmt_size(n):
    for unit, name in ((GiB, "GiB"), (MiB, "MiB"), (KiB, "KiB")):
        if n and n % unit == 0:
            return "%d %s" % (n // unit, name)
    return "%d bytes" % n


def fmt_range(lo, hi):
    return "[0x%x, 0x%x)" % (lo, hi)


class System:
    def __init__(self):
        self.name = "cloison"
        self.ram_size = 512 * MiB
        self.cspace_slots = CSPACE_DEFAULT
        self.hyp_pool = DEFAULT_POOL
        self.line = 1


class Object:
    def __init__(self, kind, name, line):
        self.kind = kind
        self.name = name
        self.line = line
        self.phys = 0
        self.size = 0
        self.number = 0
        self.edge = False
        self.ends = []      # channel: caps that are its ends
        self.index = None
        self.domain = None      # domain object: the Domain


class Cap:
    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.object_name = None
        self.obj = None
        self.rights = []
        self.badge = 0
        self.ipa = None
        self.ipa_line = line
        self.slot = None
        self.end = 0
        self.domain = None


class Domain:
    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.image = None
        self.image_line = line
        self.memory = None
        self.memory_line = line
        self.phys = None
        self.phys_line = line
        self.vcpus = 1
        self.budget_us = None
        self.period_us = DEFAULT_PERIOD_US
        self.priority = DEFAULT_PRIORITY
        self.cspace_slots = None
        self.autostart = True
        self.role = None        # declared role (audit only): see ROLES
        self.role_line = line
        self.ctx = "domain '%s'" % name
        self.caps = []
        self.obj = None
        self.index = None
        self.elf = None         # parsed image, when an image path was given
        self.image_file = None
        self.serves_disks = False  # a block back end of some [[disk]]

    def ipa_end(self):
        return DOMAIN_IPA_BASE + self.memory


class Description:
    def __init__(self, filename, text):
        self.filename = filename
        self.text = text
        self.system = System()
        self.domains = []
        self.objects = []       # in object index order
        self.by_name = {}
        self.images_loaded = False
        self.disks = []         # [[disk]]: cloison.disks.Disk
        self.tolerated = []     # diagnostics load(tolerate=...) let through


class _Checker:
    """Walks the tomllib data, fills a Description, collects diagnostics."""

    def __init__(self, desc, data, pos):
        self.d = desc
        self.data = data
        self.pos = pos
        self.diags = []

    # -- reporting ---------------------------------------------------------

    def err(self, where, kind, msg):
        line = where if isinstance(where, int) else self.pos.line(where)
        self.diags.append(Diagnostic(line, kind, msg))

    # -- typed getters -------------------------------------------------------

    def fields(self, table, path, allowed, ctx):
        for key in table:
            if key not in allowed:
                self.err(path + (key,), "unknown-field",
                         "unknown field '%s' in %s" % (key, ctx))

    def _get(self, table, key, path, ctx, what, ok, required, default):
        if key not in table:
            if required:
                self.err(path, "missing-field",
                         "%s: missing required field '%s'" % (ctx, key))
            return default
        v = table[key]
        if not ok(v):
            self.err(path + (key,), "type",
                     "%s: '%s' must be %s" % (ctx, key, what))
            return default
        return v

    def string(self, table, key, path, ctx, required=False, default=None):
        return self._get(table, key, path, ctx, "a string",
                         lambda v: isinstance(v, str), required, default)

    def integer(self, table, key, path, ctx, required=False, default=None):
        v = self._get(table, key, path, ctx, "a non-negative integer",
                      lambda v: isinstance(v, int) and not isinstance(v, bool)
                      and 0 <= v < 1 << 64, required, default)
        return v

    def boolean(self, table, key, path, ctx, default):
        return self._get(table, key, path, ctx, "true or false",
                         lambda v: isinstance(v, bool), False, default)

    def size(self, table, key, path, ctx, required=False, default=None):
        v = self._get(table, key, path, ctx,
                      'a size (a number of bytes, or a string such as "16M")',
                      _is_size, required, default)
        return _size_value(v) if v is not None else None

    def strings(self, table, key, path, ctx, required=False):
        return self._get(table, key, path, ctx, "a list of strings",
                         lambda v: isinstance(v, list)
                         and all(isinstance(x, str) for x in v),
                         required, [])

    def tables(self, table, key, path, ctx):
        v = table.get(key, [])
        if not (isinstance(v, list) and all(isinstance(x, dict) for x in v)):
            self.err(path + (key,), "type",
                     "%s: '%s' must be an array of tables ([[%s]])"
                     % (ctx, key, ".".join(str(p) for p in path + (key,)
                                         if isinstance(p, str))))
            return []
        return v

    def name(self, value, where, ctx):
        if len(value) > 31 or not NAME_RE.match(value):
            self.err(where, "bad-name",
                     "%s: name '%s' is not valid: %s" % (ctx, value, NAME_RULE))
            return False
        return True

    # -- top level ----------------------------------------------------------

    def run(self):
        top = ("system", "domain", "disk") + OBJECT_KINDS
        self.fields(self.data, (), top, "the top level")
        self.system()
        for name in BUILTIN_OBJECTS:
            obj = Object(name, name, 1)
            self.d.objects.append(obj)
            self.d.by_name[name] = obj
        self.declarations()
        for kind in OBJECT_KINDS:
            for n, t in enumerate(self.tables(self.data, kind, (), "the top level")):
                self.declare(kind, t, (kind, n), n)
        self.domains_caps()
        self.channels()
        disks.check(self, self.data)
        self.cspaces()
        self.devices()
        self.irqs()
        self.ipas()
        for n, obj in enumerate(self.d.objects):
            obj.index = n
        return self.diags

    def system(self):
        s = self.d.system
        t = self.data.get("system", {})
        path = ("system",)
        if not isinstance(t, dict):
            self.err(path, "type", "the top level: 'system' must be a table ([system])")
            return
        s.line = self.pos.line(path)
        self.fields(t, path, ("name", "ram", "cspace_slots", "hyp_pool"),
                    "[system]")
        name = self.string(t, "name", path, "[system]")
        if name is not None and self.name(name, path + ("name",), "[system]"):
            s.name = name
        ram = self.size(t, "ram", path, "[system]")
        if ram is not None:
            if ram % DOMAIN_MEM_ALIGN or not RAM_MIN <= ram <= RAM_MAX:
                self.err(path + ("ram",), "bad-size",
                         "[system]: ram %s must be a multiple of 2 MiB between "
                         "%s and %s" % (fmt_size(ram), fmt_size(RAM_MIN),
                                        fmt_size(RAM_MAX)))
            else:
                s.ram_size = ram
        slots = self.integer(t, "cspace_slots", path, "[system]")
        if slots is not None and self.cspace_ok(slots, path + ("cspace_slots",),
                                                "[system]"):
            s.cspace_slots = slots
        pool = self.size(t, "hyp_pool", path, "[system]")
        if pool is not None:
            if pool % PAGE:
                self.err(path + ("hyp_pool",), "bad-size",
                         "[system]: hyp_pool %s is not a multiple of 4 KiB"
                         % fmt_size(pool))
            else:
                s.hyp_pool = pool

    def cspace_ok(self, slots, where, ctx):
        if slots < CSPACE_MIN or slots > CSPACE_MAX or slots & (slots - 1):
            self.err(where, "bad-cspace",
                     "%s: cspace_slots %d must be a power of two between %d and %d"
                     % (ctx, slots, CSPACE_MIN, CSPACE_MAX))
            return False
        return True

    # -- names --------------------------------------------------------------

    def claim(self, kind, name, path):
        """Enter `name` in the shared object namespace (domains included)."""
        line = self.pos.line(path + ("name",))
        if name in BUILTIN_OBJECTS:
            self.err(line, "reserved-name",
                     "%s name '%s' is reserved for the built-in %s object"
                     % (kind, name, name))
            return False
        prev = self.d.by_name.get(name)
        if prev is not None:
            if kind == "domain" and prev.kind == "domain":
                self.err(line, "duplicate-domain",
                         "duplicate domain name '%s' (first declared at line %d)"
                         % (name, prev.line))
            else:
                self.err(line, "duplicate-object",
                         "duplicate object name '%s': already declared as a %s "
                         "at line %d" % (name, prev.kind, prev.line))
            return False
        return True

    def declarations(self):
        """Domains are objects too: declare them first so caps can name them."""
        for n, t in enumerate(self.tables(self.data, "domain", (), "the top level")):
            path = ("domain", n)
            ctx = "domain #%d" % (n + 1)
            name = self.string(t, "name", path, ctx, required=True)
            if name is None or not self.name(name, path + ("name",), ctx):
                name = None
            dom = Domain(name or "#%d" % (n + 1), self.pos.line(path))
            dom.table, dom.path, dom.index = t, path, len(self.d.domains)
            dom.ctx = "domain '%s'" % name if name else ctx
            self.d.domains.append(dom)
            if name is not None and self.claim("domain", name, path):
                obj = Object("domain", name, self.pos.line(path + ("name",)))
                obj.domain = dom
                dom.obj = obj
                self.d.objects.append(obj)
                self.d.by_name[name] = obj

    def declare(self, kind, t, path, n):
        ctx = "%s #%d" % (kind, n + 1)
        name = self.string(t, "name", path, ctx, required=True)
        valid = name is not None and self.name(name, path + ("name",), ctx)
        if valid:
            ctx = "%s '%s'" % (kind, name)
        allowed = {"device": ("name", "base", "size"),
                   "irq": ("name", "intid", "trigger"),
                   "notification": ("name",),
                   "channel": ("name", "size"),
                   "untyped": ("name", "size")}[kind]
        self.fields(t, path, allowed, ctx)
        obj = Object(kind, name, self.pos.line(path + ("name",)))
        obj.path, obj.ctx = path, ctx
        if kind == "device":
            obj.phys = self.integer(t, "base", path, ctx, required=True)
            obj.size = self.size(t, "size", path, ctx, required=True)
            for key, v in (("base", obj.phys), ("size", obj.size)):
                if v is not None and v % PAGE:
                    self.err(path + (key,), "bad-size",
                             "%s: %s 0x%x is not a multiple of 4 KiB"
                             % (ctx, key, v))
                    obj.phys = None
            if obj.size == 0:
                self.err(path + ("size",), "bad-size", "%s: size is zero" % ctx)
                obj.size = None
        elif kind == "irq":
            obj.number = self.integer(t, "intid", path, ctx, required=True)
            trig = self.string(t, "trigger", path, ctx, default="level")
            if trig not in ("level", "edge"):
                self.err(path + ("trigger",), "bad-irq",
                         '%s: trigger must be "level" or "edge"' % ctx)
            obj.edge = trig == "edge"
        elif kind == "channel":
            obj.size = self.size(t, "size", path, ctx, default=PAGE)
            if obj.size is not None and (obj.size % PAGE or obj.size == 0
                                         or obj.size > CHANNEL_MAX):
                self.err(path + ("size",), "bad-size",
                         "%s: size %s must be a non-zero multiple of 4 KiB, "
                         "at most %s" % (ctx, fmt_size(obj.size),
                                         fmt_size(CHANNEL_MAX)))
                obj.size = None
        elif kind == "untyped":
            obj.size = self.size(t, "size", path, ctx, required=True)
            if obj.size is not None and (obj.size % PAGE or obj.size == 0
                                         or obj.size > UNTYPED_MAX):
                self.err(path + ("size",), "bad-size",
                         "%s: size %s must be a non-zero multiple of 4 KiB, "
                         "at most %s" % (ctx, fmt_size(obj.size),
                                         fmt_size(UNTYPED_MAX)))
                obj.size = None
        if valid and self.claim(kind, name, path):
            self.d.objects.append(obj)
            self.d.by_name[name] = obj

    # -- domains --------------------------------------------------------------

    def domains_caps(self):
        for dom in self.d.domains:
            self.domain(dom)

    def domain(self, dom):
        t, path = dom.table, dom.path
        ctx = dom.ctx
        self.fields(t, path, ("name", "image", "memory", "phys", "vcpus",
                              "budget_us", "period_us", "priority",
                              "cspace_slots", "autostart", "role", "cap"), ctx)
        image = self.string(t, "image", path, ctx, required=True)
        dom.image_line = self.pos.line(path + ("image",))
        if image is not None:
            if len(image) > 31 or not IMAGE_RE.match(image):
                self.err(path + ("image",), "bad-name",
                         "%s: image name '%s' is not valid: use 1 to 31 letters, "
                         "digits, '_', '-' or '.'" % (ctx, image))
            else:
                dom.image = image
        dom.memory_line = self.pos.line(path + ("memory",))
        mem = self.size(t, "memory", path, ctx, required=True)
        if mem is not None:
            if mem == 0 or mem % DOMAIN_MEM_ALIGN:
                self.err(path + ("memory",), "bad-size",
                         "%s: memory %s is not a non-zero multiple of 2 MiB"
                         % (ctx, fmt_size(mem)))
            elif mem > DOMAIN_MEM_MAX:
                self.err(path + ("memory",), "bad-size",
                         "%s: memory %s is larger than the %s limit"
                         % (ctx, fmt_size(mem), fmt_size(DOMAIN_MEM_MAX)))
            else:
                dom.memory = mem
        dom.phys_line = self.pos.line(path + ("phys",))
        phys = self.integer(t, "phys", path, ctx)
        if phys is not None:
            if phys % DOMAIN_MEM_ALIGN:
                self.err(path + ("phys",), "bad-size",
                         "%s: phys 0x%x is not 2 MiB aligned" % (ctx, phys))
            else:
                dom.phys = phys
        vcpus = self.integer(t, "vcpus", path, ctx, default=1)
        if vcpus != 1:
            self.err(path + ("vcpus",), "bad-vcpus",
                     "%s: vcpus must be 1 (domains have one vCPU for now)" % ctx)
        self.schedule(dom, t, path, ctx)
        slots = self.integer(t, "cspace_slots", path, ctx)
        dom.cspace_slots = self.d.system.cspace_slots
        if slots is not None and self.cspace_ok(slots, path + ("cspace_slots",), ctx):
            dom.cspace_slots = slots
        dom.autostart = self.boolean(t, "autostart", path, ctx, True)
        role = self.string(t, "role", path, ctx)
        if role is not None:
            dom.role_line = self.pos.line(path + ("role",))
            if role not in ROLES:
                self.err(path + ("role",), "bad-role",
                         "%s: role '%s' is not one of %s"
                         % (ctx, role, ", ".join(ROLES)))
            else:
                dom.role = role
        seen = {}
        for n, ct in enumerate(self.tables(t, "cap", path, ctx)):
            cap = self.cap(dom, ct, path + ("cap", n), n)
            if cap is None:
                continue
            if cap.name in seen:
                self.err(cap.line, "duplicate-cap",
                         "%s: duplicate cap name '%s' (first declared at line %d)"
                         % (ctx, cap.name, seen[cap.name]))
                continue
            seen[cap.name] = cap.line
            dom.caps.append(cap)

    def schedule(self, dom, t, path, ctx):
        period = self.integer(t, "period_us", path, ctx, default=DEFAULT_PERIOD_US)
        if period is not None and not 1 <= period <= PERIOD_MAX_US:
            self.err(path + ("period_us",), "bad-schedule",
                     "%s: period_us %d must be between 1 and %d"
                     % (ctx, period, PERIOD_MAX_US))
            period = None
        budget = self.integer(t, "budget_us", path, ctx)
        if budget is not None and budget == 0:
            self.err(path + ("budget_us",), "bad-schedule",
                     "%s: budget_us must not be zero" % ctx)
        elif budget is not None and period is not None and budget > period:
            self.err(path + ("budget_us",), "bad-schedule",
                     "%s: budget_us (%d) is larger than period_us (%d)"
                     % (ctx, budget, period))
        prio = self.integer(t, "priority", path, ctx, default=DEFAULT_PRIORITY)
        if prio is not None and prio > PRIORITY_MAX:
            self.err(path + ("priority",), "bad-schedule",
                     "%s: priority %d must be between 0 and %d"
                     % (ctx, prio, PRIORITY_MAX))
        dom.period_us = period or DEFAULT_PERIOD_US
        dom.budget_us = budget if budget else dom.period_us
        dom.priority = prio if prio is not None else DEFAULT_PRIORITY

    def cap(self, dom, t, path, n):
        dctx = dom.ctx
        ctx = "cap #%d of %s" % (n + 1, dctx)
        name = self.string(t, "name", path, ctx, required=True)
        valid = name is not None and self.name(name, path + ("name",), ctx)
        if valid:
            ctx = "cap '%s' of %s" % (name, dctx)
        self.fields(t, path, ("name", "object", "rights", "badge", "ipa"), ctx)
        cap = Cap(name, self.pos.line(path))
        cap.domain = dom
        oname = self.string(t, "object", path, ctx, required=True)
        rights = self.strings(t, "rights", path, ctx, required=True)
        badge = self.integer(t, "badge", path, ctx)
        ipa = self.integer(t, "ipa", path, ctx)
        if oname is not None:
            obj = self.d.by_name.get(oname)
            if obj is None:
                self.err(path + ("object",), "unknown-object",
                         "%s: unknown object '%s'" % (ctx, oname))
            else:
                cap.obj = obj
        if "rights" in t and not rights and isinstance(t["rights"], list):
            self.err(path + ("rights",), "no-rights", "%s: rights list is empty" % ctx)
        if cap.obj is not None:
            valid_rights = abi.load().valid_rights(cap.obj.kind)
            for i, r in enumerate(rights):
                if r not in valid_rights:
                    self.err(path + ("rights", i), "unknown-right",
                             "%s: right '%s' does not exist for %s objects "
                             "(valid: %s)" % (ctx, r, cap.obj.kind,
                                              ", ".join(valid_rights)))
                elif r in cap.rights:
                    self.err(path + ("rights", i), "duplicate-right",
                             "%s: right '%s' is listed twice" % (ctx, r))
                else:
                    cap.rights.append(r)
            if badge is not None and cap.obj.kind != "notification":
                self.err(path + ("badge",), "bad-badge",
                         "%s: a badge is only allowed on notification caps" % ctx)
            elif badge is not None:
                cap.badge = badge
            if ipa is not None and cap.obj.kind not in MAPPED_KINDS:
                self.err(path + ("ipa",), "bad-ipa",
                         "%s: 'ipa' is only allowed on device and channel caps"
                         % ctx)
            elif ipa is not None:
                cap.ipa = ipa
                cap.ipa_line = self.pos.line(path + ("ipa",))
        return cap if valid else None

    # -- cross checks -----------------------------------------------------------

    def channels(self):
        for dom in self.d.domains:
            for cap in dom.caps:
                if cap.obj is not None and cap.obj.kind == "channel":
                    cap.end = len(cap.obj.ends)
                    cap.obj.ends.append(cap)
        for obj in self.d.objects:
            if obj.kind != "channel":
                continue
            ends = obj.ends
            if len(ends) != 2:
                self.err(obj.line, "channel-ends",
                         "channel '%s' has %d end%s; a channel needs exactly 2, "
                         "held by two different domains"
                         % (obj.name, len(ends), "" if len(ends) == 1 else "s"))
            elif ends[0].domain is ends[1].domain:
                self.err(obj.line, "channel-ends",
                         "channel '%s': both ends are held by domain '%s'"
                         % (obj.name, ends[0].domain.name))

    def cspaces(self):
        for dom in self.d.domains:
            # Slot 0 stays empty so that a zeroed register names nothing.
            for n, cap in enumerate(dom.caps):
                cap.slot = n + 1
            if len(dom.caps) > dom.cspace_slots - 1:
                cap = dom.caps[dom.cspace_slots - 1]
                self.err(cap.line, "too-many-caps",
                         "%s: cap '%s' does not fit: %d caps, but a CSpace "
                         "of %d slots holds %d (slot 0 stays empty)"
                         % (dom.ctx, cap.name, len(dom.caps), dom.cspace_slots,
                            dom.cspace_slots - 1))
            elif len(dom.caps) > START_INFO_MAX_CAPS:
                cap = dom.caps[START_INFO_MAX_CAPS]
                self.err(cap.line, "too-many-caps",
                         "%s: cap '%s' does not fit: %d caps, but the start-info "
                         "page lists at most %d"
                         % (dom.ctx, cap.name, len(dom.caps), START_INFO_MAX_CAPS))

    def devices(self):
        ram = (RAM_BASE, RAM_BASE + self.d.system.ram_size, "RAM")
        placed = []
        for obj in self.d.objects:
            if obj.kind != "device" or obj.phys is None or obj.size is None:
                continue
            lo, hi = obj.phys, obj.phys + obj.size
            where = obj.path + ("base",)
            if hi > 1 << 48:
                self.err(where, "bad-device",
                         "%s: region %s is beyond the 48-bit physical address space"
                         % (obj.ctx, fmt_range(lo, hi)))
                continue
            bad = False
            for rlo, rhi, what in PLATFORM_RESERVED + [ram]:
                if lo < rhi and rlo < hi:
                    self.err(where, "bad-device",
                             "%s: region %s overlaps %s %s"
                             % (obj.ctx, fmt_range(lo, hi), what,
                                fmt_range(rlo, rhi)))
                    bad = True
            if bad:
                continue
            for other in placed:
                if lo < other.phys + other.size and other.phys < hi:
                    self.err(where, "device-overlap",
                             "%s: region %s overlaps device '%s' %s (line %d)"
                             % (obj.ctx, fmt_range(lo, hi), other.name,
                                fmt_range(other.phys, other.phys + other.size),
                                other.line))
                    bad = True
                    break
            if not bad:
                placed.append(obj)

    def irqs(self):
        seen = {}
        for obj in self.d.objects:
            if obj.kind != "irq" or obj.number is None:
                continue
            where = obj.path + ("intid",)
            if obj.number in RESERVED_INTIDS:
                self.err(where, "bad-irq", "%s: INTID %d is reserved for %s"
                         % (obj.ctx, obj.number, RESERVED_INTIDS[obj.number]))
            elif not SPI_MIN <= obj.number <= SPI_MAX:
                self.err(where, "bad-irq",
                         "%s: INTID %d is not an assignable SPI (%d..%d)"
                         % (obj.ctx, obj.number, SPI_MIN, SPI_MAX))
            elif obj.number in seen:
                self.err(where, "irq-overlap",
                         "%s: INTID %d is already declared by irq '%s' (line %d)"
                         % (obj.ctx, obj.number, seen[obj.number].name,
                            seen[obj.number].line))
            else:
                seen[obj.number] = obj

    def ipas(self):
        """Give each device and channel cap the IPA it is mapped at, and check
        that a domain's mappings fit and do not overlap."""
        for dom in self.d.domains:
            if dom.memory is None:
                continue
            mapped = [(DOMAIN_IPA_BASE, dom.ipa_end(), "its RAM")]
            cursor = CHANNEL_IPA_BASE
            for cap in dom.caps:
                obj = cap.obj
                if obj is None or obj.kind not in MAPPED_KINDS or not obj.size \
                        or (obj.kind == "device" and obj.phys is None):
                    continue
                ctx = "%s: cap '%s'" % (dom.ctx, cap.name)
                if cap.ipa is None:
                    cap.ipa = obj.phys if obj.kind == "device" else cursor
                    if obj.kind == "channel":
                        cursor += obj.size
                lo, hi = cap.ipa, cap.ipa + obj.size
                if lo % PAGE:
                    self.err(cap.ipa_line, "bad-ipa",
                             "%s: ipa 0x%x is not 4 KiB aligned" % (ctx, lo))
                    continue
                if hi > IPA_LIMIT:
                    self.err(cap.ipa_line, "bad-ipa",
                             "%s: mapping %s is beyond the 4 GiB IPA space%s"
                             % (ctx, fmt_range(lo, hi),
                                "; give the cap an 'ipa'"
                                if cap.ipa_line == cap.line else ""))
                    continue
                clash = [w for a, b, w in mapped if lo < b and a < hi]
                if clash:
                    self.err(cap.ipa_line, "bad-ipa", "%s: mapping %s overlaps %s"
                             % (ctx, fmt_range(lo, hi), clash[0]))
                    continue
                mapped.append((lo, hi, "cap '%s'" % cap.name))


def _is_size(v):
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return 0 <= v < 1 << 64
    return isinstance(v, str) and SIZE_RE.match(v) is not None


def _size_value(v):
    if isinstance(v, int):
        return v
    m = SIZE_RE.match(v)
    return int(m.group(1)) * SIZE_UNITS[m.group(2)]


def _syntax_error(filename, text, exc):
    msg = str(exc)
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", msg)
    if m:
        line = int(m.group(1))
        msg = msg[:m.start()] + " (column %s)" % m.group(2)
    else:
        line = max(1, len(text.splitlines()))
        msg = re.sub(r"\s*\(at end of document\)$", " (at end of file)", msg)
    return DescriptionError(filename, [Diagnostic(
        line, "syntax", "TOML syntax error: " + msg[:1].lower() + msg[1:])])


def parse(filename, text):
    """Validate the text; return (Description, diagnostics)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(filename, text, exc) from None
    desc = Description(filename, text)
    diags = _Checker(desc, data, Positions(text)).run()
    return desc, diags


def load(filename, image_path=None, tolerate=()):
    """Read, validate and (with an image path) resolve images.

    Raises DescriptionError, or OSError if the file cannot be read.
    Diagnostics whose kind is in `tolerate` do not raise when they are the
    only ones: they are kept in `desc.tolerated` (the auditor reports a
    channel without two ends or overlapping devices as violated invariants
    of the policy rather than refusing to look at it)."""
    with open(filename, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise DescriptionError(filename, [Diagnostic(
            line, "syntax", "TOML syntax error: the file is not valid UTF-8")])
    desc, diags = parse(filename, text)
    if image_path is not None:
        from .images import check_images    # images.py imports this module
        diags += check_images(desc, image_path)
    if any(d.kind not in tolerate for d in diags):
        raise DescriptionError(filename, diags)
    desc.tolerated = sorted(diags, key=lambda d: d.line)
    return desc
