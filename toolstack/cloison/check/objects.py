# SPDX-License-Identifier: MIT
"""Declared objects ([[device]], [[irq]], [[notification]], [[channel]],
[[untyped]]): the name and fields shared by every kind; each kind's own
fields are read by its module."""

from .. import description as D
from ..errors import show
from . import channels, devices, irqs, names, untyped


class _Notifications:
    FIELDS = ("name",)

    @staticmethod
    def read(r, obj, t, path, ctx):
        pass


KINDS = {"device": devices, "irq": irqs, "notification": _Notifications,
         "channel": channels, "untyped": untyped}


def declare_all(r):
    for kind in D.OBJECT_KINDS:
        for n, t in enumerate(r.tables(r.data, kind, (), "the top level")):
            declare(r, kind, t, (kind, n), n)


def declare(r, kind, t, path, n):
    ctx = "%s #%d" % (kind, n + 1)
    section = KINDS[kind]
    name = r.string(t, "name", path, ctx)
    valid = name is not None and r.name(name, path + ("name",), ctx)
    r.fields(t, path, section.FIELDS, "%s %s" % (kind, show(name))
             if valid else ctx)
    r.require(t, "name", path, ctx)
    if valid:
        ctx = "%s %s" % (kind, show(name))
    obj = D.Object(kind, name, r.pos.line(path + ("name",)))
    obj.path, obj.ctx = path, ctx
    section.read(r, obj, t, path, ctx)
    if valid and names.claim(r, kind, name, path):
        r.d.objects.append(obj)
        r.d.by_name[name] = obj
