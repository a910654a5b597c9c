# SPDX-License-Identifier: MIT
"""Check 7: the policy hash of a boot image (--image) or of a live dump
(--live) equals the audited policy's; on a mismatch, what differs."""

from .checks import HELD, VIOLATED, Check, Finding
from .model import from_policy
from ..errors import InputError


def check_hash(m, image, info, log, dump):
    c = Check("policy-hash", "the image's policy hash equals the audited policy's")
    if info is None and dump is None:
        c.skip("no --image IMAGE.ELF or --live LOG given (audited policy sha256 "
               "%s)" % m.sha256)
        return c
    said = []
    if info is not None:
        what = "%s (%s)" % (image, "boot bundle" if info["bundle"] else "policy")
        if info["sha256"] != m.sha256:
            f = Finding("%s carries policy sha256 %s; the description compiles "
                        "to %s" % (what, info["sha256"], m.sha256))
            try:
                f.steps = policy_diff(m, from_policy(info["policy"], info["sha256"],
                                                     m.abi))
            except InputError as exc:
                f.steps = ["the image's policy cannot be compared: %s" % exc]
            c.violate(f)
        else:
            said.append(what)
    if dump is not None:
        what = "the live dump (%s line %d)" % (log, dump.begin_line)
        if dump.policy != m.sha256:
            f = Finding("%s reports policy sha256 %s; the description compiles "
                        "to %s" % (what, dump.policy, m.sha256))
            c.violate(f)
        else:
            said.append(what)
    if c.status == VIOLATED and m.flags:
        c.notes.append("the audited policy is marked %s: it was compiled without "
                       "%s; give audit the same --hyp and --image-path as "
                       "`cloison pack`" % (", ".join(m.flags), " and ".join(
                           {"no-images": "--image-path",
                            "no-hypervisor": "--hyp"}[f] for f in m.flags)))
    if c.status == HELD:
        c.summary = "%s: policy sha256 %s, the audited policy's" % (
            " and ".join(said), m.sha256)
    return c


def policy_diff(a, b):
    """What differs between the audited policy `a` and another one `b`, as
    lines (for a hash mismatch)."""
    out = []
    if a.system != b.system:
        out.append("system name: '%s' here, '%s' there" % (a.system, b.system))
    if a.flags != b.flags:
        out.append("flags: [%s] here, [%s] there" % (",".join(a.flags),
                                                    ",".join(b.flags)))
    if a.abi_version != b.abi_version:
        out.append("ABI %s here, %s there" % (a.abi_version, b.abi_version))
    for d in a.domains:
        if d.name not in b.dom_by_name:
            out.append("domain '%s' is only in the description" % d.name)
    for d in b.domains:
        if d.name not in a.dom_by_name:
            out.append("domain '%s' is only in the image" % d.name)
    for d in a.domains:
        e = b.dom_by_name.get(d.name)
        if e is None:
            continue
        for what, x, y in (("image", d.image, e.image),
                           ("image sha256", d.image_sha256, e.image_sha256),
                           ("memory", "%s" % (d.ram(),), "%s" % (e.ram(),)),
                           ("cspace slots", d.cspace_slots, e.cspace_slots),
                           ("schedule", d.schedule, e.schedule),
                           ("autostart", d.autostart, e.autostart)):
            if x != y:
                out.append("domain '%s' %s: %s here, %s there" % (d.name, what, x, y))
        mine = {c.slot: c for c in d.caps}
        theirs = {c.slot: c for c in e.caps}
        for slot in sorted(set(mine) | set(theirs)):
            x, y = mine.get(slot), theirs.get(slot)
            fx = _cap_text(x)
            fy = _cap_text(y)
            if fx != fy:
                out.append("domain '%s' slot %d: %s here, %s there"
                           % (d.name, slot, fx, fy))
    if not out:
        out.append("the caps, domains and images are the same: the difference is "
                   "in the layout (hypervisor end, bundle, placement)")
    return out


def _cap_text(c):
    if c is None:
        return "no cap"
    return "%s [%s]%s" % (c.obj.label(), ",".join(c.rights),
                          " badge 0x%x" % c.badge if c.badge else "")


__all__ = ["check_hash", "policy_diff"]
