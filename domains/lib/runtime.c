/* SPDX-License-Identifier: MIT */
/*
 * runtime_start: the C half of the entry (start.S has set the stack,
 * VBAR_EL1, FP/SIMD and a zeroed BSS). It checks the start-info page,
 * lays out memory, turns the MMU on, sets up picolibc's TLS, heap and
 * stdio, runs constructors, and calls domain_main().
 */
#include <picolibc.h> /* PICOLIBC_TLS, which picotls.h tests */
#include <picotls.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

_Static_assert(CLOISON_HVC_EL1_FAULT == 0xe1, "vectors.S hard-codes hvc #0xe1");
_Static_assert(CLOISON_START_INFO_SIZE == RUNTIME_PAGE, "start-info is one page");

static struct runtime_layout layout;

void runtime_start(const struct cloison_start_info *si);
void __libc_init_array(void);

const struct runtime_layout *runtime_layout(void)
{
	return &layout;
}

_Noreturn void runtime_fault(void)
{
	console_flush();
	for (;;)
		__asm__ volatile("hvc #0xe1");
}

_Noreturn void runtime_panic(const char *fmt, ...)
{
	va_list ap;

	console_flush(); /* end whatever line was in progress */
	fputs("runtime: panic: ", stdout);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	runtime_fault();
}

_Noreturn void runtime_park(void)
{
	console_flush();
	irq_mask();
	irq_quiesce();
	for (;;)
		__asm__ volatile("wfi");
}

/* picolibc's exit() ends here, after atexit handlers. */
void _exit(int status)
{
	if (status != 0)
		printf("runtime: domain_main ended with status %d\n", status);
	runtime_park();
}

static void lay_out(const struct cloison_start_info *si)
{
	uintptr_t top = (uintptr_t)si;

	layout.ram_start = (uintptr_t)si->mem_ipa;
	layout.ram_end = (uintptr_t)(si->mem_ipa + si->mem_size);
	layout.text_end = (uintptr_t)__text_end;
	layout.ro_end = (uintptr_t)__ro_end;
	layout.image_end = (uintptr_t)__image_end;
	layout.start_info = top;
	layout.stack_top = top;
	layout.stack_bottom = top - RUNTIME_STACK_SIZE;
	layout.guard = layout.stack_bottom - RUNTIME_PAGE;
	layout.heap_start = layout.image_end;
	layout.heap_end = layout.guard;
}

/* The hypervisor promises this (start_info.h); a runtime that cannot rely
 * on it must not go on. Before the console works, the only way to say so
 * is the fault hypercall. */
static bool layout_sane(const struct cloison_start_info *si)
{
	uintptr_t top = (uintptr_t)si;

	return si->mem_ipa == (uintptr_t)__image_start &&
	       si->mem_size <= (1ull << 30) &&
	       top == si->mem_ipa + si->mem_size - CLOISON_START_INFO_SIZE &&
	       layout.guard >= layout.image_end;
}

void runtime_start(const struct cloison_start_info *si)
{
	if (si->magic != CLOISON_START_INFO_MAGIC ||
	    si->version != CLOISON_START_INFO_VERSION)
		runtime_fault(); /* not our hypervisor, or a newer one */
	si_init(si);
	lay_out(si);
	if (!layout_sane(si))
		runtime_fault();
	mmu_enable(&layout);
	layout.mmu_on = true;
	/* picolibc keeps errno and friends in TLS (TPIDR_EL0). */
	_set_tls(__tls_base);
	heap_init(layout.heap_start, layout.heap_end);
	console_init();
	irq_init();
	if (si->abi_major != CLOISON_ABI_VERSION_MAJOR)
		runtime_panic("hypervisor ABI %u.%u, this image was built for %u.%u",
			      si->abi_major, si->abi_minor, CLOISON_ABI_VERSION_MAJOR,
			      CLOISON_ABI_VERSION_MINOR);
	__libc_init_array();
	exit(domain_main(si));
}
