# SPDX-License-Identifier: MIT
"""Domain images: found through the image path, parsed as ELF, and checked
to fit the domain's memory below its start-info page."""

import os

from . import elf
from . import disks, netports
from .description import DOMAIN_IPA_BASE, START_INFO_SIZE, fmt_range
from .errors import Diagnostic
from .guest import pack

# Tried in order in each directory of the image path.
IMAGE_CANDIDATES = ("{0}.elf", "{0}", "{0}/{0}.elf")


def find_image(name, image_path):
    for d in image_path:
        for pattern in IMAGE_CANDIDATES:
            p = os.path.join(d, pattern.format(name))
            if os.path.isfile(p):
                return p
    return None


def check_images(desc, image_path):
    """Resolve and parse each domain's image; check it fits its memory."""
    diags = []
    cache = {}
    for dom in desc.domains:
        if dom.kind == "linux":
            if dom.kernel is not None and dom.initramfs is not None and \
                    dom.memory is not None and dom.cmdline is not None:
                found = pack.load(dom, image_path, find_image)
                diags += found or _image_fits(dom, dom.ctx)
            continue
        if dom.image is None:
            continue
        ctx = dom.ctx
        path = find_image(dom.image, image_path)
        if path is None:
            diags.append(Diagnostic(dom.image_line, "missing-image",
                                    "%s: image '%s' not found in the image path "
                                    "(%s)" % (ctx, dom.image, ":".join(image_path))))
            continue
        if path not in cache:
            try:
                with open(path, "rb") as f:
                    cache[path] = elf.Elf(f.read())
                if not cache[path].loads():
                    raise elf.ElfError("no loadable segment")
            except (OSError, elf.ElfError) as exc:
                cache[path] = exc
        img = cache[path]
        if isinstance(img, Exception):
            reason = img.strerror if isinstance(img, OSError) else str(img)
            diags.append(Diagnostic(dom.image_line, "bad-image",
                                    "%s: image '%s' (%s): %s"
                                    % (ctx, dom.image, path, reason)))
            continue
        dom.elf, dom.image_file = img, path
        if dom.memory is not None:
            diags += _image_fits(dom, ctx)
        if dom.store and dom.memory is not None:
            from . import store     # store.py imports this module
            diags += store.read(desc, dom, image_path)
            blob = store.blob(dom)
            diags += store.check_fits(dom, len(blob) if blob else 0)
    desc.images_loaded = True
    return diags + pack.check_platforms(desc)


def _image_fits(dom, ctx):
    img = dom.elf
    lo, hi = DOMAIN_IPA_BASE, dom.ipa_end()
    out = []
    segs = img.loads()
    for n, s in enumerate(segs):
        if s.paddr < lo or s.paddr + s.memsz > hi:
            out.append(Diagnostic(dom.image_line, "image-fit",
                                  "%s: image '%s' segment %d %s is outside the "
                                  "domain's memory %s"
                                  % (ctx, dom.image, n,
                                     fmt_range(s.paddr, s.paddr + s.memsz),
                                     fmt_range(lo, hi))))
            return out
        if s.paddr + s.memsz > hi - START_INFO_SIZE:
            out.append(Diagnostic(dom.image_line, "image-fit",
                                  "%s: image '%s' segment %d %s overlaps the "
                                  "start-info page %s"
                                  % (ctx, dom.image, n,
                                     fmt_range(s.paddr, s.paddr + s.memsz),
                                     fmt_range(hi - START_INFO_SIZE, hi))))
            return out
        for serves, off, size, what in (
                (dom.serves_disks, disks.BACKEND_CONFIG_OFFSET, 4096,
                 "back-end configuration page"),
                (dom.serves_net, netports.NET_CONFIG_OFFSET, netports.NET_CONFIG_SIZE,
                 "switch's configuration pages")):
            if serves and s.paddr + s.memsz > hi - off:
                out.append(Diagnostic(dom.image_line, "image-fit",
                                      "%s: image '%s' segment %d %s overlaps the %s %s"
                                      % (ctx, dom.image, n,
                                         fmt_range(s.paddr, s.paddr + s.memsz), what,
                                         fmt_range(hi - off, hi - off + size))))
                return out
        for m in range(n):
            t = segs[m]
            if s.paddr < t.paddr + t.memsz and t.paddr < s.paddr + s.memsz:
                out.append(Diagnostic(dom.image_line, "image-fit",
                                      "%s: image '%s' segments %d and %d overlap"
                                      % (ctx, dom.image, m, n)))
                return out
    if not any(s.paddr <= img.entry < s.paddr + s.memsz for s in segs):
        out.append(Diagnostic(dom.image_line, "image-fit",
                              "%s: image '%s' entry point 0x%x is outside its "
                              "loaded segments" % (ctx, dom.image, img.entry)))
    return out
