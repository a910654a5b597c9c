# SPDX-License-Identifier: MIT
"""Diagnostics: every problem in a system description is reported as
`FILE:LINE: reason`. Each kind of check has a stable identifier so that the
tests can prove that every check has a fixture (tests/toolstack/fixtures)."""

# Every kind of error the validator can report. A fixture in
# tests/toolstack/fixtures/invalid/ names its kind; the test suite fails if a
# kind below has no fixture.
KINDS = {
    "syntax": "TOML syntax error",
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
    "memory-overlap": "domain memory that overlaps other memory",
    "memory-full": "domain memory that does not fit in RAM",
    "missing-image": "an image not found in the image path",
    "bad-image": "an image that is not a loadable AArch64 ELF",
    "image-fit": "an image whose segments or entry are outside its memory",
}


class Diagnostic:
    def __init__(self, line, kind, message):
        assert kind in KINDS, kind
        self.line = line
        self.kind = kind
        self.message = message

    def format(self, filename):
        return "%s:%d: %s" % (filename, self.line, self.message)


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
