/* SPDX-License-Identifier: MIT */
/*
 * Entry of a test domain (<cloison/abi/start_info.h>): EL1h, MMU off,
 * x0 = IPA of the start-info page, the last page of RAM. The stack grows
 * down from just below it.
 */
	.section .text.boot, "ax"
	.global _start
_start:
	mov	x19, x0
	mov	sp, x0
	adrp	x1, kit_vectors
	add	x1, x1, :lo12:kit_vectors
	msr	vbar_el1, x1
	isb
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	strb	wzr, [x1], #1
	b	1b
2:	mov	x0, x19
	bl	kit_start
3:	wfi
	b	3b
