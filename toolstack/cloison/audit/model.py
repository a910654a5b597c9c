# SPDX-License-Identifier: MIT
"""The auditor's model of a system: who holds which cap on which object.

The model is built from the *compiled policy* (the dict that
compiler.compile_description() encodes, or policy.decode_policy() decodes),
so what is audited is exactly what the hypervisor creates at boot: names,
slots, rights bit masks, badges and physical placement all come from the
policy, and rights are turned back into names through the ABI. The only
thing taken from the description beyond the policy is each domain's
declared `role` (it grants nothing and is not part of the policy).

Roles (docs/auditing.md, "Roles"), from the boot caps:
  control  declared `role = "control"`, or declares no role, holds a cap
           with a lifecycle right (build, start, stop, resume, destroy) on
           the domain object of ANOTHER domain, and is not itself managed
           (no other domain holds lifecycle rights over it). This is "dom0"
           in the invariants (docs/auditing.md). A declared role is never overridden: a
           domain declared driver or guest, or managed by another, that
           holds lifecycle rights keeps its role and the control-domain
           check reports the rights (checks.py).
  driver   declared `role = "driver"`, or declares no role and holds a
           device or irq cap (and is not a control domain).
  guest    every other domain.
"""

from .. import abi as abi_mod
from .. import policy as fmt
from ..errors import InputError

LIFECYCLE = ("build", "start", "stop", "resume", "destroy")
ROLE_ORDER = ("control", "driver", "guest")


def fmt_range(lo, hi):
    return "[0x%x, 0x%x)" % (lo, hi)


class Obj:
    def __init__(self, index, name, kind):
        self.index = index
        self.name = name
        self.kind = kind
        self.phys = None
        self.size = None
        self.intid = None
        self.domain = None          # domain objects: the Dom

    def label(self):
        return "%s '%s'" % (self.kind, self.name)

    def range(self):
        if self.phys is None or not self.size:
            return None
        return (self.phys, self.phys + self.size)


class Cap:
    """A cap of the boot policy."""

    def __init__(self, holder, name, slot, obj, mask, rights, badge, ipa, end):
        self.holder = holder
        self.name = name
        self.slot = slot
        self.obj = obj
        self.mask = mask
        self.rights = rights        # names, in bit order (unknown bits as hex)
        self.badge = badge
        self.ipa = ipa
        self.end = end

    def label(self):
        return "cap '%s' (slot %d)" % (self.name, self.slot)


class Dom:
    def __init__(self, index, name):
        self.index = index
        self.name = name
        self.obj = None
        self.image = None
        self.mem_phys = 0
        self.mem_size = 0
        self.cspace_slots = 0
        self.inbox_slots = 0        # connect inbox: the last slots of its CSpace
        self.autostart = True
        self.caps = []
        self.declared_role = None
        self.role = "guest"
        self.role_why = ""
        self.lifecycle_over = []    # names of other domains it has lifecycle rights over
        self.managed_by = []        # names of the domains with lifecycle rights over it

    def ram(self):
        return (self.mem_phys, self.mem_phys + self.mem_size)


class Model:
    def __init__(self, abi):
        self.abi = abi
        self.system = ""
        self.filename = ""
        self.sha256 = ""
        self.flags = []
        self.abi_version = ""
        self.domains = []
        self.objects = []
        self.by_name = {}           # object name -> Obj (domains' objects too)
        self.dom_by_name = {}
        self.caps = []              # every boot cap, domain by domain
        self.hyp = (0, 0)           # hypervisor image + boot bundle
        self.pool = (0, 0)          # the hypervisor's own pool
        self.ram = (0, 0)
        self.tolerated = []         # description diagnostics the audit reports
        self.warnings = []          # description warnings (printed by the cli)
        self.stores = {}            # domain name -> its store's guest configs (paths)
        self.sched = {}             # domain name -> (budget_us, period_us, priority)
        self.netports = []          # the switch's ports (audit/net.py NetPort)

    # -- rights --------------------------------------------------------------

    def bit(self, kind, right):
        return self.abi.rights.get(kind, {}).get(right, 0)

    def has(self, kind, mask, right):
        b = self.bit(kind, right)
        return bool(b and mask & b)

    def names(self, kind, mask):
        return self.abi.rights_names(kind, mask)

    def full_mask(self, kind):
        m = 0
        for b in self.abi.rights.get(kind, {}).values():
            m |= b
        return m

    def domains_by_role(self, role):
        return [d for d in self.domains if d.role == role]


