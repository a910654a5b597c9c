# SPDX-License-Identifier: MIT
"""Diagnostics: every problem in a system description is reported as
`FILE:LINE: reason`, every warning as `FILE:LINE: warning: reason`. Each
kind of check has a stable identifier so that the tests can prove that every
check has a fixture (tests/toolstack/fixtures). A string taken from the
description is shown through show(): quoted, escaped and shortened."""

# Every kind of error the validator can report. A fixture in
# tests/toolstack/fixtures/invalid/ names its kind; the test suite fails if a
# kind below has no fixture.
KINDS = {
    "syntax": "TOML syntax error, or a value too large or nested too deeply to read",
    "unknown-field": "a key the schema does not define",
    "type": "a value of the wrong type",
    "missing-field": "a required key is absent",
    "bad-name": "a name that is too long or uses other characters",
    "duplicate-domain": "two domains with the same name",
    "duplicate-object": "two objects with the same name",
    "reserved-name": "an object or domain named like a built-in object",
    "duplicate-cap": "two caps with the same name in one domain",
    "unknown-object": "a cap naming an object that is not declared",
    "unknown-right": "a right that does not exist for the object type",
    "duplicate-right": "a right listed twice in one cap",
    "no-rights": "a cap with an empty rights list",
    "bad-size": "a size that is zero, too large or badly aligned",
    "bad-vcpus": "a vCPU count other than 1",
    "bad-role": "a domain role other than control, driver or guest",
    "bad-schedule": "budget > period, zero period, priority out of range",
    "bad-cspace": "a CSpace size that is not a power of two in range",
    "too-many-caps": "more caps than CSpace slots",
    "channel-ends": "a channel without exactly two ends in two domains",
    "bad-badge": "a badge on a cap that is not a notification",
    "bad-ipa": "a mapping address that is misaligned, misplaced or overlaps",
    "bad-device": "a device region outside the allowed physical ranges",
    "device-overlap": "two device regions that overlap",
    "bad-irq": "an INTID that is not an assignable SPI",
    "irq-overlap": "two irq objects with the same INTID",
    "bad-disk": "a [[disk]] on no channel, a small channel, a misaligned or empty extent",
    "disk-overlap": "two virtual disks of one back end on overlapping extents",
    "bad-netport": "an [[uplink]] or [[netport]] on no NIC or channel, a bad mac, ip, "
                   "mode, rate or ageing, a port not on the switch's end",
    "bad-vlan": "a vlan list outside the xl grammar or 1-4094, no or two PVIDs, a bad "
                "native marker",
    "memory-overlap": "domain memory that overlaps other memory",
    "memory-full": "domain memory that does not fit in RAM",
    "missing-image": "an image not found in the image path",
    "bad-image": "an image that is not a loadable AArch64 ELF",
    "image-fit": "an image whose segments or entry are outside its memory",
    "bad-store": "a store guest config that is broken, names a missing image or does not fit",
    "bad-kind": "a domain kind other than image or linux, or fields of the other kind",
    "served-guest": "a guest served by a VMM that starts at boot, or a Linux guest without a VMM",
    "vmm-platform": "a Linux guest's device tree naming a device its VMM does not emulate",
    "no-domains": "a description that declares no domain",
    "too-many": "more domains, objects, caps or image segments than the hypervisor's loader takes",
}

# Every kind of warning: printed, but the description is still accepted.
# Each has a fixture in tests/toolstack/fixtures/warning/.
WARNINGS = {
    "short-period": "a scheduling period below 100 us (milliseconds typed as "
                    "microseconds?)",
}

SHOW_MAX = 40       # characters of a user string shown in a message
_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def show(value, limit=SHOW_MAX):
    """A string from the description, for a message: in single quotes, with
    quotes, backslashes and every non-printable character (control
    characters, right-to-left overrides...) escaped, cut after `limit`
    characters with '...' and the full length."""
    text = str(value)
    cut = text[:limit]
    out = []
    for c in cut:
        if c in "'\\":
            out.append("\\" + c)
        elif c.isprintable():
            out.append(c)
        elif ord(c) < 0x100:
            out.append(_ESCAPES.get(c, "\\x%02x" % ord(c)))
        elif ord(c) < 0x10000:
            out.append("\\u%04x" % ord(c))
        else:
            out.append("\\U%08x" % ord(c))
    if len(text) > limit:
        return "'%s'... (%d characters)" % ("".join(out), len(text))
    return "'%s'" % "".join(out)


class Diagnostic:
    def __init__(self, line, kind, message, warning=False):
        assert kind in (WARNINGS if warning else KINDS), kind
        self.line = line
        self.kind = kind
        self.message = message
        self.warning = warning

    def format(self, filename):
        return "%s:%d: %s%s" % (filename, self.line,
                                "warning: " if self.warning else "", self.message)


class DescriptionError(Exception):
    """Raised with the list of diagnostics of an invalid description."""

    def __init__(self, filename, diagnostics):
        self.filename = filename
        self.diagnostics = sorted(diagnostics, key=lambda d: d.line)
        super().__init__("\n".join(self.lines()))

    def lines(self):
        return [d.format(self.filename) for d in self.diagnostics]


class InputError(Exception):
    """An input that is not the description (hypervisor ELF, a bundle...)."""
