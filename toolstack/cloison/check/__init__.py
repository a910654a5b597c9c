# SPDX-License-Identifier: MIT
"""Validating the data of a system description, one module per section.

  reader     typed getters and diagnostics shared by every section
  suggest    "did you mean" hints for unknown keys
  system     [system]
  names      the namespace of domains and objects; built-in objects
  domains    [[domain]]; schedule: its budget, period, priority
  caps       [[domain.cap]]; cspaces: the slots caps take
  served     guests served by a VMM domain (the vmm right), Linux guests
  objects    what every declared object shares, then by kind:
             devices, irqs, channels, untyped
  ipas       where device and channel caps are mapped
  (disks.py, beside the compiler: [[disk]], the virtual disks of a
             block back end; netports.py: [[uplink]] and [[netport]], the
             ports of the virtual switch)
  limits     the table sizes the hypervisor's loader accepts (run on the
             data alone, before the rest: see description.parse)

check() runs the others in order and returns every diagnostic found."""

from .. import description as D
from .. import disks, netports
from . import (channels, cspaces, devices, domains, ipas, irqs, names, objects,
               served, system)
from .reader import Reader

TOP = ("system", "domain", "disk", "uplink", "netport") + D.OBJECT_KINDS


def check(desc, data, pos):
    r = Reader(desc, data, pos)
    r.fields(data, (), TOP, "the top level")
    system.read(r)
    names.builtins(r)
    domains.declare(r)
    objects.declare_all(r)
    if not desc.domains and isinstance(data.get("domain", []), list) \
            and "domain" not in r.misspelt.get((), {}):
        r.err(1, "no-domains",
              "the description declares no domain: the machine would boot "
              "into an idle hypervisor; declare at least one [[domain]]")
    domains.read_all(r)
    served.check(r)
    channels.ends(r)
    disks.check(r, data)
    netports.check(r, data)
    cspaces.check(r)
    devices.place(r)
    irqs.check(r)
    ipas.place(r)
    for n, obj in enumerate(desc.objects):
        obj.index = n
    return r.diags


__all__ = ["check"]
