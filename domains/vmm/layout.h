/* SPDX-License-Identifier: MIT */
/*
 * The guest's physical address map: the same as QEMU's `virt` board for
 * the devices Linux is told about (PLATFORM-NOTES), RAM at 1 GiB. The
 * toolstack places the kernel, the initramfs and the device tree
 * (toolstack/cloison/guest/layout.py: keep the two in step).
 */
#ifndef VMM_LAYOUT_H
#define VMM_LAYOUT_H

#define GUEST_GICD 0x08000000ull
#define GUEST_GICR 0x080a0000ull
#define GUEST_UART 0x09000000ull
#define GUEST_UART_INTID 33u   /* SPI 1 */
#define GUEST_RAM 0x40000000ull
#define GUEST_DTB GUEST_RAM    /* 8-byte aligned, below the kernel */

#endif
