/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for physical memory: a window [FAKE_RAM_BASE, + FAKE_RAM_SIZE)
 * backed by a static arena. Tests use the same addresses the board would.
 */
#include <arch/mem.h>
#include <cloison/panic.h>

#include "fake.h"

static unsigned char fake_ram[FAKE_RAM_SIZE] __attribute__((aligned(4096)));

void *arch_mem_ptr(paddr_t pa, size_t size)
{
	uint64_t a = pa_addr(pa);

	CHECK(a >= FAKE_RAM_BASE && size <= FAKE_RAM_SIZE &&
	      a - FAKE_RAM_BASE <= FAKE_RAM_SIZE - size);
	return &fake_ram[a - FAKE_RAM_BASE];
}
