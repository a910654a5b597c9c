/* SPDX-License-Identifier: MIT */
/* Per-CPU state; TPIDR_EL2 holds the current CPU's struct cpu. */
#include <arch/cpu.h>

#include "sysreg.h"

struct cpu cpus[MAX_CPUS];
/* Referenced from boot.S: CPU n's stack is cpu_stacks[n]. */
uint8_t cpu_stacks[MAX_CPUS][CPU_STACK_SIZE] __attribute__((aligned(4096)));

struct cpu *arch_cpu_current(void)
{
	return (struct cpu *)read_sysreg(tpidr_el2);
}

void arch_cpu_init_boot(void);
void arch_cpu_init_boot(void)
{
	cpus[0].index = 0;
	cpus[0].mpidr = read_sysreg(mpidr_el1) & 0xff00ffffffull;
	write_sysreg(tpidr_el2, &cpus[0]);
}

void arch_cpu_halt(void)
{
	__asm__ volatile("msr daifset, #0xf");
	for (;;)
		wfi();
}

void arch_cpu_wait_for_interrupt(void)
{
	dsb(sy);
	wfi();
}

void arch_irq_unmask(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_irq_mask(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}
