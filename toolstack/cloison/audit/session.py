# SPDX-License-Identifier: MIT
"""One audit: load, compile, model, run every check; answer queries.

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

from .. import compiler, description, elf, inspect
from .checks import VIOLATED, run_all
from .live import DumpError, compare, not_checked, parse
from .model import from_compiled
from .policy_hash import check_hash
from .reach import Reach, path_text, step_text
from ..errors import InputError, show

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
    a.checks.append(compare(a.model, dump, live, a.reach) if dump else not_checked())
    return a


# -- reachability query --------------------------------------------------------

def query(a, src, dst):
    """Answer "can domain src reach dst (a domain or an object)?" as text.
    Raises InputError for unknown names."""
    m = a.model
    dom = m.dom_by_name.get(src)
    if dom is None:
        raise InputError("--can %s: no such domain (domains: %s)"
                         % (show(src), ", ".join(d.name for d in m.domains)))
    target = m.dom_by_name.get(dst) or m.by_name.get(dst)
    if target is None:
        raise InputError("--reach %s: no such domain or object" % show(dst))
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


__all__ = ["run", "query", "load_model", "read_hyp", "Audit", "TOLERATED"]
