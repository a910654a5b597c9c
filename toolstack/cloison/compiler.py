# SPDX-License-Identifier: MIT
"""From a validated Description to the policy, the image data and the bundle.

Physical layout (all in QEMU virt RAM, starting at 0x40000000):

  [RAM base, hyp link address)   device tree left by QEMU, untouched
  [hyp base, hyp end)            the hypervisor's PT_LOAD segments
  [bundle base, bundle end)      bundle: header, policy, image data;
                                 bundle base = ALIGN_UP(hyp end, 64 KiB)
  then, first fit from the bundle end upward in declaration order:
    each domain's memory          2 MiB aligned (or at its explicit `phys`)
    each channel's shared pages   4 KiB aligned
  [pool base, RAM end)           left to the hypervisor (page tables...),
                                 pool base = end of the highest allocation

Everything here is a pure function of the description, the hypervisor's load
end and the image files, so the output is byte-for-byte reproducible.
"""

import hashlib

from . import abi as abi_mod
from . import disks, netguest, netports
from . import store
from . import limits
from . import policy as fmt
from .description import (DOMAIN_IPA_BASE, DOMAIN_MEM_ALIGN, PAGE, RAM_BASE,
                          fmt_range, fmt_size)
from .errors import DescriptionError, Diagnostic

HYP_LINK_BASE = 0x40200000      # used when no hypervisor ELF is given


def _align(x, a):
    return (x + a - 1) // a * a


class Compiled:
    def __init__(self, policy, blob, images, bundle_base):
        self.policy = policy        # the dict form (see policy.encode_policy)
        self.blob = blob            # encoded policy
        self.images = images        # image data area
        self.bundle_base = bundle_base

    def bundle(self):
        return fmt.encode_bundle(self.blob, self.images, self.bundle_base)


def _config_blobs(desc, dom):
    """A driver domain's configuration tables: (bytes, offset from the end
    of its RAM, size of the segment)."""
    out = []
    cfg = disks.config_blob(desc, dom)
    if cfg is not None:
        out.append((cfg, disks.BACKEND_CONFIG_OFFSET, 4096))
    cfg = netports.config_blob(desc, dom)
    if cfg is not None:
        out.append((cfg, netports.NET_CONFIG_OFFSET, netports.NET_CONFIG_SIZE))
    # A network guest's address (cloison.netguest, docs/net-guests.md).
    cfg = netguest.config_blob(desc, dom)
    if cfg is not None:
        out.append((cfg, netguest.NETGUEST_CONFIG_OFFSET, netguest.NETGUEST_CONFIG_SIZE))
    return out


def _image_data(desc, images_off):
    """Flatten every domain's PT_LOAD segments. Identical images (same file)
    share their bytes. Returns (segment records per domain, data, sha256s)."""
    data = bytearray()
    placed = {}      # (file, segment index) -> offset of its bytes in the bundle
    per_domain = []
    hashes = []
    for dom in desc.domains:
        recs = []
        h = hashlib.sha256()
        if dom.elf is not None:
            for n, seg in enumerate(dom.elf.loads()):
                raw = dom.elf.segment_bytes(seg)
                h.update(raw)
                key = (dom.image_file, n)
                if key not in placed:
                    data += bytes(_align(len(data), fmt.IMAGE_DATA_ALIGN) - len(data))
                    placed[key] = images_off + len(data)
                    data += raw
                recs.append({"ipa": seg.paddr, "file_size": seg.filesz,
                             "mem_size": seg.memsz, "offset": placed[key],
                             "flags": seg.flags & 7, "domain": dom.index})
            # The guest store of a domain that creates guests (cloison.store),
            # read-only, at half its RAM.
            blob = store.blob(dom)
            if blob is not None:
                h.update(blob)
                data += bytes(_align(len(data), fmt.IMAGE_DATA_ALIGN) - len(data))
                recs.append({"ipa": DOMAIN_IPA_BASE + store.offset(dom),
                             "file_size": len(blob), "mem_size": _align(len(blob), 4096),
                             "offset": images_off + len(data), "flags": 4,
                             "domain": dom.index})
                data += blob
            # A block back end's extent table (cloison.disks), read-only.
            # The switch's port table (cloison.netports), a network
            # guest's address page (cloison.netguest), read-only.
            for cfg, off, size in _config_blobs(desc, dom):
                h.update(cfg)
                data += bytes(_align(len(data), fmt.IMAGE_DATA_ALIGN) - len(data))
                recs.append({"ipa": DOMAIN_IPA_BASE + dom.memory - off,
                             "file_size": len(cfg), "mem_size": size,
                             "offset": images_off + len(data), "flags": 4,
                             "domain": dom.index})
                data += cfg
        per_domain.append(recs)
        hashes.append(h.digest() if dom.elf is not None else bytes(32))
    data += bytes(_align(len(data), fmt.IMAGE_DATA_ALIGN) - len(data))
    return per_domain, bytes(data), hashes


