/* SPDX-License-Identifier: MIT */
/*
 * The core layer of the domain runtime (domains/lib/core,
 * docs/domain-runtime.md): entry, EL1 vectors, start-info lookup, console
 * output through the console cap, virtual interrupts, the ways a domain
 * ends. No C library and no FP/SIMD (it is built -mgeneral-regs-only), so
 * an image on the core alone runs only the instructions it wrote: the
 * system-test and benchmark domains need that, and dom0 stays small. The
 * picolibc layer (<domain/runtime.h>) is built on it.
 *
 * Include this one header for the whole core API; test-result lines are
 * in <domain/result.h>.
 */
#ifndef DOMAIN_CORE_H
#define DOMAIN_CORE_H

#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/abi/start_info.h>
#include <cloison/abi/stubs.h>
#include <cloison/abi/version.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <domain/console.h>
#include <domain/irq.h>
#include <domain/si.h>
#include <domain/vtimer.h>

/*
 * Without a C library (the image is built -ffreestanding), the core brings
 * the shared library's formatter (print(), print_to_buf(): hyp/abi/std,
 * the hypervisor's too, writing to the console) and string functions. In the picolibc layer,
 * picolibc has both.
 */
#if !__STDC_HOSTED__
#include <cloison/std/print.h>
#include <cloison/std/string.h>
#endif

/*
 * Each image defines domain_main. `si` is the start-info page. Returning
 * from it parks the domain (runtime_exit). Interrupts are masked until
 * the domain unmasks them (irq.h).
 */
int domain_main(const struct cloison_start_info *si);

/* Stop this domain for good without spending CPU: flush the console,
 * disable its virtual interrupts and the timer, then WFI forever (the
 * hypervisor keeps a waiting vCPU off the CPU). */
_Noreturn void runtime_park(void);
/* Where domain_main's return value goes (and, in the picolibc layer,
 * exit()): a non-zero status is printed, then the domain parks. */
_Noreturn void runtime_exit(int status);

/* Ask the hypervisor to stop this domain as faulty (hvc #0xe1); it prints
 * ESR_EL1/ELR_EL1/FAR_EL1. runtime_panic prints `runtime: panic: ...`
 * first. The core's functions are built -mgeneral-regs-only: no floating-
 * point arguments to runtime_panic. */
_Noreturn void runtime_fault(void);
_Noreturn void runtime_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Power the machine off with the cap named "system"; a domain without it,
 * or whose cap lacks the right, panics. */
_Noreturn void runtime_poweroff(void);

#endif
