# SPDX-License-Identifier: MIT
"""Systems whose control domain creates guests at run time
(docs/dynamic-guests.md, docs/auditing.md "Dynamic systems").

The boot policy is not the whole story when a domain can create domains:
what it could ever create is bounded by

- its pools: untyped caps with retype_domain (the guest's memory, its vm and
  tables come from them), and the object types its retype rights allow;
- the caps it may hand on (domain_install copies a cap only if it has
  grant): those and objects made from its pools are all a created guest can
  ever hold;
- the guest configs of its store (memory, budget, priority), which must fit
  what the core lets it give: the pool, its own CPU share and priority;
- the connect policy: the driver domains it holds the connect right on
  (domain_connect makes a channel between a guest it builds and such a
  driver's connect inbox, and gives the creator neither end).

check_dynamic turns that into a bound on every reachable state and checks
it: no device, irq, frame or another domain's channel end can ever reach a
created guest (the core never installs a CNode, pool or domain cap), a
created guest is connected only to driver domains, and every config can be
created. The live check
(live.py) then accepts a dump's run-time domains and objects exactly within
this bound.
"""
from .checks import HELD, Check, Finding, plural

# The objects a created guest's memory and CSpace take from its creator's
# pool besides its RAM (object/build.c: a page of record, 8 KiB of vm,
# table pages: one per 2 MiB of RAM plus 8): a lower bound per guest.
BUILD_OVERHEAD = 0x1000 + 0x2000 + 8 * 0x1000
MIB2 = 2 << 20
# What domain_install refuses whatever the rights (object/build.c).
NEVER_INSTALLED = ("cnode", "untyped", "domain")


class Creator:
    def __init__(self, dom):
        self.dom = dom
        self.pools = []         # (Obj, mask) with retype_domain
        self.kinds = set()      # object types its pools make
        self.grants = []        # (Obj, mask) caps it may hand on
        self.connects = []      # Dom: the domains it may connect guests to


def creators(m, reach):
    """The domains that can create domains, each as a Creator."""
    out = []
    for dom in m.domains:
        c = Creator(dom)
        for h in reach.of(dom):
            if h.obj.kind == "untyped" and m.has("untyped", h.mask, "retype_domain"):
                c.pools.append((h.obj, h.mask))
                for kind in ("frame", "cnode", "notification", "domain", "channel"):
                    if m.has("untyped", h.mask, "retype_" + kind):
                        c.kinds.add(kind)
        if not c.pools:
            continue
        for h in reach.of(dom):
            if (h.obj.kind == "domain" and h.obj.domain is not None
                    and m.has("domain", h.mask, "connect") and h.obj.domain not in c.connects):
                c.connects.append(h.obj.domain)
        for cap in dom.caps:
            if m.has(cap.obj.kind, cap.mask, "grant") and cap.obj.kind not in NEVER_INSTALLED:
                c.grants.append((cap.obj, cap.mask))
        out.append(c)
    return out


def made_kinds(cr):
    """What a guest of cr can hold made at run time: its pools' types but
    the ones the core never installs."""
    return sorted(k for k in cr.kinds if k not in NEVER_INSTALLED)


def _configs(m, dom):
    from .. import guestconfig
    from ..errors import DescriptionError
    out = []
    for path in m.stores.get(dom.name, []):
        try:
            out.append((path, guestconfig.load(path), None))
        except (OSError, DescriptionError) as exc:
            out.append((path, None, exc))
    return out


