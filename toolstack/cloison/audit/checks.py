# SPDX-License-Identifier: MIT
"""The policy invariants (docs/auditing.md), checked on the audit model.

Each check returns a Check: an identifier, a title, a status (held,
violated, or not checked when an input it needs was not given), the
findings that violate it (each naming the domains and objects concerned)
and notes (facts worth reading that are not violations). Every list is in a
fixed order so that the report is the same bytes for the same input.
"""

from .model import LIFECYCLE, fmt_range
from .reach import describe_holding, path_text, step_text

HELD, VIOLATED, NOT_CHECKED = "held", "violated", "not checked"


def plural(n, word, words=None):
    return "%d %s" % (n, word if n == 1 else (words or word + "s"))


class Finding:
    def __init__(self, message, domains=(), objects=(), steps=()):
        self.message = message
        self.domains = list(domains)
        self.objects = list(objects)
        self.steps = list(steps)        # path, one line per step


class Check:
    def __init__(self, ident, title):
        self.id = ident
        self.title = title
        self.status = HELD
        self.summary = ""
        self.findings = []
        self.notes = []

    def violate(self, finding):
        self.status = VIOLATED
        self.findings.append(finding)

    def skip(self, why):
        self.status = NOT_CHECKED
        self.summary = why


def _holders_text(m, hs):
    return ", ".join("%s (%s)" % (h.dom.name, describe_holding(m, h)) for h in hs)


# -- 1. devices and IRQs -------------------------------------------------------

def check_devices(m, reach):
    c = Check("device-exclusive",
              "exclusive ownership of every device MMIO range and IRQ")
    n = 0
    for obj in m.objects:
        if obj.kind not in ("device", "irq"):
            continue
        n += 1
        hs = reach.holders(obj)
        doms = [h.dom.name for h in hs]
        what = obj.label() + (" %s" % fmt_range(*obj.range()) if obj.kind == "device"
                              else " (INTID %d)" % obj.intid)
        if len(hs) > 1:
            c.violate(Finding("%s is reachable by %d domains: %s"
                              % (what, len(hs), _holders_text(m, hs)),
                              doms, [obj.name]))
    # Two objects over one range: the validator refuses them, the audit
    # reports them (load(tolerate=...)), naming who holds each.
    devs = [o for o in m.objects if o.kind == "device"]
    for i, a in enumerate(devs):
        for b in devs[i + 1:]:
            ra, rb = a.range(), b.range()
            if ra[0] < rb[1] and rb[0] < ra[1]:
                ha = [h.dom.name for h in reach.holders(a)]
                hb = [h.dom.name for h in reach.holders(b)]
                c.violate(Finding(
                    "device '%s' %s overlaps device '%s' %s: one MMIO range in "
                    "two objects (held by %s; by %s)"
                    % (a.name, fmt_range(*ra), b.name, fmt_range(*rb),
                       ", ".join(ha) or "nobody", ", ".join(hb) or "nobody"),
                    sorted(set(ha + hb)), [a.name, b.name]))
    irqs = [o for o in m.objects if o.kind == "irq"]
    for i, a in enumerate(irqs):
        for b in irqs[i + 1:]:
            if a.intid == b.intid:
                ha = [h.dom.name for h in reach.holders(a)]
                hb = [h.dom.name for h in reach.holders(b)]
                c.violate(Finding(
                    "irq '%s' and irq '%s' are both INTID %d (held by %s; by %s)"
                    % (a.name, b.name, a.intid, ", ".join(ha) or "nobody",
                       ", ".join(hb) or "nobody"),
                    sorted(set(ha + hb)), [a.name, b.name]))
    # A domain declared a guest that reaches a device: a driver in disguise.
    for obj in m.objects:
        if obj.kind not in ("device", "irq"):
            continue
        for h in reach.holders(obj):
            if h.dom.declared_role == "guest":
                c.violate(Finding("%s is reachable by domain '%s', declared a guest: only "
                                  "driver domains reach devices" % (obj.label(), h.dom.name),
                                  [h.dom.name], [obj.name]))
    # No IOMMU (docs/threat-model.md): every device is taken to be able to
    # DMA, so its holder can reach all physical memory.
    for obj in m.objects:
        if obj.kind != "device":
            continue
        for h in reach.holders(obj):
            c.notes.append("DMA: domain '%s' holds %s %s: no IOMMU, so it can "
                           "reach all physical memory through the device"
                           % (h.dom.name, obj.label(), fmt_range(*obj.range())))
    if c.status == HELD:
        c.summary = ("%s, each reachable by at most one domain"
                     % plural(n, "device or irq object", "device and irq objects"))
    return c