class _Allocator:
    """First-fit allocation of physical ranges in [lo, hi)."""

    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi
        self.used = []          # sorted (start, end)

    def take(self, start, size):
        self.used.append((start, start + size))
        self.used.sort()

    def clash(self, start, size):
        for a, b in self.used:
            if start < b and a < start + size:
                return (a, b)
        return None

    def alloc(self, size, align):
        addr = _align(self.lo, align)
        for a, b in self.used:
            if addr + size <= a:
                break
            addr = max(addr, _align(b, align))
        if addr + size > self.hi:
            return None
        self.take(addr, size)
        return addr

    def top(self):
        return max([self.lo] + [b for _, b in self.used])


def layout(desc, hyp_base, hyp_end, bundle_size):
    """Assign physical memory; returns (bundle base, pool base) or raises."""
    sysd = desc.system
    ram_end = RAM_BASE + sysd.ram_size
    bundle_base = _align(hyp_end, fmt.BUNDLE_ALIGN)
    bundle_end = bundle_base + bundle_size
    diags = []
    if bundle_end > ram_end:
        raise DescriptionError(desc.filename, [Diagnostic(
            sysd.line, "memory-full",
            "[system]: the hypervisor and boot bundle %s do not fit in RAM %s"
            % (fmt_range(hyp_base, bundle_end), fmt_range(RAM_BASE, ram_end)))])
    heap = _Allocator(bundle_end, ram_end)
    for dom in desc.domains:
        if dom.phys is None:
            continue
        lo, hi = dom.phys, dom.phys + dom.memory
        ctx = "domain '%s': memory %s" % (dom.name, fmt_range(lo, hi))
        if lo < RAM_BASE or hi > ram_end:
            diags.append(Diagnostic(dom.phys_line, "memory-overlap",
                                    "%s is outside RAM %s"
                                    % (ctx, fmt_range(RAM_BASE, ram_end))))
        elif lo < bundle_end:
            diags.append(Diagnostic(dom.phys_line, "memory-overlap",
                                    "%s overlaps the device tree, hypervisor and boot bundle %s"
                                    % (ctx, fmt_range(RAM_BASE, bundle_end))))
        else:
            c = heap.clash(lo, dom.memory)
            if c is not None:
                other = next(d for d in desc.domains if d.phys == c[0])
                diags.append(Diagnostic(dom.phys_line, "memory-overlap",
                                        "%s overlaps domain '%s' %s"
                                        % (ctx, other.name, fmt_range(*c))))
            else:
                heap.take(lo, dom.memory)
    if diags:
        raise DescriptionError(desc.filename, diags)
    for dom in desc.domains:
        if dom.phys is not None:
            dom.mem_phys = dom.phys
            continue
        dom.mem_phys = heap.alloc(dom.memory, DOMAIN_MEM_ALIGN)
        if dom.mem_phys is None:
            raise DescriptionError(desc.filename, [Diagnostic(
                dom.memory_line, "memory-full",
                "domain '%s': memory %s does not fit in RAM %s after the "
                "domains before it" % (dom.name, fmt_size(dom.memory),
                                       fmt_range(RAM_BASE, ram_end)))])
    for obj in desc.objects:
        if obj.kind not in ("channel", "untyped"):
            continue
        obj.phys = heap.alloc(obj.size, PAGE)
        if obj.phys is None:
            what = "shared memory" if obj.kind == "channel" else "untyped memory"
            raise DescriptionError(desc.filename, [Diagnostic(
                obj.line, "memory-full",
                "%s '%s': %s of %s does not fit in RAM"
                % (obj.kind, obj.name, fmt_size(obj.size), what))])
    pool_base = _align(heap.top(), PAGE)
    slots = sum(d.cspace_slots for d in desc.domains)
    need = limits.pool_needed(len(desc.domains), len(desc.objects), slots)
    if sysd.hyp_pool < need and ram_end - pool_base < need:
        raise DescriptionError(desc.filename, [Diagnostic(
            sysd.line, "memory-full",
            "[system]: only %s of RAM is left for the hypervisor pool; %d domains, "
            "%d objects and %d CSpace slots need %s" % (
                fmt_size(ram_end - pool_base), len(desc.domains), len(desc.objects),
                slots, fmt_size(need)))])
    if ram_end - pool_base < sysd.hyp_pool:
        raise DescriptionError(desc.filename, [Diagnostic(
            sysd.line, "memory-full",
            "[system]: only %s of RAM is left for the hypervisor pool, "
            "hyp_pool asks for %s" % (fmt_size(ram_end - pool_base),
                                      fmt_size(sysd.hyp_pool)))])
    return bundle_base, pool_base


