# SPDX-License-Identifier: MIT
"""A Linux guest as one domain image: an ELF whose load segments put the
kernel Image, the initramfs and the generated device tree where the arm64
boot protocol wants them in the guest's RAM (layout.py), with the kernel's
entry as the ELF entry. The loader copies segments like any domain
image's; the VMM sets x0 to the device tree. `cloison pack` calls make()
for each `kind = "linux"` domain (pack.py)."""
from .. import elf
from . import devicetree, layout
from .fetch import image_header


def make(kernel, initrd, memory, cmdline):
    """(elf bytes, dtb bytes); ValueError if it does not fit."""
    text_offset, image_size = image_header(kernel)
    image_size = max(image_size, len(kernel))
    kaddr, iaddr = layout.place(image_size, text_offset, len(initrd), memory)
    dtb = devicetree.guest_tree(memory, cmdline, iaddr, iaddr + len(initrd))
    if len(dtb) > layout.DTB_MAX:
        raise ValueError("device tree too large")
    segs = [(layout.DTB, dtb, len(dtb), elf.PF_R),
            (kaddr, kernel, image_size, elf.PF_R | elf.PF_W | elf.PF_X),
            (iaddr, initrd, len(initrd), elf.PF_R)]
    return elf.build(kaddr, segs), dtb
