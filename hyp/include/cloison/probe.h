/* SPDX-License-Identifier: MIT */
/*
 * EL2 stretch probe of the test build (hyp-test.elf): how long EL2 runs
 * between taking a domain's hypercall and returning to a domain (the same
 * one, or another after a switch), kept as the longest per call number.
 * Under `-icount shift=0` the physical counter ticks every 16 instructions,
 * so the figure is in instructions to within 16. It leaves out only the
 * vectors' own register save and restore (a fixed few dozen instructions).
 * tests/bench (bench-stretch) drives each call with the worst inputs a
 * domain can build and checks the target (docs/benchmarks.md).
 *
 * The release build has none of it: the calls below are empty there.
 */
#ifndef CLOISON_PROBE_H
#define CLOISON_PROBE_H

#include <cloison/types.h>

#ifdef CLOISON_SELFTEST
void probe_el2_enter(uint64_t call);
void probe_el2_leave(void);
/* EL2 takes pending interrupts here: the stretch ends, the next begins. */
void probe_el2_preempt_point(void);
#else
static inline void probe_el2_preempt_point(void)
{
}
static inline void probe_el2_enter(uint64_t call)
{
	(void)call;
}
static inline void probe_el2_leave(void)
{
}
#endif

#endif
