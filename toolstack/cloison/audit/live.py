# SPDX-License-Identifier: MIT
"""The live check: read the hypervisor's capability dump from a console log
and compare it with the audited policy.

Dump format (hyp/core/capdump.c prints it; docs/auditing.md):

  CLOISON-CAPDUMP BEGIN policy=<64 hex> domains=<n>
  CLOISON-CAPDUMP DOMAIN name=<domain> state=<state> slots=<cspace size>
  CLOISON-CAPDUMP CAP domain=<domain> slot=<n> type=<type> object=<name|#id> rights=0x<hex> badge=0x<hex>
  CLOISON-CAPDUMP END caps=<n>

A line may carry a "[name] " prefix when a domain relayed it; every line of
one dump must then carry the same prefix. Other console lines may come in
between. The last complete dump in the log is the one compared; a dump line
that does not parse, and a dump that is cut short, are errors that name the
line.
"""

import re

from ..errors import show
from .checks import HELD, Check, Finding

MARK = "CLOISON-CAPDUMP"
LINE_RE = re.compile(r"^(?:\[([A-Za-z][A-Za-z0-9_.-]{0,30})\] )?"
                     r"CLOISON-CAPDUMP (BEGIN|DOMAIN|CAP|END)((?: [a-z]+=\S+)*)$")
# A dump line starts with the mark (after an optional "[name] " prefix); a
# line that starts so must then parse. The mark elsewhere in a line is not
# a dump line (a lost or garbled dump line is caught by the END counts).
START_RE = re.compile(r"^(?:\[[A-Za-z][A-Za-z0-9_.-]{0,30}\] )?CLOISON-CAPDUMP ")
NAME = r"[A-Za-z][A-Za-z0-9_.-]{0,30}"
FIELDS = {
    "BEGIN": (("policy", r"[0-9a-fA-F]{64}"), ("domains", r"[0-9]{1,9}")),
    "DOMAIN": (("name", NAME),
               ("state", r"created|built|running|stopped|destroyed"),
               ("slots", r"[0-9]{1,9}")),
    "CAP": (("domain", NAME), ("slot", r"[0-9]{1,9}"), ("type", r"[a-z_]+"),
            ("object", NAME + r"|#[0-9]{1,20}"), ("rights", r"0x[0-9a-fA-F]{1,16}"),
            ("badge", r"0x[0-9a-fA-F]{1,16}")),
    "END": (("caps", r"[0-9]{1,9}"),),
}


class DumpError(Exception):
    def __init__(self, line, message):
        super().__init__(message)
        self.line = line
        self.message = message


class DumpDomain:
    def __init__(self, name, state, slots, line):
        self.name, self.state, self.slots, self.line = name, state, slots, line


class DumpCap:
    def __init__(self, domain, slot, type_, obj, rights, badge, line):
        self.domain, self.slot, self.type, self.object = domain, slot, type_, obj
        self.rights, self.badge, self.line = rights, badge, line


class Dump:
    def __init__(self, prefix, policy, ndomains, line):
        self.prefix = prefix
        self.policy = policy
        self.ndomains = ndomains
        self.begin_line = line
        self.end_line = None
        self.domains = []
        self.caps = []



def expected_badge(pc):
    """The badge word the hypervisor shows for a policy cap: the badge for a
    notification cap, the end (0 or 1) for a channel cap (ABI 0.5)."""
    if pc.obj.kind == "channel":
        return getattr(pc, "end", 0) or 0
    return pc.badge

def _fields(kind, rest, lineno):
    pairs = [p.split("=", 1) for p in rest.split()]
    want = FIELDS[kind]
    keys = [k for k, _ in pairs]
    if keys != [k for k, _ in want]:
        raise DumpError(lineno, "%s line: fields %s, expected %s"
                        % (kind, " ".join(keys) or "none",
                           " ".join(k for k, _ in want)))
    out = {}
    for (key, val), (_, pat) in zip(pairs, want):
        if not re.fullmatch(pat, val):
            raise DumpError(lineno, "%s line: bad %s %s" % (kind, key, show(val)))
        out[key] = val
    return out


