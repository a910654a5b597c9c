/* SPDX-License-Identifier: MIT */
/* At EL2 all of RAM is identity-mapped (mmu.c): a physical address is the pointer. */
#include <arch/mem.h>

void *arch_mem_ptr(paddr_t pa, size_t size)
{
	(void)size;
	return (void *)(uintptr_t)pa_addr(pa);
}
