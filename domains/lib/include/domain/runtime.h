/* SPDX-License-Identifier: MIT */
/*
 * The domain runtime (domains/lib, docs/domain-runtime.md): what runs at
 * EL1 inside a Cloison domain around the domain's own code. It takes the
 * entry from the hypervisor, turns the MMU on with an identity map,
 * prepares picolibc (stdout is the console, malloc has a heap), then calls
 * domain_main(). Include this one header for the whole API.
 */
#ifndef DOMAIN_RUNTIME_H
#define DOMAIN_RUNTIME_H

#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/abi/start_info.h>
#include <cloison/abi/stubs.h>
#include <cloison/abi/version.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <domain/console.h>
#include <domain/hvc.h>
#include <domain/irq.h>
#include <domain/si.h>
#include <domain/vtimer.h>

/* Stack: grows down from the start-info page; a guard page (unmapped at
 * stage 1) lies below it, the heap below that. */
#define RUNTIME_STACK_SIZE (64u * 1024u)
#define RUNTIME_PAGE 4096u

/*
 * Each image defines domain_main. `si` is the start-info page (read-only
 * once the MMU is on). Returning from it, or calling exit(), flushes the
 * console and parks the domain for good (runtime_park).
 */
int domain_main(const struct cloison_start_info *si);

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

/* Stop this domain for good without spending CPU: flush the console,
 * disable its virtual interrupts and the timer, then WFI forever (the
 * hypervisor keeps a waiting vCPU off the CPU). */
_Noreturn void runtime_park(void);

/* Ask the hypervisor to stop this domain as faulty (hvc #0xe1); it prints
 * ESR_EL1/ELR_EL1/FAR_EL1. runtime_panic prints a line first. */
_Noreturn void runtime_fault(void);
_Noreturn void runtime_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
