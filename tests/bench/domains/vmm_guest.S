/* SPDX-License-Identifier: MIT */
/*
 * The guest of the VMM benchmark (vmmbench.c): times N guest exits of each
 * kind with the virtual counter (CNTVCT_EL0: one tick per 16 instructions
 * under -icount shift=0, PLATFORM-NOTES) and stores each count to a result
 * register of its emulated region. Before each window it stores to the
 * mark register so the VMM can read the hypervisor's counters around it.
 *
 *   +0x200 mark        +0x208 empty loop      +0x210 GICD_TYPER reads
 *   +0x218 PSCI_VERSION calls (hvc #0)        +0x220 done
 * The loads read GICD_TYPER's offset (0x004) of a GIC page at EMU.
 */
	.equ	EMU, 0x08000000
	.equ	N, 4096

	.macro	window result
	mrs	x11, cntvct_el0
	sub	x12, x11, x10
	str	x12, [x9, #\result]
	.endm

	.section .text.boot, "ax"
	.global _start
_start:
	movz	x9, #(EMU >> 16), lsl #16

	mov	x3, #N
	str	xzr, [x9, #0x200]
	isb
	mrs	x10, cntvct_el0
1:	subs	x3, x3, #1
	b.ne	1b
	window	0x208

	mov	x3, #N
	str	xzr, [x9, #0x200]
	isb
	mrs	x10, cntvct_el0
2:	ldr	w0, [x9, #0x4]
	subs	x3, x3, #1
	b.ne	2b
	window	0x210

	mov	x3, #N
	str	xzr, [x9, #0x200]
	isb
	mrs	x10, cntvct_el0
3:	movz	x0, #0x8400, lsl #16
	hvc	#0
	subs	x3, x3, #1
	b.ne	3b
	window	0x218

	str	xzr, [x9, #0x220]
4:	wfi
	b	4b
