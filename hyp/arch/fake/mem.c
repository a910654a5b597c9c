/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for physical memory: a window [FAKE_RAM_BASE, + FAKE_RAM_SIZE)
 * backed by a static arena. Tests use the same addresses the board would.
 *
 * It models one thing about caches: what the core writes through
 * arch_mem_ptr() lands in `fake_ram` (its cache lines); a domain running with
 * its MMU and caches off reads `fake_poc` (memory at the point of
 * coherency), which only arch_mem_clean() brings up to date. A test fills
 * both with a previous owner's bytes, lets the core hand memory out, and
 * checks what a domain would see (fake_mem_domain_sees_zero).
 */
#include <arch/mem.h>
#include <cloison/panic.h>
#include <cloison/std/string.h>

#include "fake.h"

static unsigned char fake_ram[FAKE_RAM_SIZE] __attribute__((aligned(4096)));
static unsigned char fake_poc[FAKE_RAM_SIZE] __attribute__((aligned(4096)));
unsigned fake_mem_cleans;

static uint64_t offset_of(uint64_t a, uint64_t size)
{
	CHECK(a >= FAKE_RAM_BASE && size <= FAKE_RAM_SIZE &&
	      a - FAKE_RAM_BASE <= FAKE_RAM_SIZE - size);
	return a - FAKE_RAM_BASE;
}

void *arch_mem_ptr(paddr_t pa, size_t size)
{
	return &fake_ram[offset_of(pa_addr(pa), size)];
}

void arch_mem_clean(paddr_t pa, size_t size)
{
	uint64_t off = offset_of(pa_addr(pa), size);

	memcpy(&fake_poc[off], &fake_ram[off], size);
	fake_mem_cleans++;
}

void fake_mem_fill(uint64_t pa, uint64_t size, uint8_t byte)
{
	uint64_t off = offset_of(pa, size);

	memset(&fake_ram[off], byte, size);
	memset(&fake_poc[off], byte, size);
}

bool fake_mem_domain_sees_zero(uint64_t pa, uint64_t size)
{
	uint64_t off = offset_of(pa, size);

	for (uint64_t i = 0; i < size; i++)
		if (fake_poc[off + i] != 0)
			return false;
	return true;
}
