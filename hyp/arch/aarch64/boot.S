/* SPDX-License-Identifier: MIT */
/*
 * First instructions at EL2. QEMU enters with the MMU and caches off,
 * HCR_EL2 = 0, and x0 = DTB address (0 when it loaded an ELF; the DTB is then
 * at the start of RAM).
 */
#include <arch/cpu.h>

	.section .text.boot, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	mov	x19, x0

	/* Only the CPU with affinity 0 boots; QEMU keeps the others off until
	 * a PSCI CPU_ON, but park anything else that arrives here. */
	mrs	x1, mpidr_el1
	and	x1, x1, #0xffffff
	cbnz	x1, park

	/* Clear BSS (16-byte aligned by hyp.ld); nothing uses the stack yet. */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	/* Stack of CPU 0: top of cpu_stacks[0]. */
	adrp	x1, cpu_stacks
	add	x1, x1, :lo12:cpu_stacks
	add	x1, x1, #CPU_STACK_SIZE
	mov	sp, x1

	adrp	x1, el2_vectors
	add	x1, x1, :lo12:el2_vectors
	msr	vbar_el2, x1
	isb

	mov	x0, x19
	bl	arch_boot_main
park:
	wfe
	b	park
