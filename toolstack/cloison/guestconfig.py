# SPDX-License-Identifier: MIT
"""Guest configuration files (docs/dynamic-guests.md, "Guest configuration").

A guest config describes one guest that dom0 creates at run time: its name,
its image (from the image store packed into the boot image), memory, CPU
budget, period, priority, and optionally a virtual disk and a network port
with its VLAN. It is TOML, read with the same Reader as the system
description, so each mistake is reported as FILE:LINE: reason naming the
field. The disk and network fields are validated now and connected only
once the driver domains can take run-time clients (issue item 6).

`load(path)` returns a GuestConfig or raises DescriptionError."""

import tomllib

from . import description as D
from .check import schedule
from .check.reader import Reader
from .errors import DescriptionError, Diagnostic, show
from .tomlpos import Positions

FIELDS = ("name", "image", "memory", "budget_us", "period_us", "priority",
          "disk", "net")
NET_FIELDS = ("port", "vlan")
# 802.1Q: VLAN IDs 0 (priority tag only) and 4095 are reserved.
VLAN_MIN, VLAN_MAX = 1, 4094
# Ports of net-dom's switch a run-time guest may be given (port 0 is the
# uplink: never a guest's).
PORT_MIN, PORT_MAX = 1, 63
CTX = "guest"


class GuestConfig:
    def __init__(self, filename):
        self.filename = filename
        self.name = None
        self.image = None
        self.memory = None
        self.period_us = D.DEFAULT_PERIOD_US
        self.budget_us = D.DEFAULT_PERIOD_US
        self.priority = D.DEFAULT_PRIORITY
        self.disk = None
        self.net_port = None
        self.net_vlan = None


def _memory(r, cfg, t):
    mem = r.size(t, "memory", (), CTX, required=True)
    if mem is None:
        return
    if mem == 0 or mem % D.DOMAIN_MEM_ALIGN:
        r.err(("memory",), "bad-size", "%s: memory %s must be a non-zero multiple "
              "of %s" % (CTX, D.fmt_size(mem), D.fmt_size(D.DOMAIN_MEM_ALIGN)))
    elif mem > D.DOMAIN_MEM_MAX:
        r.err(("memory",), "bad-size", "%s: memory %s is larger than %s"
              % (CTX, D.fmt_size(mem), D.fmt_size(D.DOMAIN_MEM_MAX)))
    else:
        cfg.memory = mem


def _net(r, cfg, t):
    if "net" not in t:
        return
    net = t["net"]
    if not isinstance(net, dict):
        r.err(("net",), "type", "%s: 'net' must be a table ([net])" % CTX)
        return
    ctx = CTX + " net"
    r.fields(net, ("net",), NET_FIELDS, ctx)
    port = r.integer(net, "port", ("net",), ctx, required=True)
    if port is not None and not PORT_MIN <= port <= PORT_MAX:
        r.err(("net", "port"), "bad-net", "%s: port %d must be between %d and %d "
              "(port 0 is the uplink)" % (ctx, port, PORT_MIN, PORT_MAX))
        port = None
    vlan = r.integer(net, "vlan", ("net",), ctx)
    if vlan is not None and not VLAN_MIN <= vlan <= VLAN_MAX:
        r.err(("net", "vlan"), "bad-net", "%s: vlan %d must be between %d and %d "
              "(802.1Q reserves 0 and 4095)" % (ctx, vlan, VLAN_MIN, VLAN_MAX))
        vlan = None
    cfg.net_port, cfg.net_vlan = port, vlan


class _Reader(Reader):
    """The description's Reader, with the guest config's own kinds of
    error (GUEST_KINDS) beside the description's."""

    def err(self, where, kind, msg):
        line = where if isinstance(where, int) else self.pos.line(where)
        self.diags.append(GuestDiagnostic(line, kind, msg))


# Kinds of error a guest config can have: each has a fixture in
# tests/toolstack/fixtures/guest/ (test_guestconfig.py checks it).
GUEST_KINDS = {
    "syntax": "TOML syntax error",
    "unknown-field": "a key the format does not define",
    "type": "a value of the wrong type",
    "missing-field": "a required key is absent",
    "bad-name": "a guest or disk name that is too long or uses other characters",
    "bad-image": "an image name that is not a file name of the image store",
    "bad-size": "memory that is zero, too large or badly aligned",
    "bad-schedule": "budget > period, zero period, priority out of range",
    "bad-net": "a network port or VLAN out of range",
}


class GuestDiagnostic(Diagnostic):
    def __init__(self, line, kind, message, warning=False):
        assert kind in GUEST_KINDS, kind
        self.line, self.kind, self.message, self.warning = line, kind, message, warning


def parse(filename, text):
    """(GuestConfig, diagnostics) for the text of a guest config."""
    cfg = GuestConfig(filename)
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        # The description's own wording for the same failures.
        err = (D._syntax_error if isinstance(exc, tomllib.TOMLDecodeError)
               else D._too_large)(filename, text, exc)
        return cfg, [GuestDiagnostic(d.line, "syntax", d.message)
                     for d in err.diagnostics]
    r = _Reader(None, data, Positions(text))
    r.fields(data, (), FIELDS, CTX)
    name = r.string(data, "name", (), CTX, required=True)
    if name is not None and r.name(name, ("name",), CTX):
        cfg.name = name
    image = r.string(data, "image", (), CTX, required=True)
    if image is not None:
        if len(image) > 31 or not D.IMAGE_RE.fullmatch(image):
            r.err(("image",), "bad-image", "%s: image %s is not a file name of the "
                  "image store (1 to 31 letters, digits, '_', '-' or '.')" % (CTX, show(image)))
        else:
            cfg.image = image
    _memory(r, cfg, data)
    schedule.read(r, cfg, data, (), CTX)
    disk = r.string(data, "disk", (), CTX)
    if disk is not None and r.name(disk, ("disk",), CTX + " disk"):
        cfg.disk = disk
    _net(r, cfg, data)
    return cfg, r.diags


def load(filename):
    with open(filename, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DescriptionError(filename, [GuestDiagnostic(
            raw[:exc.start].count(b"\n") + 1, "syntax",
            "TOML syntax error: the file is not valid UTF-8")])
    cfg, diags = parse(filename, text)
    if [d for d in diags if not d.warning]:
        raise DescriptionError(filename, diags)
    cfg.warnings = [d for d in diags if d.warning]
    return cfg