def check_dynamic(m, reach):
    c = Check("dynamic-bound", "what a domain can create at run time is bounded by its "
              "pools, its retype rights and the caps it may hand on")
    cs = creators(m, reach)
    for cr in cs:
        dom = cr.dom
        pool_bytes = sum(o.size or 0 for o, _ in cr.pools)
        # A pool that also makes frames is control-domain's finding (a
        # domain that creates domains is a control domain).
        for obj, mask in cr.grants:
            names = ",".join(m.names(obj.kind, mask))
            if obj.kind in ("device", "irq", "frame"):
                c.violate(Finding("domain '%s' may hand %s [%s] to the guests it creates: a "
                                  "guest made at run time would reach hardware or memory"
                                  % (dom.name, obj.label(), names), [dom.name], [obj.name]))
            elif obj.kind == "channel":
                c.violate(Finding("domain '%s' may hand its end of %s to the guests it "
                                  "creates: an end of a declared channel would change hands "
                                  "at run time" % (dom.name, obj.label()),
                                  [dom.name], [obj.name]))
        _check_connects(m, c, cr)
        grants = ", ".join("%s [%s]" % (o.label(), ",".join(m.names(o.kind, mk)))
                           for o, mk in cr.grants) or "nothing"
        c.notes.append(
            "domain '%s' creates guests from %s (%s in all): at most %d guests of 2 MiB at "
            "once; a guest it creates can hold only objects made from those pools (%s) and "
            "what it may hand on: %s"
            % (dom.name, ", ".join(o.label() for o, _ in cr.pools), _size(pool_bytes),
               pool_bytes // (MIB2 + BUILD_OVERHEAD), ", ".join(made_kinds(cr)) or "none",
               grants))
        budget, period, prio = m.sched.get(dom.name, (0, 1, 0))
        for path, cfg, exc in _configs(m, dom):
            if exc is not None:
                msg = exc.lines()[0] if hasattr(exc, "lines") else str(exc)
                c.violate(Finding("domain '%s': store config %s: %s" % (dom.name, path, msg),
                                  [dom.name]))
                continue
            why = []
            if cfg.memory + BUILD_OVERHEAD + cfg.memory // MIB2 * 0x1000 > pool_bytes:
                why.append("memory %s does not fit its pools (%s)"
                           % (_size(cfg.memory), _size(pool_bytes)))
            if cfg.priority > prio:
                why.append("priority %d is above its own %d" % (cfg.priority, prio))
            if cfg.budget_us * period > budget * cfg.period_us:
                why.append("budget_us %d of period_us %d is more than its own share "
                           "(%d of %d)" % (cfg.budget_us, cfg.period_us, budget, period))
            if why:
                c.notes.append("domain '%s': store config '%s' can never be created: %s"
                               % (dom.name, cfg.name, "; ".join(why)))
    if c.status == HELD:
        c.summary = ("no domain can create domains at run time" if not cs else
                     "%s can create domains; what they create can hold no device, irq, "
                     "frame or declared channel end (and never a CNode, pool or domain cap)"
                     % plural(len(cs), "domain"))
    return c


def _check_connects(m, c, cr):
    """The connect policy: which driver domains cr's guests can be given a
    channel to (domain_connect), through which inbox."""
    dom = cr.dom
    for drv in cr.connects:
        if drv.inbox_slots == 0:
            c.notes.append("domain '%s' holds connect on '%s', which reserves no connect "
                           "inbox: domain_connect to it is refused" % (dom.name, drv.name))
        elif drv.role != "driver":
            c.violate(Finding("domain '%s' may connect the guests it creates to domain '%s' "
                              "(connect inbox of %d slots), which is not a driver domain: a "
                              "guest made at run time would get a channel to it"
                              % (dom.name, drv.name, drv.inbox_slots),
                              [dom.name, drv.name], [drv.name]))
        elif "channel" not in cr.kinds:
            c.notes.append("domain '%s' holds connect on '%s' but its pools cannot make "
                           "channels (no retype_channel): domain_connect is refused"
                           % (dom.name, drv.name))
        else:
            ports = [str(p.obj) for p in getattr(m, "netports", [])
                     if p.kind == "runtime" and p.switch == drv.name]
            c.notes.append("domain '%s' may connect the guests it creates to driver domain "
                           "'%s': each a channel from its pools, end 1 in the guest, end 0 "
                           "in one of the %d slots of '%s''s connect inbox (slots %d..%d); "
                           "'%s' holds neither end%s"
                           % (dom.name, drv.name, drv.inbox_slots, drv.name,
                              drv.cspace_slots - drv.inbox_slots, drv.cspace_slots - 1,
                              dom.name,
                              "; its run-time ports: %s (MAC, addresses, mode and VLANs "
                              "as the description gives them)" % ", ".join(ports)
                              if ports else ""))


def connected_end(m, creators, dc):
    """Why cap dc of a policy domain's dump, in no policy slot, is a
    run-time client's channel end in that domain's connect inbox, or None."""
    drv = m.dom_by_name.get(dc.domain)
    if (drv is None or not drv.inbox_slots or dc.type != "channel" or dc.badge != 0
            or not dc.object.startswith("#")
            or not drv.cspace_slots - drv.inbox_slots <= dc.slot < drv.cspace_slots):
        return None
    for cr in creators.values():
        if drv in cr.connects and "channel" in cr.kinds:
            return ("end 0 of a channel '%s' connected to one of its guests (connect inbox)"
                    % cr.dom.name)
    return None


def _size(n):
    return "%d MiB" % (n >> 20) if n % (1 << 20) == 0 else "%d KiB" % (n >> 10)


def allowed_live(m, reach):
    """For live.compare: {creator name: Creator}."""
    return {cr.dom.name: cr for cr in creators(m, reach)}