def parse(text, types=None):
    """The last complete dump in `text`. Raises DumpError."""
    last = None
    cur = None
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        if not START_RE.match(line):
            continue
        mo = LINE_RE.match(line)
        if not mo:
            raise DumpError(lineno, "not a valid %s line: %s" % (MARK, show(line, 120)))
        prefix, kind, rest = mo.group(1), mo.group(2), mo.group(3)
        f = _fields(kind, rest, lineno)
        if kind == "BEGIN":
            if cur is not None:
                raise DumpError(lineno, "BEGIN, but the dump that began at line "
                                "%d has no END: it is truncated" % cur.begin_line)
            cur = Dump(prefix, f["policy"].lower(), int(f["domains"]), lineno)
            continue
        if cur is None:
            raise DumpError(lineno, "%s line outside a dump (no BEGIN before it)"
                            % kind)
        if prefix != cur.prefix:
            raise DumpError(lineno, "%s line from %s, but the dump that began at "
                            "line %d came from %s"
                            % (kind, _source(prefix), cur.begin_line,
                               _source(cur.prefix)))
        if kind == "DOMAIN":
            if any(d.name == f["name"] for d in cur.domains):
                raise DumpError(lineno, "domain '%s' is listed twice" % f["name"])
            cur.domains.append(DumpDomain(f["name"], f["state"], int(f["slots"]),
                                          lineno))
        elif kind == "CAP":
            if not cur.domains or cur.domains[-1].name != f["domain"]:
                raise DumpError(lineno, "CAP of domain '%s' is not under its "
                                "DOMAIN line" % f["domain"])
            dom = cur.domains[-1]
            slot = int(f["slot"])
            if slot >= dom.slots:
                raise DumpError(lineno, "slot %d is outside the %d-slot CSpace of "
                                "domain '%s'" % (slot, dom.slots, dom.name))
            if any(c.domain == dom.name and c.slot == slot for c in cur.caps):
                raise DumpError(lineno, "slot %d of domain '%s' is listed twice"
                                % (slot, dom.name))
            if types is not None and f["type"] not in types:
                raise DumpError(lineno, "unknown object type '%s'" % f["type"])
            cur.caps.append(DumpCap(dom.name, slot, f["type"], f["object"],
                                    int(f["rights"], 16), int(f["badge"], 16),
                                    lineno))
        else:
            if int(f["caps"]) != len(cur.caps) or cur.ndomains != len(cur.domains):
                raise DumpError(lineno, "END says caps=%s and BEGIN (line %d) "
                                "domains=%d, but the dump has %d CAP and %d DOMAIN "
                                "lines: it is truncated or corrupted"
                                % (f["caps"], cur.begin_line, cur.ndomains,
                                   len(cur.caps), len(cur.domains)))
            cur.end_line = lineno
            last, cur = cur, None
    if cur is not None:
        raise DumpError(cur.begin_line, "the dump that begins here has no END "
                        "line: it is truncated")
    if last is None:
        raise DumpError(0, "no capability dump (no %s BEGIN line)" % MARK)
    return last


def _source(prefix):
    return "domain '%s'" % prefix if prefix else "the hypervisor console"


def _run_time_cap(m, creators, dc, holder_creator):
    from .dynamic import NEVER_INSTALLED
    """Why a cap not in the policy is within what a domain that creates
    guests could have made (dynamic.py), or None. holder_creator: the
    Creator of the domain holding it (for its own slots) or of the domain
    that created its holder (for a guest made at run time)."""
    cr = holder_creator
    if cr is None:
        return None
    if dc.object.startswith("#"):
        # The creator's own slots may hold anything its pools make; a
        # guest's, only what the core installs.
        own = dc.domain == cr.dom.name
        if dc.type in cr.kinds and (own or dc.type not in NEVER_INSTALLED):
            return "a %s made at run time from the pools of '%s'" % (dc.type, cr.dom.name)
        return None
    for obj, mask in cr.grants:
        if obj.name == dc.object and obj.kind == dc.type and not dc.rights & ~mask:
            return "handed on by '%s' from its %s" % (cr.dom.name, obj.label())
    return None


