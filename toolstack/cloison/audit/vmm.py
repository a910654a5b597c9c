# SPDX-License-Identifier: MIT
"""VMM domains in the audit (docs/auditing.md, "VMM domains"; docs/vmm.md).

A domain that holds (or may obtain) a cap with the `vmm` right on another
domain serves it as its VMM: it raises that guest's virtual interrupts
(vmm_irq), sets its vCPU state (vmm_set_reg, vmm_reset) and answers its
exits (vmm_wait, vmm_reply). The design gives a VMM that right on its one
guest and no right at all on any other domain, so a guest that takes over
its VMM gains nothing beyond itself. The check shows which VMM serves which
guest and flags a VMM with the `vmm` right on more than one domain, a guest
with more than one VMM (the core binds the first to call; the others get
bad_state), and a VMM with any right on a domain other than its guest."""
from .checks import HELD, Check, Finding, plural
from .reach import describe_holding


def served(m, reach):
    """[(vmm, guest, holding)] for every `vmm` right, in domain order."""
    out = []
    for dom in m.domains:
        for h in reach.of(dom):
            if h.obj.kind == "domain" and h.obj.domain is not None \
                    and m.has("domain", h.mask, "vmm"):
                out.append((dom, h.obj.domain, h))
    return out


def check_vmm(m, reach):
    c = Check("vmm-guest",
              "each VMM domain serves one guest and holds no right on any other domain")
    links = served(m, reach)
    vmms = []
    for vmm, guest, h in links:
        if vmm not in vmms:
            vmms.append(vmm)
        c.notes.append("VMM '%s' serves guest '%s': injects its virtual interrupts, "
                       "sets its vCPU state and answers its exits; it %s"
                       % (vmm.name, guest.name, describe_holding(m, h)))
    for vmm in vmms:
        guests = [g for v, g, _ in links if v is vmm]
        if len(guests) > 1:
            c.violate(Finding("VMM '%s' has the vmm right on %d domains (%s): a VMM "
                              "serves one guest" % (vmm.name, len(guests),
                                                    ", ".join(g.name for g in guests)),
                              [vmm.name] + [g.name for g in guests],
                              [g.name for g in guests]))
        for h in reach.of(vmm):
            o = h.obj
            if o.kind != "domain" or o.domain is None or o.domain in guests:
                continue
            c.violate(Finding("VMM '%s' (of %s) can act on domain '%s': it %s; a VMM "
                              "holds no right on any domain but its guest"
                              % (vmm.name, ", ".join("'%s'" % g.name for g in guests),
                                 o.name, describe_holding(m, h)),
                              [vmm.name, o.name], [o.name]))
    for guest in m.domains:
        mine = [v for v, g, _ in links if g is guest]
        if len(mine) > 1:
            c.violate(Finding("guest '%s' has %d VMMs (%s): the first to call binds it "
                              "and the others are refused; one VMM per guest"
                              % (guest.name, len(mine), ", ".join(v.name for v in mine)),
                              [guest.name] + [v.name for v in mine], [guest.name]))
    if c.status == HELD:
        c.summary = ("%s, each serving one guest with no right on any other domain"
                     % plural(len(vmms), "VMM domain") if vmms
                     else "no domain holds the vmm right")
    return c
