# SPDX-License-Identifier: MIT
"""The guest store: guest configs and their images, packed into the boot
image for the domain that creates guests at run time (docs/dynamic-guests.md,
"The guest store").

A domain's `store = ["web1.toml", ...]` (paths relative to the description)
names guest configs (cloison.guestconfig). Each is checked here, its image
found in the image path like a domain's and flattened (its PT_LOAD segments
from the start of a domain's RAM, the entry there too, as the core starts a
guest made at run time), and everything goes into one read-only segment of
that domain's memory at STORE_OFFSET (half its RAM) from its start:

  header   "CLSTORE1", u32 version, u32 count of configs
  entry    per config (ENTRY): name, image name, disk name (NUL-padded 32
           bytes each), u64 memory, u64 image offset (from the header),
           u64 image size, u32 budget_us, period_us, priority,
           u16 net port, u16 net vlan (0: none)
  images   each distinct image once, 4 KiB aligned

The reader is domains/dom0/store.c; the layout is fixed here and there.
"""
import struct

from . import elf, guestconfig, images, netguest
from .description import DOMAIN_IPA_BASE
from .errors import DescriptionError, Diagnostic

MAGIC = b"CLSTORE1"
VERSION = 1
HEADER = struct.Struct("<8sII")
ENTRY = struct.Struct("<32s32s32sQQQIIIHH")
ALIGN = 4096
# Room left above the store for the stack and the start-info page.
TOP_RESERVE = 1 << 20


def offset(dom):
    """Where the store starts in the domain's RAM (bytes from its base)."""
    return dom.memory // 2


def read(desc, dom, image_path):
    """Load the configs of dom's store; returns diagnostics. Sets
    dom.store_configs to [(GuestConfig, Elf)]."""
    diags = []
    dom.store_configs = []
    names = set()
    for path, shown in zip(dom.store or [], getattr(dom, "store_shown", dom.store or [])):
        try:
            cfg = guestconfig.load(path)
        except OSError as exc:
            diags.append(Diagnostic(dom.store_line, "bad-store", "%s: store: cannot read %s: %s"
                                    % (dom.ctx, shown, exc.strerror)))
            continue
        except DescriptionError as exc:
            first = exc.diagnostics[0]
            diags.append(Diagnostic(dom.store_line, "bad-store", "%s: store: %s"
                                    % (dom.ctx, first.format(shown))))
            continue
        if cfg.name in names:
            diags.append(Diagnostic(dom.store_line, "bad-store", "%s: store: two configs "
                                    "name the guest '%s'" % (dom.ctx, cfg.name)))
            continue
        names.add(cfg.name)
        found = images.find_image(cfg.image, image_path)
        if found is None:
            diags.append(Diagnostic(dom.store_line, "bad-store", "%s: store: %s: image '%s' "
                                    "not found in the image path" % (dom.ctx, shown, cfg.image)))
            continue
        try:
            with open(found, "rb") as f:
                img = elf.Elf(f.read())
            flat = flatten(img)
        except (OSError, elf.ElfError, ValueError) as exc:
            diags.append(Diagnostic(dom.store_line, "bad-store", "%s: store: %s: image '%s': %s"
                                    % (dom.ctx, shown, cfg.image, exc)))
            continue
        if len(flat) > cfg.memory - 4096:
            diags.append(Diagnostic(dom.store_line, "bad-store", "%s: store: %s: image '%s' "
                                    "(%d bytes) does not fit the guest's memory"
                                    % (dom.ctx, shown, cfg.image, len(flat))))
            continue
        if cfg.net_port:
            flat = _with_net_page(desc, cfg, flat)
        dom.store_configs.append((cfg, flat))
    return diags


def flatten(img):
    """The image as the core loads it: bytes from the start of a domain's
    RAM to the end of its last file-backed segment (bss is zero RAM)."""
    if img.entry != DOMAIN_IPA_BASE:
        raise ValueError("entry 0x%x is not the start of the domain's RAM (0x%x)"
                         % (img.entry, DOMAIN_IPA_BASE))
    segs = img.loads()
    end = max(s.paddr + s.filesz for s in segs)
    out = bytearray(end - DOMAIN_IPA_BASE)
    for s in segs:
        if s.paddr < DOMAIN_IPA_BASE:
            raise ValueError("segment at 0x%x is below the domain's RAM" % s.paddr)
        raw = img.segment_bytes(s)
        out[s.paddr - DOMAIN_IPA_BASE:s.paddr - DOMAIN_IPA_BASE + len(raw)] = raw
    return bytes(out)


def _with_net_page(desc, cfg, flat):
    """The image with its network front end's slot (netguest.SLOT_MARK)
    holding the page of the run-time port the config's [net] names, so the
    guest knows its address. An image without the slot, or a port the
    description does not declare (net-dom refuses it at create), is left
    as it is."""
    page = netguest.runtime_page(desc, cfg.net_port)
    at = flat.find(netguest.SLOT_MARK)
    if page is None or at < 0 or flat.find(netguest.SLOT_MARK, at + 1) >= 0:
        return flat
    at += len(netguest.SLOT_MARK)
    return flat[:at] + page + flat[at + len(page):]


def blob(dom):
    """The store's bytes for dom, or None if it has no store."""
    if not getattr(dom, "store_configs", None):
        return None
    n = len(dom.store_configs)
    head = HEADER.size + n * ENTRY.size
    data = bytearray()
    placed = {}
    entries = []
    for cfg, flat in dom.store_configs:
        if flat not in placed:
            at = -(-(head + len(data)) // ALIGN) * ALIGN
            data += bytes(at - head - len(data))
            placed[flat] = at
            data += flat
        entries.append(ENTRY.pack(cfg.name.encode(), cfg.image.encode(),
                                  (cfg.disk or "").encode(), cfg.memory, placed[flat],
                                  len(flat), cfg.budget_us, cfg.period_us, cfg.priority,
                                  cfg.net_port or 0, cfg.net_vlan or 0))
    return HEADER.pack(MAGIC, VERSION, n) + b"".join(entries) + bytes(data)


def check_fits(dom, size):
    """Diagnostics if a store of `size` bytes does not fit dom's memory."""
    room = dom.memory - offset(dom) - TOP_RESERVE
    out = []
    if size > room:
        out.append(Diagnostic(dom.store_line, "bad-store", "%s: the store (%d bytes) does not "
                              "fit in the upper half of the domain's memory less 1 MiB "
                              "(%d bytes): give the domain more memory" % (dom.ctx, size, room)))
    if dom.elf is not None:
        top = max(s.paddr + s.memsz for s in dom.elf.loads())
        if top > DOMAIN_IPA_BASE + offset(dom):
            out.append(Diagnostic(dom.store_line, "bad-store", "%s: the image reaches 0x%x, "
                                  "into the store at 0x%x" % (dom.ctx, top,
                                                             DOMAIN_IPA_BASE + offset(dom))))
    return out
