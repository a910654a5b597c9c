/* SPDX-License-Identifier: MIT */
/*
 * The picolibc layer of the domain runtime (domains/lib/picolibc,
 * docs/domain-runtime.md), on top of the core (<domain/core.h>): it turns
 * the MMU on with an identity map, prepares picolibc (stdout is the
 * console, malloc has a heap, errno lives in TLS), owns the virtual timer
 * (vtimer_sleep_*) and runs constructors, then calls domain_main().
 * Include this one header for the whole API.
 */
#ifndef DOMAIN_RUNTIME_H
#define DOMAIN_RUNTIME_H

#include <stdio.h>

#include <domain/core.h>
#include <domain/hvc.h>

/* Stack: grows down from the start-info page; a guard page (unmapped at
 * stage 1) lies below it, the heap below that. */
#define RUNTIME_STACK_SIZE (64u * 1024u)
#define RUNTIME_PAGE 4096u

/* domain_main (core.h) runs after constructors; its `si` is read-only once
 * the MMU is on. Returning from it or calling exit() runs the atexit
 * handlers, then runtime_exit. */

/* Where things are, as the runtime laid them out at start. */
struct runtime_layout {
	uintptr_t ram_start, ram_end;   /* the domain's RAM */
	uintptr_t text_end;             /* code: [ram_start, text_end), R+X */
	uintptr_t ro_end;               /* read-only data: [text_end, ro_end) */
	uintptr_t image_end;            /* data + bss: [ro_end, image_end) */
	uintptr_t heap_start, heap_end; /* malloc's memory (sbrk) */
	uintptr_t guard;                /* one unmapped page below the stack */
	uintptr_t stack_bottom, stack_top;
	uintptr_t start_info;           /* == stack_top */
	bool mmu_on;
};
const struct runtime_layout *runtime_layout(void);

/* Sleep at least `us` microseconds (0: return at once), in WFI: the
 * hypervisor keeps a waiting vCPU off the CPU and charges it nothing until
 * the virtual timer fires. Whether or not the caller has IRQs unmasked. */
void vtimer_sleep_us(uint64_t us);
void vtimer_sleep_ms(uint64_t ms);

/* The same, but also back as soon as any other interrupt is taken (a
 * channel bound to a virtual interrupt: an event loop with timeouts).
 * True when the time ran out (us == 0: at once). Call with IRQs masked
 * and check for work first: an interrupt pending at the call ends it. */
bool vtimer_wait_us(uint64_t us);

/* stdin: bytes typed on the console, for a domain whose "console" cap has
 * the input right. Blocks (yielding the CPU) until a byte arrives; -1
 * without the right. */
int console_getc(void);

/* Interrupts taken since start (all INTIDs, timer included). */
uint64_t irq_count(void);

#endif
