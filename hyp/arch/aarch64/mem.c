/* SPDX-License-Identifier: MIT */
/* At EL2 all of RAM is identity-mapped (mmu.c): a physical address is the pointer. */
#include <arch/mem.h>

#include "sysreg.h"

void *arch_mem_ptr(paddr_t pa, size_t size)
{
	(void)size;
	return (void *)(uintptr_t)pa_addr(pa);
}

/*
 * DC CIVAC by VA over every line of the range (VA = PA at EL2), the line
 * size from CTR_EL0.DminLine (bits [19:16], log2 of words); a DC by VA is
 * ordered after earlier stores to the same line, and the DSB completes it
 * before anything can tell a domain the memory is ready. Then IC IALLU: no
 * instruction cache line of a previous owner survives for code the core
 * copied in. (Arm ARM D4.4, Cache support: the A64 cache maintenance
 * instructions.)
 */
void arch_mem_clean(paddr_t pa, size_t size)
{
	uint64_t line = 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	uint64_t start = pa_addr(pa) & ~(line - 1);
	uint64_t end = pa_addr(pa) + size;

	if (!size)
		return;
	for (uint64_t a = start; a < end; a += line)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
	__asm__ volatile("ic iallu" ::: "memory");
	dsb(sy);
	isb();
}
