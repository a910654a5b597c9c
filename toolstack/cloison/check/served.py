# SPDX-License-Identifier: MIT
"""Guests served by a VMM domain (docs/vmm.md): a domain that another
domain holds a cap with the `vmm` right on.

Such a guest must not start at boot: until its VMM has declared its
emulated regions and set its entry registers, its HVCs would be taken as
hypercalls and its device accesses as stage-2 faults; the VMM starts it.
A Linux guest (kind = "linux") needs a VMM: nothing else emulates the
platform its device tree describes. Whether each VMM's regions cover that
device tree is checked once the images are read (cloison.guest.pack)."""


def check(r):
    for dom in r.d.domains:
        dom.vmms = []
    for vmm in r.d.domains:
        for cap in vmm.caps:
            obj = cap.obj
            if obj is None or obj.kind != "domain" or "vmm" not in cap.rights:
                continue
            # A domain cannot serve itself: the core refuses it at run time
            # (invalid_argument; tested as such), nothing to start later.
            if obj.domain is not vmm:
                obj.domain.vmms.append((vmm, cap))
    for dom in r.d.domains:
        if dom.vmms and dom.autostart:
            vmm, cap = dom.vmms[0]
            r.err(dom.autostart_line, "served-guest",
                  "%s is served by the VMM '%s' (cap '%s', line %d) but starts at "
                  "boot: declare it autostart = false (its VMM starts it once its "
                  "regions and entry registers are set)"
                  % (dom.ctx, vmm.name, cap.name, cap.line))
        if dom.kind == "linux" and not dom.vmms:
            r.err(dom.kind_line, "served-guest",
                  "%s: a Linux guest needs a VMM: give one domain (image 'vmm') a cap "
                  "on it with the rights vmm, start and stop" % dom.ctx)