def check_tables(desc):
    """What check/limits.py cannot count from the TOML alone: the image
    segments (limits.segments_max of hyp/abi/cloison-boot.toml, the loader's
    segment table), known once the images are read."""
    diags = []
    nsegs = 0
    for dom in desc.domains:
        nsegs += (len(dom.elf.loads()) + (store.blob(dom) is not None)
                  if dom.elf is not None else 0)
        if nsegs > limits.SEGMENTS_MAX:
            diags.append(Diagnostic(dom.image_line, "too-many",
                                    "domain '%s': image '%s' brings the policy to %d loadable "
                                    "segments, but the hypervisor's loader takes at most %d"
                                    % (dom.name, dom.image, nsegs, limits.SEGMENTS_MAX)))
            break
    if diags:
        raise DescriptionError(desc.filename, diags)


def compile_description(desc, hyp=None, abi=None):
    """Lay out and encode. `hyp` is the parsed hypervisor Elf or None."""
    abi = abi or abi_mod.load()
    check_tables(desc)
    flags = 0
    if not desc.images_loaded:
        flags |= fmt.POLICY_F_NO_IMAGES
    if hyp is None:
        flags |= fmt.POLICY_F_NO_HYP
        hyp_base = hyp_end = HYP_LINK_BASE
    else:
        loads = hyp.loads()
        hyp_base = min(s.paddr for s in loads)
        hyp_end = hyp.load_end()
    ncaps = sum(len(d.caps) for d in desc.domains)
    # The policy's size depends only on the record counts, so the image data
    # offsets (relative to the bundle start) are known before the layout.
    nsegs = sum(len(d.elf.loads()) + len(_config_blobs(desc, d))
                + (store.blob(d) is not None)
                for d in desc.domains if d.elf is not None)
    plen = fmt.policy_size({"domains": len(desc.domains),
                            "objects": len(desc.objects),
                            "caps": ncaps, "segments": nsegs})
    images_off = fmt.images_offset(plen)
    segs, images, hashes = _image_data(desc, images_off)
    bundle_size = images_off + len(images)
    bundle_base, pool_base = layout(desc, hyp_base, hyp_end, bundle_size)
    ram_end = RAM_BASE + desc.system.ram_size

    objects = []
    for obj in desc.objects:
        rec = {"name": obj.name, "type": abi.type_number(obj.kind)}
        if obj.kind in ("device", "channel", "untyped"):
            rec.update(phys=obj.phys, size=obj.size)
        elif obj.kind == "irq":
            rec.update(number=obj.number,
                       flags=fmt.OBJECT_F_IRQ_EDGE if obj.edge else 0)
        elif obj.kind == "domain":
            rec.update(number=obj.domain.index)
        objects.append(rec)

    domains, caps, segments = [], [], []
    for dom, dsegs, digest in zip(desc.domains, segs, hashes):
        domains.append({
            "name": dom.name, "image": dom.image,
            "mem_phys": dom.mem_phys, "mem_size": dom.memory,
            "mem_ipa": DOMAIN_IPA_BASE,
            "entry": dom.elf.entry if dom.elf is not None else 0,
            "budget_us": dom.budget_us, "period_us": dom.period_us,
            "priority": dom.priority, "vcpus": dom.vcpus,
            "cap_first": len(caps), "cap_count": len(dom.caps),
            "seg_first": len(segments), "seg_count": len(dsegs),
            "cspace_slots": dom.cspace_slots,
            "inbox_slots": dom.connect_inbox,
            "flags": fmt.DOMAIN_F_AUTOSTART if dom.autostart else 0,
            "object": dom.obj.index, "image_sha256": digest,
        })
        for cap in dom.caps:
            caps.append({
                "name": cap.name, "slot": cap.slot, "object": cap.obj.index,
                "rights": abi.rights_mask(cap.obj.kind, cap.rights),
                "badge": cap.badge,
                "ipa": cap.ipa if cap.ipa is not None else fmt.NO_IPA,
                "end": cap.end, "domain": dom.index,
            })
        segments += dsegs

    pol = {
        "flags": flags, "abi_major": abi.version[0], "abi_minor": abi.version[1],
        "ram_base": RAM_BASE, "ram_size": desc.system.ram_size,
        "hyp_base": hyp_base, "hyp_end": hyp_end,
        "bundle_base": bundle_base, "bundle_size": bundle_size,
        "pool_base": pool_base, "pool_size": ram_end - pool_base,
        "system_name": desc.system.name,
        "domains": domains, "objects": objects, "caps": caps,
        "segments": segments,
    }
    blob = fmt.encode_policy(pol)
    assert len(blob) == plen
    return Compiled(pol, blob, images, bundle_base)
