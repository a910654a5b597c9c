# SPDX-License-Identifier: MIT
"""Linux guests: the kernel and initramfs taken from Debian packages
(deb, cpio, initramfs, fetch) and the guest's device tree (dtb)."""
