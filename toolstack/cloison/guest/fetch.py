# SPDX-License-Identifier: MIT
"""Derive the guest's boot files from the pinned Debian packages (checked
by toolstack/lib/deps.sh before this runs; they are only read here):

  Image            the kernel, un-gzipped from /boot/vmlinuz-* and checked
                   against the arm64 image header (Linux
                   Documentation/arch/arm64/booting.rst: magic "ARM\\x64" at
                   offset 0x38, text_offset at 0x08, image_size at 0x10)
  initramfs.cpio   busybox + /init (initramfs.py)
  initramfs-bench.cpio  the same plus the benchmark's 16 MiB file
  VERSION          the kernel release

usage: python3 -m cloison.guest.fetch --out DIR linux-image.deb busybox.deb
"""
import argparse
import gzip
import hashlib
import os
import struct
import sys

from . import deb, initramfs

ARM64_MAGIC = 0x644D5241


def image_header(image):
    """(text_offset, image_size) of an arm64 kernel Image, or ValueError."""
    if len(image) < 64:
        raise ValueError("kernel Image too short")
    text_offset, image_size = struct.unpack_from("<QQ", image, 8)
    (magic,) = struct.unpack_from("<I", image, 0x38)
    if magic != ARM64_MAGIC:
        raise ValueError("not an arm64 kernel Image (magic at 0x38)")
    return text_offset, image_size


def kernel_image(blob):
    """(release, Image bytes) from a linux-image package."""
    names = [n for n in deb.list_files(blob)
             if n.startswith("boot/vmlinuz-")]
    if len(names) != 1:
        raise ValueError(f"expected one boot/vmlinuz-*, found {names}")
    raw = deb.read_file(blob, names[0])
    # Debian's arm64 vmlinuz is the EFI-stub Image compressed with gzip.
    image = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    image_header(image)
    return names[0][len("boot/vmlinuz-"):], image


def write(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("debs", nargs="+")
    args = ap.parse_args(argv)
    kernel = busybox = None
    for path in args.debs:
        with open(path, "rb") as f:
            blob = f.read()
        name = os.path.basename(path)
        if name.startswith("linux-image-"):
            kernel = kernel_image(blob)
        elif name.startswith("busybox-static"):
            busybox = deb.read_file(blob, "bin/busybox")
    if kernel is None or busybox is None:
        print("fetch: need a linux-image and a busybox-static package", file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    release, image = kernel
    stamp = os.path.join(args.out, "VERSION")
    # The kernel release and the /init script: either changing remakes all.
    release_init = "%s init-%s" % (release, hashlib.sha256(initramfs.INIT.encode()).hexdigest()[:16])
    if os.path.exists(stamp) and open(stamp).read().strip() == release_init \
            and os.path.exists(os.path.join(args.out, "initramfs-bench.cpio")):
        return 0
    write(os.path.join(args.out, "Image"), image)
    write(os.path.join(args.out, "initramfs.cpio"), initramfs.build(busybox))
    write(os.path.join(args.out, "initramfs-bench.cpio"),
          initramfs.build(busybox, with_bench=True))
    write(stamp, (release_init + "\n").encode())
    print(f"fetch: kernel {release}, Image {len(image)} bytes -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
