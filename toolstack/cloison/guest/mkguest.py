# SPDX-License-Identifier: MIT
"""Pack a Linux guest as one domain image: an ELF whose load segments put
the kernel Image, the initramfs and the generated device tree where the
arm64 boot protocol wants them in the guest's RAM (layout.py), with the
kernel's entry as the ELF entry. The loader copies segments like any
domain image's; the VMM sets x0 to the device tree.

usage: python3 -m cloison.guest.mkguest --kernel Image --initrd X.cpio
         --memory 128M --cmdline "..." -o linux-guest.elf [--dtb-out F]
"""
import argparse
import struct
import sys

from . import devicetree, layout
from .fetch import image_header

PF_X, PF_W, PF_R = 1, 2, 4


def elf_image(entry, segments):
    """ELF64 little-endian AArch64 executable; segments: (addr, data,
    memsz, flags)."""
    ehsize, phentsize = 64, 56
    phoff = ehsize
    data_off = (phoff + phentsize * len(segments) + 0xFFF) & ~0xFFF
    phdrs, blobs, off = b"", b"", data_off
    for addr, data, memsz, flags in segments:
        phdrs += struct.pack("<IIQQQQQQ", 1, flags, off, addr, addr, len(data),
                             memsz, 0x1000)
        pad = -(off + len(data)) % 0x1000
        blobs += data + b"\0" * pad
        off += len(data) + pad
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8
    header = ident + struct.pack("<HHIQQQIHHHHHH", 2, 183, 1, entry, phoff, 0, 0,
                                 ehsize, phentsize, len(segments), 64, 0, 0)
    out = header + phdrs
    return out + b"\0" * (data_off - len(out)) + blobs


def parse_size(s):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(s[:-1]) * units[s[-1].upper()] if s[-1].upper() in units else int(s, 0)


def make(kernel, initrd, memory, cmdline):
    """(elf bytes, dtb bytes)."""
    text_offset, image_size = image_header(kernel)
    image_size = max(image_size, len(kernel))
    kaddr, iaddr = layout.place(image_size, text_offset, len(initrd), memory)
    dtb = devicetree.guest_tree(memory, cmdline, iaddr, iaddr + len(initrd))
    if len(dtb) > layout.DTB_MAX:
        raise ValueError("device tree too large")
    segs = [(layout.DTB, dtb, len(dtb), PF_R),
            (kaddr, kernel, image_size, PF_R | PF_W | PF_X),
            (iaddr, initrd, len(initrd), PF_R)]
    return elf_image(kaddr, segs), dtb


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--memory", default="128M")
    ap.add_argument("--cmdline", default="console=ttyAMA0 quiet cma=0")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--dtb-out")
    args = ap.parse_args(argv)
    with open(args.kernel, "rb") as f:
        kernel = f.read()
    with open(args.initrd, "rb") as f:
        initrd = f.read()
    try:
        out, dtb = make(kernel, initrd, parse_size(args.memory), args.cmdline)
    except ValueError as exc:
        print("mkguest: %s" % exc, file=sys.stderr)
        return 1
    with open(args.output, "wb") as f:
        f.write(out)
    if args.dtb_out:
        with open(args.dtb_out, "wb") as f:
            f.write(dtb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