# -- 2. memory -------------------------------------------------------------------

def mappable(m, reach):
    """Physical memory each domain can map: [(dom, lo, hi, what, obj, holding)]
    in a fixed order. Its RAM; channels it holds; untyped pools from which it
    may make frames or channels (retype_frame, retype_channel)."""
    out = []
    for dom in m.domains:
        if dom.mem_size:
            out.append((dom, dom.mem_phys, dom.mem_phys + dom.mem_size,
                        "its RAM", None, None))
        for h in reach.of(dom):
            o = h.obj
            if o.range() is None:
                continue
            if o.kind == "channel":
                out.append((dom, o.range()[0], o.range()[1], o.label(), o, h))
            elif o.kind == "untyped":
                rs = [r for r in ("retype_frame", "retype_channel")
                      if m.has("untyped", h.mask, r)]
                if rs:
                    out.append((dom, o.range()[0], o.range()[1],
                                "%s (%s)" % (o.label(), ",".join(rs)), o, h))
    return out


def check_memory(m, reach):
    c = Check("memory-exclusive",
              "no memory mapped into two domains except declared channels")
    regions = mappable(m, reach)
    shared = {}         # object index -> [regions], for objects in 2+ domains
    for i, a in enumerate(regions):
        for b in regions[i + 1:]:
            if a[0] is b[0] or not (a[1] < b[2] and b[1] < a[2]):
                continue
            if a[4] is not None and a[4] is b[4]:
                if a[4].kind == "channel":
                    continue            # a declared channel: its ends are check 6
                lst = shared.setdefault(a[4].index, [a])
                if b not in lst:
                    lst.append(b)
                continue
            objs = [r[4].name for r in (a, b) if r[4] is not None]
            c.violate(Finding(
                "domain '%s' can map %s %s and domain '%s' can map %s %s: "
                "they overlap" % (a[0].name, a[3], fmt_range(a[1], a[2]),
                                  b[0].name, b[3], fmt_range(b[1], b[2])),
                [a[0].name, b[0].name], objs))
    for oi in sorted(shared):
        regs = shared[oi]
        obj = m.objects[oi]
        c.violate(Finding(
            "%s %s can be mapped by %d domains: %s; memory is shared only "
            "through declared channels"
            % (obj.label(), fmt_range(*obj.range()), len(regs),
               _holders_text(m, [r[5] for r in regs])),
            [r[0].name for r in regs], [obj.name]))
    for r in regions:
        for lo, hi, what in ((m.hyp[0], m.hyp[1], "the hypervisor and boot bundle"),
                             (m.pool[0], m.pool[1], "the hypervisor's pool")):
            if r[1] < hi and lo < r[2]:
                c.violate(Finding("domain '%s' can map %s %s, which overlaps %s %s"
                                  % (r[0].name, r[3], fmt_range(r[1], r[2]), what,
                                     fmt_range(lo, hi)),
                                  [r[0].name], [r[4].name] if r[4] else []))
    if c.status == HELD:
        c.summary = ("%s in %s; only declared channels are in two"
                     % (plural(len(regions), "mappable region"),
                        plural(len(m.domains), "domain")))
    return c


# -- 3. derived rights ------------------------------------------------------------

def check_rights(m, reach):
    c = Check("derived-rights", "derived rights within parent rights")
    for cap in m.caps:
        full = m.full_mask(cap.obj.kind)
        extra = cap.mask & ~full
        if extra:
            c.violate(Finding(
                "domain '%s' %s on %s has rights 0x%x outside its type (%s "
                "rights: %s)" % (cap.holder.name, cap.label(), cap.obj.label(),
                                 extra, cap.obj.kind,
                                 ", ".join(m.abi.valid_rights(cap.obj.kind))),
                [cap.holder.name], [cap.obj.name]))
        if cap.badge and cap.obj.kind != "notification":
            c.violate(Finding(
                "domain '%s' %s on %s carries badge 0x%x: only notification "
                "caps have a badge" % (cap.holder.name, cap.label(),
                                       cap.obj.label(), cap.badge),
                [cap.holder.name], [cap.obj.name]))
    for h in reach.obtainable():
        parent = h.via.giver_h
        if h.mask & ~parent.mask:     # cannot happen by construction (rule H2)
            c.violate(Finding(
                "domain '%s' could obtain rights [%s] on %s wider than those of "
                "its source in domain '%s' [%s]"
                % (h.dom.name, ",".join(m.names(h.obj.kind, h.mask)),
                   h.obj.label(), parent.dom.name,
                   ",".join(m.names(h.obj.kind, parent.mask))),
                [h.dom.name, parent.dom.name], [h.obj.name]))
    if c.status == HELD:
        c.summary = ("every boot cap is a root (the description derives no cap "
                     "from another): %s, each within the rights of its object type, "
                     "badges only on notifications; %s obtainable through grant "
                     "with its source's rights or fewer"
                     % (plural(len(m.caps), "boot cap"),
                        plural(len(reach.obtainable()), "cap")))
    return c