def from_policy(pol, sha256, abi=None, roles=None, filename=""):
    """Build the Model from a policy dict. `roles` maps domain names to their
    declared role (from the description), if any."""
    abi = abi or abi_mod.load()
    roles = roles or {}
    m = Model(abi)
    m.filename = filename
    m.system = pol["system_name"]
    m.sha256 = sha256
    m.abi_version = "%d.%d" % (pol["abi_major"], pol["abi_minor"])
    if pol["flags"] & fmt.POLICY_F_NO_IMAGES:
        m.flags.append("no-images")
    if pol["flags"] & fmt.POLICY_F_NO_HYP:
        m.flags.append("no-hypervisor")
    m.ram = (pol["ram_base"], pol["ram_base"] + pol["ram_size"])
    m.hyp = (pol["hyp_base"], pol["bundle_base"] + pol["bundle_size"])
    m.pool = (pol["pool_base"], pol["pool_base"] + pol["pool_size"])
    for n, o in enumerate(pol["objects"]):
        kind = abi.type_names.get(o["type"], "type%d" % o["type"])
        obj = Obj(n, o["name"], kind)
        if kind in ("device", "channel", "untyped"):
            obj.phys, obj.size = o["phys"], o["size"]
        elif kind == "irq":
            obj.intid = o["number"]
        m.objects.append(obj)
        m.by_name[obj.name] = obj
    for n, d in enumerate(pol["domains"]):
        dom = Dom(n, d["name"])
        dom.image = d["image"]
        dom.image_sha256 = d["image_sha256"]
        if isinstance(dom.image_sha256, bytes):
            dom.image_sha256 = dom.image_sha256.hex()
        dom.schedule = (d["budget_us"], d["period_us"], d["priority"])
        dom.mem_phys, dom.mem_size = d["mem_phys"], d["mem_size"]
        dom.cspace_slots = d["cspace_slots"]
        dom.inbox_slots = d["inbox_slots"]
        dom.autostart = bool(d["flags"] & fmt.DOMAIN_F_AUTOSTART)
        dom.declared_role = roles.get(dom.name)
        if d["object"] < len(m.objects):
            dom.obj = m.objects[d["object"]]
            dom.obj.domain = dom
        m.domains.append(dom)
        m.dom_by_name[dom.name] = dom
    for dom, d in zip(m.domains, pol["domains"]):
        for c in pol["caps"][d["cap_first"]:d["cap_first"] + d["cap_count"]]:
            if c["object"] >= len(m.objects):
                raise InputError("policy: cap '%s' of domain '%s' names object "
                                 "%d, beyond the %d objects"
                                 % (c["name"], dom.name, c["object"], len(m.objects)))
            obj = m.objects[c["object"]]
            cap = Cap(dom, c["name"], c["slot"], obj, c["rights"],
                      abi.rights_names(obj.kind, c["rights"]), c["badge"],
                      None if c["ipa"] == fmt.NO_IPA else c["ipa"], c["end"])
            dom.caps.append(cap)
            m.caps.append(cap)
    _assign_roles(m)
    return m


def _assign_roles(m):
    hw = {}
    creates = {}
    for dom in m.domains:
        hw[dom.name] = []
        creates[dom.name] = [c.obj.label() for c in dom.caps if c.obj.kind == "untyped"
                             and m.has("untyped", c.mask, "retype_domain")]
        for cap in dom.caps:
            o = cap.obj
            if o.kind == "domain" and o.domain is not None and o.domain is not dom \
                    and any(m.has("domain", cap.mask, r) for r in LIFECYCLE):
                if o.name not in dom.lifecycle_over:
                    dom.lifecycle_over.append(o.name)
                    o.domain.managed_by.append(dom.name)
            elif o.kind in ("device", "irq") and o.label() not in hw[dom.name]:
                hw[dom.name].append(o.label())
    for dom in m.domains:
        declared = dom.declared_role
        over = ", ".join(dom.lifecycle_over)
        if declared:
            dom.role = declared
            dom.role_why = "declared %s" % declared
            if over:
                dom.role_why += "; holds lifecycle rights over %s" % over
        elif over and not dom.managed_by:
            dom.role = "control"
            dom.role_why = "holds lifecycle rights over %s" % over
        elif creates[dom.name] and not dom.managed_by:
            dom.role = "control"
            dom.role_why = ("creates domains at run time from %s"
                            % ", ".join(creates[dom.name]))
        else:
            dom.role = "driver" if hw[dom.name] else "guest"
            dom.role_why = ("holds %s" % ", ".join(hw[dom.name]) if hw[dom.name]
                            else "no lifecycle right over another domain, no "
                            "device, no irq")
            if over:
                dom.role_why = ("holds lifecycle rights over %s, but is managed by "
                                "%s" % (over, ", ".join(dom.managed_by)))
                if hw[dom.name]:
                    dom.role_why += "; holds %s" % ", ".join(hw[dom.name])


def from_compiled(desc, compiled, sha256, abi=None):
    """The Model of a validated Description and its compiled policy."""
    roles = {d.name: d.role for d in desc.domains if d.role}
    m = from_policy(compiled.policy, sha256, abi, roles, desc.filename)
    m.tolerated = list(getattr(desc, "tolerated", []))
    m.warnings = list(getattr(desc, "warnings", []))
    m.stores = {d.name: list(d.store or []) for d in desc.domains}
    from .net import from_description      # net.py imports checks, which imports this
    m.netports = from_description(desc)
    m.sched = {d.name: (d.budget_us if d.budget_us is not None else d.period_us,
                        d.period_us, d.priority) for d in desc.domains}
    return m


__all__ = ["Model", "Dom", "Obj", "Cap", "from_policy", "from_compiled",
           "LIFECYCLE", "ROLE_ORDER", "fmt_range"]