def compare(m, dump, log_name, reach=None):
    """Check live-subset: every cap of the dump is a cap of the policy, with
    the same slot, object, type and badge and no more rights. Policy caps
    missing from the dump are notes (revoked or deleted since boot). In a
    system whose control domain creates guests, its run-time objects and the
    guests it made are checked against the bound dynamic.py computes."""
    from .dynamic import allowed_live, connected_end
    c = Check("live-subset", "the live capability dump is a subset of the policy")
    creators = allowed_live(m, reach) if reach is not None else {}
    made = {}                           # run-time domain name -> Creator
    only = next(iter(creators.values())) if len(creators) == 1 else None
    where = "%s lines %d-%d" % (log_name, dump.begin_line, dump.end_line)
    if dump.prefix is not None:
        relay = m.dom_by_name.get(dump.prefix)
        ok = relay is not None and any(
            cap.obj.kind == "system" and m.has("system", cap.mask, "audit")
            for cap in relay.caps)
        if not ok:
            c.violate(Finding(
                "the dump was relayed by domain '%s', which holds no audit right "
                "on system in the policy: it cannot have obtained it, so it is "
                "not evidence of the live state" % dump.prefix,
                [dump.prefix], ["system"]))
    if dump.policy != m.sha256:
        c.notes.append("the dump comes from a system running policy %s, not the "
                       "audited %s (see policy-hash); caps are compared with the "
                       "audited policy all the same" % (dump.policy, m.sha256))
    live = {d.name: d for d in dump.domains}
    for d in dump.domains:
        dom = m.dom_by_name.get(d.name)
        if dom is None and only is not None:
            made[d.name] = only
            c.notes.append("domain '%s' (line %d, %s) was made at run time by '%s'"
                           % (d.name, d.line, d.state, only.dom.name))
            continue
        if dom is None:
            c.violate(Finding("domain '%s' (line %d) is not in the policy%s"
                              % (d.name, d.line, "" if not creators else
                                 "; more than one domain creates domains, so which "
                                 "made it is not known"), [d.name]))
            continue
        if d.slots != dom.cspace_slots and not (d.state == "destroyed" and d.slots == 0):
            c.violate(Finding("domain '%s' (line %d) has a CSpace of %d slots; the "
                              "policy gives it %d" % (d.name, d.line, d.slots,
                                                      dom.cspace_slots), [d.name]))
    if dump.domains:
        c.notes.append("domain states: " + ", ".join(
            "%s %s" % (d.name, d.state) for d in dump.domains))
    for dom in m.domains:
        if dom.name not in live:
            c.notes.append("domain '%s' of the policy is not in the dump" % dom.name)
    seen = set()
    for dc in dump.caps:
        dom = m.dom_by_name.get(dc.domain)
        kind = dc.type
        desc = "%s '%s' rights [%s] badge 0x%x" % (
            kind, dc.object, ",".join(m.names(kind, dc.rights)) or "none", dc.badge)
        head = "line %d: domain '%s' slot %d holds %s" % (dc.line, dc.domain,
                                                           dc.slot, desc)
        objs = [dc.object]
        if dom is None:
            cr = made.get(dc.domain)
            if cr is not None and not _run_time_cap(m, creators, dc, cr):
                c.violate(Finding("%s: beyond what '%s' can give a guest it creates"
                                  % (head, cr.dom.name), [dc.domain, cr.dom.name], objs))
            continue                    # otherwise reported with its DOMAIN line
        pc = next((x for x in dom.caps if x.slot == dc.slot), None)
        if pc is None and _run_time_cap(m, creators, dc, creators.get(dom.name)):
            continue                    # its own object made at run time
        if pc is None and connected_end(m, creators, dc):
            continue                    # a run-time client's end in its inbox
        if pc is None:
            why = "the policy puts no cap in this slot"
            if dc.object.startswith("#"):
                why += " (%s is an object made at run time)" % dc.object
            else:
                other = [x for x in dom.caps if x.obj.name == dc.object]
                if other:
                    why += "; it gives %s in %s" % (
                        dc.object, ", ".join("slot %d" % x.slot for x in other))
            c.violate(Finding("%s: %s" % (head, why), [dom.name], objs))
            continue
        seen.add((dom.name, pc.slot))
        if pc.obj.name != dc.object or pc.obj.kind != kind:
            c.violate(Finding("%s: the policy puts %s there (%s)"
                              % (head, pc.obj.label(), pc.label()),
                              [dom.name], objs + [pc.obj.name]))
        elif dc.badge != expected_badge(pc):
            c.violate(Finding("%s: the policy's %s has badge 0x%x"
                              % (head, pc.label(), expected_badge(pc)), [dom.name], objs))
        elif dc.rights & ~pc.mask:
            c.violate(Finding("%s: wider than the policy's %s [%s] (extra: %s)"
                              % (head, pc.label(), ",".join(pc.rights),
                                 ",".join(m.names(kind, dc.rights & ~pc.mask))),
                              [dom.name], objs))
        elif dc.rights != pc.mask:
            c.notes.append("%s: narrower than the policy's %s [%s] (a subset: "
                           "allowed)" % (head, pc.label(), ",".join(pc.rights)))
    gone = 0
    for cap in m.caps:
        if (cap.holder.name, cap.slot) in seen:
            continue
        d = live.get(cap.holder.name)
        gone += 1
        c.notes.append("domain '%s' %s on %s [%s] is not in the dump: revoked or "
                       "deleted since boot%s"
                       % (cap.holder.name, cap.label(), cap.obj.label(),
                          ",".join(cap.rights),
                          " (the domain is destroyed)" if d and d.state == "destroyed"
                          else ""))
    if c.status == HELD:
        c.summary = ("%d cap%s in the dump (%s, from %s), each a cap of the "
                     "policy with no more rights; %d of the policy's %d caps "
                     "revoked or deleted since boot"
                     % (len(dump.caps), "" if len(dump.caps) == 1 else "s", where,
                        _source(dump.prefix), gone, len(m.caps)))
    else:
        c.notes.insert(0, "dump read from %s, from %s" % (where, _source(dump.prefix)))
    return c


def not_checked():
    c = Check("live-subset", "the live capability dump is a subset of the policy")
    c.skip("no --live LOG given")
    return c


__all__ = ["parse", "compare", "not_checked", "DumpError"]
