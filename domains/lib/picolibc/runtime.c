/* SPDX-License-Identifier: MIT */
/*
 * runtime_start of the picolibc layer: the C half of the entry (core/start.S
 * has set the stack, VBAR_EL1, FP/SIMD and a zeroed BSS). After the
 * core's check of the start-info page, it lays out memory and turns the
 * MMU on (picolibc is built for Normal memory), sets up picolibc's TLS and
 * heap, lets the core take the console and the GIC interface, runs
 * constructors, and calls domain_main().
 */
#include <picolibc.h> /* PICOLIBC_TLS, which picotls.h tests */
#include <picotls.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

_Static_assert(CLOISON_START_INFO_SIZE == RUNTIME_PAGE, "start-info is one page");

static struct runtime_layout layout;

void __libc_init_array(void);

const struct runtime_layout *runtime_layout(void)
{
	return &layout;
}

/* picolibc's exit() ends here, after atexit handlers. */
void _exit(int status)
{
	runtime_exit(status);
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
	runtime_enter(si);
	lay_out(si);
	if (!layout_sane(si))
		runtime_fault();
	mmu_enable(&layout);
	layout.mmu_on = true;
	/* picolibc keeps errno and friends in TLS (TPIDR_EL0). */
	_set_tls(__tls_base);
	heap_init(layout.heap_start, layout.heap_end);
	runtime_init();
	__libc_init_array();
	exit(domain_main(si));
}
