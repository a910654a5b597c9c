/* SPDX-License-Identifier: MIT */
/* QEMU's `virt` board (its memory map: docs/architecture.md). */
#include <plat/board.h>

uint64_t plat_early_uart_base(void)
{
	return 0x09000000ull; /* PL011 */
}

uint64_t plat_default_dtb_addr(void)
{
	/* For an ELF -kernel QEMU passes x0 = 0 and puts the DTB at the start of RAM. */
	return 0x40000000ull;
}

size_t plat_dtb_max_size(void)
{
	return 1024u * 1024u;
}

uint32_t plat_tick_hz(void)
{
	return 1000u;
}
