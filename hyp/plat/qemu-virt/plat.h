/* SPDX-License-Identifier: MIT */
/*
 * QEMU virt board facts the core needs before (or without) the device tree.
 * Everything else comes from the device tree QEMU passes.
 */
#ifndef PLAT_QEMU_VIRT_H
#define PLAT_QEMU_VIRT_H

/* PL011 used for output before the device tree is parsed (and by panic()). */
#define PLAT_EARLY_UART_BASE 0x09000000ull
/* For an ELF -kernel QEMU passes x0 = 0 and puts the DTB at the start of RAM. */
#define PLAT_DEFAULT_DTB_ADDR 0x40000000ull
#define PLAT_DTB_MAX_SIZE (1024u * 1024u)
/* Hypervisor tick rate. */
#define PLAT_TICK_HZ 1000u

#endif
