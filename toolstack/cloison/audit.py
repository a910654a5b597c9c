# SPDX-License-Identifier: MIT
"""`cloison audit`: the capability-policy auditor (docs/auditing.md).

  audit.run(desc_path, ...) -> Audit      load, compile, model, every check
  audit.query(audit, A, B)  -> text       "can A reach B, and how?"

The description is compiled exactly as `check`/`compile`/`pack` do (same
--hyp and --image-path give the same policy bytes, hence the same SHA-256);
the model is built from that compiled policy. A description that `check`
refuses only because a channel lacks its two ends, or because two devices
or irqs overlap, is still audited: those are invariants the audit reports
as violated (with the validator's messages as notes). Any other validation
error stops the audit, as it stops `check`.
"""

import hashlib

from . import compiler, description, elf, inspect
from .audit_checks import HELD, VIOLATED, Check, Finding, run_all
from .audit_live import DumpError, compare, not_checked, parse
from .audit_model import from_compiled, from_policy
from .audit_reach import Reach, path_text, step_text
from .errors import InputError

TOLERATED = ("channel-ends", "device-overlap", "irq-overlap")


class Audit:
    def __init__(self):
        self.desc_path = ""
        self.model = None
        self.reach = None
        self.checks = []
        self.image = None
        self.live = None

    def violated(self):
        return [c for c in self.checks if c.status == VIOLATED]

    def check(self, ident):
        return next(c for c in self.checks if c.id == ident)


def read_hyp(path):
    try:
        with open(path, "rb") as f:
            img = elf.Elf(f.read())
        img.load_end()
        return img
    except OSError as exc:
        raise InputError("%s: %s" % (path, exc.strerror)) from None
    except elf.ElfError as exc:
        raise InputError("%s: %s" % (path, exc)) from None


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise InputError("%s: %s" % (path, exc.strerror)) from None


def load_model(desc_path, image_path=None, hyp_path=None):
    """Validate (tolerating TOLERATED), compile; return the Model."""
    hyp = read_hyp(hyp_path) if hyp_path else None
    try:
        desc = description.load(desc_path, image_path, tolerate=TOLERATED)
    except OSError as exc:
        raise InputError("%s: %s" % (desc_path, exc.strerror)) from None
    comp = compiler.compile_description(desc, hyp)
    return from_compiled(desc, comp, hashlib.sha256(comp.blob).hexdigest())


def run(desc_path, image_path=None, hyp_path=None, image=None, live=None):
    a = Audit()
    a.desc_path = desc_path
    a.model = load_model(desc_path, image_path, hyp_path)
    a.reach = Reach(a.model)
    a.checks = run_all(a.model, a.reach)
    image_info = None
    if image is not None:
        data = _read(image)
        try:
            image_info = inspect.read(data)
        except InputError as exc:
            raise InputError("%s: %s" % (image, exc)) from None
        if image_info["bundle"] is not None:
            image_info["sha256"] = image_info["bundle"]["policy_sha256"]
        else:
            image_info["sha256"] = hashlib.sha256(data).hexdigest()
        a.image = image
    dump = None
    if live is not None:
        text = _read(live).decode("utf-8", "replace")
        try:
            dump = parse(text, set(a.model.abi.types))
        except DumpError as exc:
            if exc.line:
                raise InputError("%s:%d: %s" % (live, exc.line, exc.message)) from None
            raise InputError("%s: %s" % (live, exc.message)) from None
        a.live = live
    a.checks.append(check_hash(a.model, image, image_info, live, dump))
    a.checks.append(compare(a.model, dump, live) if dump else not_checked())
    return a


# -- 7. policy hash ------------------------------------------------------------

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


# -- reachability query --------------------------------------------------------

def query(a, src, dst):
    """Answer "can domain src reach dst (a domain or an object)?" as text.
    Raises InputError for unknown names."""
    m = a.model
    dom = m.dom_by_name.get(src)
    if dom is None:
        raise InputError("--can %s: no such domain (domains: %s)"
                         % (src, ", ".join(d.name for d in m.domains)))
    target = m.dom_by_name.get(dst) or m.by_name.get(dst)
    if target is None:
        raise InputError("--reach %s: no such domain or object" % dst)
    edges = a.reach.query(dom, target)
    if edges is None:
        return ("no: %s cannot reach %s\n  (no path under the rules of "
                "docs/auditing.md, caps obtainable through grant included)\n"
                % (src, dst))
    if not edges:
        return "yes: %s is %s\n" % (src, dst)
    lines = ["yes: %s can reach %s: %s" % (src, dst, path_text(m, edges))]
    for n, e in enumerate(edges, 1):
        lines.append("  %d. %s" % (n, step_text(m, e)))
    return "\n".join(lines) + "\n"


__all__ = ["run", "query", "load_model", "read_hyp", "policy_diff", "Audit"]