# -- 4. control domains ----------------------------------------------------------

def _control_channel(m, reach, dom, obj):
    """Whether channel obj is a control channel of control domain dom: every
    other holder is a driver domain with a connect inbox that dom holds
    `connect` on (docs/dynamic-guests.md: dom0 tells storage-dom which disk
    a guest it creates gets; the guest's channel is the core's)."""
    others = [x.dom for x in reach.holders(obj) if x.dom is not dom]
    connect = [h.obj.domain for h in reach.of(dom) if h.obj.kind == "domain"
               and m.has("domain", h.mask, "connect")]
    return bool(others) and all(o in connect and o.role == "driver" and o.inbox_slots
                                for o in others)


def check_control(m, reach):
    c = Check("control-domain",
              "dom0 holds no device, no frame of any guest, no channel end, "
              "no notification shared with another domain; no other domain "
              "holds lifecycle rights")
    ctl = m.domains_by_role("control")
    regions = mappable(m, reach)
    for dom in ctl:
        c.notes.append("control domain '%s': %s" % (dom.name, dom.role_why))
    for dom in ctl:
        for h in reach.of(dom):
            o = h.obj
            how = describe_holding(m, h)
            if o.kind in ("device", "irq"):
                c.violate(Finding("control domain '%s' can reach %s: it %s"
                                  % (dom.name, o.label(), how), [dom.name], [o.name]))
            elif o.kind == "channel" and _control_channel(m, reach, dom, o):
                c.notes.append(
                    "control domain '%s' holds an end of %s, a control channel to %s, "
                    "which it may connect guests to: requests only, a guest's own "
                    "channel is made by domain_connect and never held by it"
                    % (dom.name, o.label(), _holders_text(
                        m, [x for x in reach.holders(o) if x.dom is not dom])))
            elif o.kind == "channel":
                c.violate(Finding("control domain '%s' holds an end of %s: it %s"
                                  % (dom.name, o.label(), how), [dom.name], [o.name]))
            elif o.kind == "untyped" and m.has("untyped", h.mask, "retype_frame"):
                c.violate(Finding(
                    "control domain '%s' can make frames from %s (retype_frame): "
                    "it %s; a control domain's pools must not let it map memory "
                    "(docs/capabilities.md)" % (dom.name, o.label(), how),
                    [dom.name], [o.name]))
            elif o.kind == "untyped" and m.has("untyped", h.mask, "retype_channel"):
                c.notes.append(
                    "control domain '%s' can make channels from %s "
                    "(retype_channel): a channel it makes and keeps a cap on is "
                    "mappable by it; --live shows whether it kept one"
                    % (dom.name, o.label()))
            elif o.kind == "frame":
                c.violate(Finding("control domain '%s' holds %s: it %s"
                                  % (dom.name, o.label(), how), [dom.name], [o.name]))
            elif o.kind == "notification":
                others = [x for x in reach.holders(o) if x.dom is not dom]
                if others:
                    c.violate(Finding(
                        "control domain '%s' shares %s with %s: it %s; a "
                        "control domain signals no other domain and waits on "
                        "none" % (dom.name, o.label(), _holders_text(m, others),
                                  how),
                        [dom.name] + [x.dom.name for x in others], [o.name]))
        for r in regions:
            if r[0] is not dom:
                continue
            for other in m.domains:
                if other is dom or not other.mem_size:
                    continue
                lo, hi = other.ram()
                if r[1] < hi and lo < r[2]:
                    c.violate(Finding(
                        "control domain '%s' can map %s %s, which overlaps the "
                        "RAM of domain '%s' %s" % (dom.name, r[3],
                                                   fmt_range(r[1], r[2]),
                                                   other.name, fmt_range(lo, hi)),
                        [dom.name, other.name], [r[4].name] if r[4] else []))
    for dom in m.domains:
        if dom.role != "control":
            _lifecycle_rights(m, reach, c, dom)
    if c.status == HELD:
        c.summary = ("control domains: %s; none can reach a device, an irq, a "
                     "channel end, a notification another domain holds, a pool "
                     "it could make frames from, or another domain's RAM; no "
                     "other domain has lifecycle rights"
                     % ", ".join(d.name for d in ctl)
                     if ctl else "no control domain in this system, and no "
                     "domain has lifecycle rights over another")
    return c


