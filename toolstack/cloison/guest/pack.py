# SPDX-License-Identifier: MIT
"""A Linux guest of a system description (kind = "linux",
docs/system-description.md): its image packed from the kernel, the
initramfs and the generated device tree (mkguest: the addresses the arm64
boot protocol requires), and each of its VMMs' emulated regions checked
against what that device tree describes.

The VMM image carries the regions it declares (vmm_region) in a table the
toolstack finds by its magic (domains/vmm/main.c, `platform`): 16 bytes of
magic, a 64-bit count, then count (base, size) pairs, little-endian."""
import struct

from .. import elf
from ..description import DOMAIN_IPA_BASE, fmt_range, fmt_size
from ..errors import Diagnostic
from . import devicetree, mkguest
from .fetch import image_header

PLATFORM_MAGIC = b"CLOISON-VMM-PLT\0"
PLATFORM_MAX = 8        # CLOISON_VMM_REGIONS_MAX


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def load(dom, image_path, find_image):
    """Make the guest's image: sets dom.elf, dom.image_file and dom.dtb;
    returns the diagnostics."""
    ctx = dom.ctx
    files = {}
    for key, line in (("kernel", dom.kernel_line), ("initramfs", dom.initramfs_line)):
        name = getattr(dom, key)
        path = find_image(name, image_path)
        if path is None:
            return [Diagnostic(line, "missing-image",
                               "%s: %s '%s' not found in the image path (%s)"
                               % (ctx, key, name, ":".join(image_path)))]
        try:
            files[key] = (path, _read(path))
        except OSError as exc:
            return [Diagnostic(line, "bad-image", "%s: %s '%s' (%s): %s"
                               % (ctx, key, name, path, exc.strerror))]
    (kpath, kernel), (ipath, initrd) = files["kernel"], files["initramfs"]
    try:
        image_header(kernel)
    except ValueError as exc:
        return [Diagnostic(dom.kernel_line, "bad-image", "%s: kernel '%s' (%s): %s"
                           % (ctx, dom.kernel, kpath, exc))]
    try:
        out, dtb = mkguest.make(kernel, initrd, dom.memory, dom.cmdline)
    except ValueError as exc:
        return [Diagnostic(dom.memory_line, "image-fit", "%s: %s" % (ctx, exc))]
    dom.elf, dom.dtb = elf.Elf(out), dtb
    # The bytes depend on all of these: two guests share them only if equal.
    dom.image_file = ("linux", kpath, ipath, dom.memory, dom.cmdline)
    return []


def vmm_platform(img):
    """The (base, size) regions a VMM image declares, or None if it has no
    platform table."""
    for seg in img.loads():
        raw = img.segment_bytes(seg)
        at = raw.find(PLATFORM_MAGIC)
        if at < 0:
            continue
        at += len(PLATFORM_MAGIC)
        (count,) = struct.unpack_from("<Q", raw, at)
        if count > PLATFORM_MAX or at + 8 + 16 * count > len(raw):
            return None
        return [struct.unpack_from("<QQ", raw, at + 8 + 16 * n) for n in range(count)]
    return None


def check_platforms(desc):
    """Each VMM of each Linux guest emulates every device of its tree."""
    diags = []
    for dom in desc.domains:
        if dom.kind != "linux" or dom.elf is None:
            continue
        ram = (DOMAIN_IPA_BASE, dom.ipa_end())
        for vmm, cap in dom.vmms:
            if vmm.elf is None:
                continue
            regions = vmm_platform(vmm.elf)
            if regions is None:
                diags.append(Diagnostic(cap.line, "vmm-platform",
                                        "%s serves the Linux guest '%s' (cap '%s') but its "
                                        "image '%s' emulates no platform (no VMM platform "
                                        "table): a Linux guest's VMM runs the image 'vmm'"
                                        % (vmm.ctx, dom.name, cap.name, vmm.image)))
                continue
            shown = ", ".join(fmt_range(b, b + s) for b, s in regions) or "none"
            for what, base, size in devicetree.DEVICES:
                if not any(b <= base and base + size <= b + s for b, s in regions):
                    diags.append(Diagnostic(cap.line, "vmm-platform",
                                            "%s: the device tree of '%s' has its %s at %s, "
                                            "which no region of this VMM covers (its "
                                            "regions: %s)" % (vmm.ctx, dom.name, what,
                                                              fmt_range(base, base + size),
                                                              shown)))
            for b, s in regions:
                if b < ram[1] and ram[0] < b + s:
                    diags.append(Diagnostic(cap.line, "vmm-platform",
                                            "%s: its emulated region %s overlaps the RAM "
                                            "of '%s' %s (%s)" % (vmm.ctx, fmt_range(b, b + s),
                                                                 dom.name, fmt_range(*ram),
                                                                 fmt_size(dom.memory))))
    return diags
