# SPDX-License-Identifier: MIT
"""[[domain.cap]]: a cap a domain holds at boot: the object it names, its
rights (valid for that object's type), a badge (notifications) and the
address it is mapped at (devices and channels)."""

from .. import abi
from .. import description as D
from ..errors import show

FIELDS = ("name", "object", "rights", "badge", "ipa")


def read_all(r, dom, t, path, ctx):
    seen = {}
    for n, ct in enumerate(r.tables(t, "cap", path, ctx)):
        cap = read(r, dom, ct, path + ("cap", n), n)
        if cap is None:
            continue
        if cap.name in seen:
            r.err(cap.line, "duplicate-cap",
                  "%s: duplicate cap name '%s' (first declared at line %d)"
                  % (ctx, cap.name, seen[cap.name]))
            continue
        seen[cap.name] = cap.line
        dom.caps.append(cap)


def read(r, dom, t, path, n):
    dctx = dom.ctx
    ctx = "cap #%d of %s" % (n + 1, dctx)
    name = r.string(t, "name", path, ctx)
    valid = name is not None and r.name(name, path + ("name",), ctx)
    r.fields(t, path, FIELDS, "cap '%s' of %s" % (name, dctx) if valid else ctx)
    r.require(t, "name", path, ctx)
    if valid:
        ctx = "cap '%s' of %s" % (name, dctx)
    cap = D.Cap(name, r.pos.line(path))
    cap.domain = dom
    oname = r.string(t, "object", path, ctx, required=True)
    rights = r.strings(t, "rights", path, ctx, required=True)
    badge = r.integer(t, "badge", path, ctx)
    ipa = r.integer(t, "ipa", path, ctx)
    if oname is not None:
        obj = r.d.by_name.get(oname)
        if obj is None:
            r.err(path + ("object",), "unknown-object",
                  "%s: unknown object %s" % (ctx, show(oname)))
        else:
            cap.obj = obj
    if "rights" in t and not rights and isinstance(t["rights"], list):
        r.err(path + ("rights",), "no-rights", "%s: rights list is empty" % ctx)
    if cap.obj is not None:
        _rights(r, cap, rights, path, ctx)
        if badge is not None and cap.obj.kind != "notification":
            r.err(path + ("badge",), "bad-badge",
                  "%s: a badge is only allowed on notification caps" % ctx)
        elif badge is not None:
            cap.badge = badge
        if ipa is not None and cap.obj.kind not in D.MAPPED_KINDS:
            r.err(path + ("ipa",), "bad-ipa",
                  "%s: 'ipa' is only allowed on device and channel caps" % ctx)
        elif ipa is not None:
            cap.ipa = ipa
            cap.ipa_line = r.pos.line(path + ("ipa",))
    return cap if valid else None


def _rights(r, cap, rights, path, ctx):
    valid_rights = abi.load().valid_rights(cap.obj.kind)
    for i, right in enumerate(rights):
        if right not in valid_rights:
            r.err(path + ("rights", i), "unknown-right",
                  "%s: right %s does not exist for %s objects (valid: %s)"
                  % (ctx, show(right), cap.obj.kind, ", ".join(valid_rights)))
        elif right in cap.rights:
            r.err(path + ("rights", i), "duplicate-right",
                  "%s: right '%s' is listed twice" % (ctx, right))
        else:
            cap.rights.append(right)
