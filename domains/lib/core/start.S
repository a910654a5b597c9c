/* SPDX-License-Identifier: MIT */
/*
 * Entry of every domain image, whichever layer it is built on. The
 * hypervisor starts us as <cloison/abi/start_info.h> says: EL1h, MMU and
 * caches off, DAIF masked, x0 = IPA of the start-info page (the last 4 KiB
 * page of our RAM), every other register zero.
 *
 * Order matters:
 *  1. VBAR_EL1 first, so that any exception from here on (even a bad x0)
 *     reaches our vectors, which report it to the hypervisor (hvc #0xe1)
 *     instead of jumping through address 0;
 *  2. the stack: it grows down from the start-info page;
 *  3. FP/SIMD on (the hypervisor leaves CPACR_EL1.FPEN = 0b11 already; we
 *     do not depend on it: picolibc's string and printf code use q regs;
 *     core code is built -mgeneral-regs-only and never touches them);
 *  4. BSS (and .tbss) to zero, byte by byte: the MMU is still off, every
 *     access is Device memory and must be naturally aligned, and the
 *     linker does not promise more than byte alignment for __bss_start;
 *  5. runtime_start(si) in C, which never returns: core/main.c for an
 *     image on the core alone, picolibc/runtime.c for the picolibc layer.
 */
	.section .text.boot, "ax"
	.global _start
	.type _start, %function
_start:
	adrp	x1, runtime_vectors
	add	x1, x1, :lo12:runtime_vectors
	msr	vbar_el1, x1
	isb

	mov	x19, x0
	mov	sp, x0

	mrs	x1, cpacr_el1
	orr	x1, x1, #(3 << 20)		/* CPACR_EL1.FPEN = 0b11 */
	msr	cpacr_el1, x1
	isb

	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	strb	wzr, [x1], #1
	b	1b

2:	mov	x29, xzr			/* end of the frame-pointer chain */
	mov	x30, xzr
	mov	x0, x19
	bl	runtime_start
	/* Not reached: runtime_start ends in runtime_park(). */
3:	hvc	#0xe1
	b	3b
	.size _start, . - _start
