# SPDX-License-Identifier: MIT
"""Reading and validating a system description (docs/system-description.md).

`load(path, image_path=None)` returns a Description or raises
DescriptionError with every problem found, each as `file:line: reason`.
This module holds the limits, the data model (System, Domain, Object, Cap,
Description) and the reading of the file; the checks themselves are in the
package check/, one module per section of the description. The physical
layout (which needs the hypervisor ELF and the bundle size) is checked
later by compiler.py with the same error reporting.
"""

import re
import sys
import tomllib

from . import limits as L
from .errors import DescriptionError, Diagnostic
from .tomlpos import Positions

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
PAGE = 4 * KiB

# Every limit comes from the boot contract, hyp/abi/cloison-boot.toml (read
# through limits.py), which the hypervisor's policy check is generated from
# too: never write one here.
RAM_BASE = 0x40000000
DOMAIN_IPA_BASE = L.BOOT["domain_ipa_base"]   # every domain sees its RAM here
DOMAIN_MEM_ALIGN = L.DOMAIN_MEM_ALIGN         # size and placement of domain memory
DOMAIN_MEM_MAX = L.DOMAIN_MEM_MAX             # keeps RAM below CHANNEL_IPA_BASE
CHANNEL_IPA_BASE = L.BOOT["channel_ipa_base"]  # where channels are mapped by default
IPA_LIMIT = L.IPA_LIMIT                       # stage 2 with T0SZ=32 (4 GiB of IPA)
CHANNEL_MAX = L.CHANNEL_SIZE_MAX
UNTYPED_MAX = L.UNTYPED_SIZE_MAX
RAM_MIN, RAM_MAX = L.RAM_MIN, L.RAM_MAX
CSPACE_DEFAULT, CSPACE_MIN, CSPACE_MAX = (L.CSPACE_SLOTS_DEFAULT, L.CSPACE_SLOTS_MIN,
                                          L.CSPACE_SLOTS_MAX)
PERIOD_MAX_US = L.PERIOD_MAX_US
PRIORITY_MAX = L.PRIORITY_MAX
DEFAULT_PERIOD_US = L.PERIOD_DEFAULT_US
DEFAULT_PRIORITY = L.PRIORITY_DEFAULT
DEFAULT_POOL = L.HYP_POOL_DEFAULT
SPI_MIN, SPI_MAX = L.SPI_MIN, L.SPI_MAX
# The start-info page (<cloison/abi/start_info.h>): the last 4 KiB page of a
# domain's RAM, listing at most this many caps.
START_INFO_SIZE = L.BOOT["start_info_size"]
START_INFO_MAX_CAPS = L.START_INFO_CAPS_MAX

# Physical ranges of QEMU virt that the hypervisor keeps for itself
# (docs/system-description.md): no device object may cover them.
PLATFORM_RESERVED = [
    (0x08000000, 0x09000000, "the GIC"),
    (0x09000000, 0x09001000, "the hypervisor's UART (PL011)"),
]
RESERVED_INTIDS = {33: "the hypervisor's UART"}

BUILTIN_OBJECTS = ("system", "console")
# Roles a domain may declare for the auditor (docs/auditing.md). They grant
# nothing and are not part of the compiled policy: the audit uses them to
# know which domains are meant to relay between guests (driver) and which
# must hold nothing but lifecycle rights (control).
ROLES = ("control", "driver", "guest")
# What a domain runs: an image, or a Linux kernel packed with its initramfs
# and device tree (cloison.guest.pack).
DOMAIN_KINDS = ("image", "linux")
# A Linux guest's kernel command line when the description gives none:
# the console on the VMM's SBSA UART (ttyAMA0), no CMA reserve in its
# small RAM (docs/linux-guests.md).
LINUX_CMDLINE = "console=ttyAMA0 quiet cma=0"
# Linux's arm64 COMMAND_LINE_SIZE, including the NUL.
CMDLINE_MAX = 2047
OBJECT_KINDS = ("device", "irq", "notification", "channel", "untyped")
# Object types whose caps map memory into the holder at boot.
MAPPED_KINDS = ("device", "channel")

# Matched with fullmatch(): the whole string (a '$' would let a trailing
# newline through).
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
IMAGE_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
SIZE_RE = re.compile(r"\s*([0-9]+)\s*(K|M|G|KiB|MiB|GiB)?\s*")
SIZE_UNITS = {None: 1, "K": KiB, "KiB": KiB, "M": MiB, "MiB": MiB,
              "G": GiB, "GiB": GiB}

NAME_RULE = ("use 1 to 31 letters, digits, '_', '-' or '.', "
             "starting with a letter")


