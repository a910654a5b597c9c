/* SPDX-License-Identifier: MIT */
/*
 * The board interface: the few facts the core and the arch code need before
 * (or without) the device tree; everything else comes from the tree. Each
 * board defines these in hyp/plat/<board>/board.c and the build picks the
 * board (hyp/meson.build, `board`). Generic code includes this header,
 * never a board's own.
 */
#ifndef PLAT_BOARD_H
#define PLAT_BOARD_H

#include <stddef.h>
#include <stdint.h>

/* The UART used for output before the device tree is parsed (and by panic()). */
uint64_t plat_early_uart_base(void);
/* Where the device tree is when the boot loader passes none in x0. */
uint64_t plat_default_dtb_addr(void);
/* The most the device tree may occupy there. */
size_t plat_dtb_max_size(void);
/* The hypervisor's tick rate, in Hz. */
uint32_t plat_tick_hz(void);

#endif