def _lifecycle_rights(m, reach, c, dom):
    """A domain that is not a control domain (declared otherwise, or managed
    by another) must not be able to build, start, stop, resume or destroy
    another domain: it is reported, not promoted to a control domain."""
    if dom.declared_role:
        why = 'it declares role = "%s"' % dom.declared_role
    elif dom.managed_by:
        why = "%s manage%s it" % (" and ".join(dom.managed_by),
                                  "s" if len(dom.managed_by) == 1 else "")
    else:
        why = "its boot caps give it no lifecycle right"
    for h in reach.of(dom):
        o = h.obj
        if o.kind != "domain" or o.domain is None or o.domain is dom:
            continue
        rights = [r for r in LIFECYCLE if m.has("domain", h.mask, r)]
        if rights:
            c.violate(Finding(
                "%s '%s' has lifecycle rights [%s] over domain '%s': it %s; "
                "only a control domain may build, start, stop, resume or "
                "destroy another domain, and %s is not one (%s)"
                % (dom.role, dom.name, ",".join(rights), o.name,
                   describe_holding(m, h), dom.name, why),
                [dom.name, o.name], [o.name]))


# -- 5. guest-to-guest paths ------------------------------------------------------

def check_guest_paths(m, reach):
    c = Check("guest-paths",
              "every guest-to-guest path goes through a declared driver domain")
    for g, other, edges in reach.guest_paths():
        objs = []
        for e in edges:
            for node in (e.src, e.dst):
                if node[0] == "o" and m.objects[node[1]].name not in objs:
                    objs.append(m.objects[node[1]].name)
        doms = []
        for e in edges:
            for node in (e.src, e.dst):
                if node[0] == "d" and m.domains[node[1]].name not in doms:
                    doms.append(m.domains[node[1]].name)
        c.violate(Finding("guest '%s' can reach guest '%s' without a driver "
                          "domain: %s" % (g.name, other.name, path_text(m, edges)),
                          doms, objs, [step_text(m, e) for e in edges]))
    guests = m.domains_by_role("guest")
    drivers = m.domains_by_role("driver")
    if c.status == HELD:
        c.summary = ("%s (%s), %s (%s); no path from a guest reaches another "
                     "guest except through a driver domain"
                     % (plural(len(guests), "guest"),
                        ", ".join(d.name for d in guests) or "none",
                        plural(len(drivers), "driver domain"),
                        ", ".join(d.name for d in drivers) or "none"))
    return c


# -- 6. channel ends -------------------------------------------------------------

def check_channels(m, reach):
    c = Check("channel-ends", "each channel has exactly two declared ends")
    n = 0
    for obj in m.objects:
        if obj.kind != "channel":
            continue
        n += 1
        ends = [cap for cap in m.caps if cap.obj is obj]
        names = ["%s (%s)" % (e.holder.name, e.label()) for e in ends]
        doms = [e.holder.name for e in ends]
        if len(ends) != 2:
            c.violate(Finding(
                "channel '%s' has %d declared end%s%s; a channel needs exactly "
                "2, in two different domains"
                % (obj.name, len(ends), "" if len(ends) == 1 else "s",
                   (": " + ", ".join(names)) if names else ""),
                doms, [obj.name]))
        elif ends[0].holder is ends[1].holder:
            c.violate(Finding("channel '%s': both ends are held by domain '%s'"
                              % (obj.name, ends[0].holder.name), doms, [obj.name]))
        for h in reach.holders(obj):
            if not h.caps:
                c.violate(Finding("channel '%s' could gain an end in domain '%s': "
                                  "it %s" % (obj.name, h.dom.name,
                                             describe_holding(m, h)),
                                  [h.dom.name], [obj.name]))
    if c.status == HELD:
        c.summary = "%s, each with two ends in two domains" % plural(n, "channel")
    return c


def run_all(m, reach):
    """The nine checks that need nothing but the policy (and, for a domain
    that creates guests, its store's configs; for a switch, its ports)."""
    from .dynamic import check_dynamic     # dynamic.py imports this module
    from .net import check_net             # net.py imports this module
    from .vmm import check_vmm             # vmm.py imports this module
    return [check_devices(m, reach), check_memory(m, reach),
            check_rights(m, reach), check_control(m, reach),
            check_guest_paths(m, reach), check_channels(m, reach),
            check_dynamic(m, reach), check_net(m, reach), check_vmm(m, reach)]
