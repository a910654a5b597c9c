# SPDX-License-Identifier: MIT
"""The Linux guest's physical address map and where its boot files go.

Devices: the addresses of QEMU's `virt` board that Linux is told about,
emulated by the guest's VMM (domains/vmm/layout.h: keep the two in step).
Boot protocol (Linux Documentation/arch/arm64/booting.rst): the Image at a
2 MiB-aligned base + text_offset, the device tree 8-byte aligned in the
first 512 MiB of RAM and not over the kernel, the initramfs anywhere in RAM
clear of both; x0 = the device tree's address (set by the VMM)."""

GICD = 0x08000000
GICD_SIZE = 0x10000
GICR = 0x080A0000
GICR_SIZE = 0x20000
UART = 0x09000000
UART_SIZE = 0x1000
UART_SPI = 1            # INTID 33
RAM = 0x40000000        # = description.DOMAIN_IPA_BASE
DTB = RAM               # the VMM's GUEST_DTB
DTB_MAX = 0x10000
KERNEL_BASE = RAM + 0x200000   # 2 MiB aligned
START_INFO_SIZE = 0x1000       # the loader's page at the top of RAM
MIB = 1 << 20


def align_up(x, a):
    return (x + a - 1) & ~(a - 1)


def place(image_size, text_offset, initrd_size, memory):
    """(kernel, initrd) addresses; ValueError if they do not fit."""
    kernel = KERNEL_BASE + text_offset
    initrd = align_up(kernel + image_size, 2 * MIB)
    if initrd + initrd_size > RAM + memory - START_INFO_SIZE:
        raise ValueError("kernel (%d bytes) and initramfs (%d bytes) do not fit "
                         "in %d MiB of guest memory" % (image_size, initrd_size, memory // MIB))
    return kernel, initrd
