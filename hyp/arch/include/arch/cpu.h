/* SPDX-License-Identifier: MIT */
/*
 * Arch interface: per-CPU state. Uniprocessor today, but every piece of
 * per-CPU state lives in struct cpu from the start so SMP is an addition.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#define MAX_CPUS 4
#define CPU_STACK_SIZE (16 * 1024)

#ifndef __ASSEMBLER__
#include <cloison/types.h>

struct cpu {
	/*
	 * Where the lower-EL exception vectors save the interrupted vCPU's
	 * registers (its struct arch_regs). Must stay first: vectors.S reads
	 * it at offset 0 of the struct TPIDR_EL2 points to.
	 */
	void *current_regs;
	uint32_t index;      /* 0 .. MAX_CPUS-1 */
	uint64_t mpidr;      /* affinity as read from MPIDR_EL1 */
	uint64_t ticks;      /* EL2 timer ticks taken on this CPU */
	uint64_t el2_entries; /* exceptions taken to EL2 (any kind) */
	uint64_t hypercalls; /* of which `hvc #0` (next to it: counted together) */
	/* ESR_EL2 of a data abort left for arch_lower_slow(), which has the
	 * whole frame (x19..x29 included) to decode it with; 0 when none. */
	uint64_t slow_dabt;
};

/* The struct cpu of the CPU this code runs on. */
struct cpu *arch_cpu_current(void);

/* Stop this CPU for good with interrupts masked (used after power-off fails). */
NORETURN void arch_cpu_halt(void);

/* Wait for an interrupt (idle). Interrupts must be unmasked by the caller. */
void arch_cpu_wait_for_interrupt(void);

/* Unmask / mask IRQs at EL2. */
void arch_irq_unmask(void);
void arch_irq_mask(void);

#endif /* __ASSEMBLER__ */
#endif