def fmt_size(n):
    for unit, name in ((GiB, "GiB"), (MiB, "MiB"), (KiB, "KiB")):
        if n and n % unit == 0:
            return "%d %s" % (n // unit, name)
    return "%d bytes" % n


def fmt_range(lo, hi):
    return "[0x%x, 0x%x)" % (lo, hi)


class System:
    def __init__(self):
        self.name = "cloison"
        self.ram_size = 512 * MiB
        self.cspace_slots = CSPACE_DEFAULT
        self.hyp_pool = DEFAULT_POOL
        self.line = 1


class Object:
    def __init__(self, kind, name, line):
        self.kind = kind
        self.name = name
        self.line = line
        self.phys = 0
        self.size = 0
        self.number = 0
        self.edge = False
        self.ends = []      # channel: caps that are its ends
        self.index = None
        self.domain = None      # domain object: the Domain


class Cap:
    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.object_name = None
        self.obj = None
        self.rights = []
        self.badge = 0
        self.ipa = None
        self.ipa_line = line
        self.slot = None
        self.end = 0
        self.domain = None


class Domain:
    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.image = None
        self.image_line = line
        # kind = "linux" (docs/system-description.md, "Linux guests"): the
        # image is packed from a kernel, an initramfs and a command line.
        self.kind = "image"
        self.kind_line = line
        self.kernel = None
        self.kernel_line = line
        self.initramfs = None
        self.initramfs_line = line
        self.cmdline = None
        self.cmdline_line = line
        self.dtb = None         # the generated device tree (kind linux)
        self.memory = None
        self.memory_line = line
        self.phys = None
        self.phys_line = line
        self.vcpus = 1
        self.budget_us = None
        self.period_us = DEFAULT_PERIOD_US
        self.priority = DEFAULT_PRIORITY
        self.cspace_slots = None
        self.connect_inbox = 0  # last slots of the CSpace: run-time clients
        self.connect_inbox_line = line
        self.autostart = True
        self.autostart_line = line
        self.vmms = []          # (VMM Domain, its Cap with the vmm right)
        self.role = None        # declared role (audit only): see ROLES
        self.role_line = line
        self.ctx = "domain '%s'" % name
        self.caps = []
        self.obj = None
        self.index = None
        self.elf = None         # parsed image, when an image path was given
        self.image_file = None
        self.serves_disks = False  # a block back end of some [[disk]]
        self.store = None       # guest configs to pack for it (cloison.store)
        self.store_line = line
        self.store_configs = []
        self.serves_net = False    # the switch of [[uplink]] and [[netport]]

    def ipa_end(self):
        return DOMAIN_IPA_BASE + self.memory


class Description:
    def __init__(self, filename, text):
        self.filename = filename
        self.text = text
        self.system = System()
        self.domains = []
        self.objects = []       # in object index order
        self.by_name = {}
        self.images_loaded = False
        self.disks = []         # [[disk]]: cloison.disks.Disk
        self.netports = []      # [[uplink]], [[netport]]: cloison.netports.Port
        self.tolerated = []     # diagnostics load(tolerate=...) let through
        self.warnings = []      # diagnostics that are warnings, in line order


# The nesting depth from which an error for values nested too deeply is
# placed (the error itself comes from tomllib running out of stack).
NESTING_SHOWN = 64


def _syntax_error(filename, text, exc):
    msg = str(exc)
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", msg)
    if m:
        line = int(m.group(1))
        msg = msg[:m.start()] + " (column %s)" % m.group(2)
    else:
        line = max(1, len(text.splitlines()))
        msg = re.sub(r"\s*\(at end of document\)$", " (at end of file)", msg)
    return DescriptionError(filename, [Diagnostic(
        line, "syntax", "TOML syntax error: " + msg[:1].lower() + msg[1:])])


def _too_large(filename, text, exc):
    """tomllib gave up on a value (not a syntax error): an integer with more
    digits than Python converts, or values nested deeper than its stack."""
    if isinstance(exc, RecursionError):
        depth, line = 0, 1
        for n, c in enumerate(text):
            depth += (c in "[{") - (c in "]}")
            if depth > NESTING_SHOWN:
                line = text.count("\n", 0, n) + 1
                break
        msg = ("values nested too deeply to read (arrays or inline tables "
               "inside each other; no field takes more than 2 levels)")
    else:
        limit = sys.get_int_max_str_digits()
        line, digits = 1, 0
        for m in re.finditer(r"[0-9][0-9_]*", text):
            digits = m.group().count("_")
            digits = len(m.group()) - digits
            if digits > limit:
                line = text.count("\n", 0, m.start()) + 1
                break
        msg = ("an integer of %d digits is too large to read (no field takes "
               "more than 20)" % digits if digits > limit
               else "a value is too large to read")
    return DescriptionError(filename, [Diagnostic(line, "syntax",
                                                  "TOML value error: " + msg)])


def parse(filename, text):
    """Validate the text; return (Description, diagnostics)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(filename, text, exc) from None
    except (RecursionError, ValueError) as exc:
        raise _too_large(filename, text, exc) from None
    from .check import check, limits        # check/ imports this module
    desc = Description(filename, text)
    too_many = limits.check(data, text)
    if too_many:
        return desc, too_many
    diags = check(desc, data, Positions(text))
    return desc, diags


def load(filename, image_path=None, tolerate=()):
    """Read, validate and (with an image path) resolve images.

    Raises DescriptionError (with the warnings among its diagnostics), or
    OSError if the file cannot be read. Warnings alone do not raise: they
    are kept in `desc.warnings` for the caller to print.
    Diagnostics whose kind is in `tolerate` do not raise when they are the
    only ones: they are kept in `desc.tolerated` (the auditor reports a
    channel without two ends or overlapping devices as violated invariants
    of the policy rather than refusing to look at it)."""
    with open(filename, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise DescriptionError(filename, [Diagnostic(
            line, "syntax", "TOML syntax error: the file is not valid UTF-8")])
    desc, diags = parse(filename, text)
    if image_path is not None:
        from .images import check_images    # images.py imports this module
        diags += check_images(desc, image_path)
    errors = [d for d in diags if not d.warning]
    if any(d.kind not in tolerate for d in errors):
        raise DescriptionError(filename, diags)
    desc.tolerated = sorted(errors, key=lambda d: d.line)
    desc.warnings = sorted((d for d in diags if d.warning), key=lambda d: d.line)
    return desc
