/* SPDX-License-Identifier: MIT */
/*
 * A guest served by a VMM (domains/tests/core/vmm_probe.c), written in
 * assembly so that every access names the register and size the test
 * expects. It makes no hypercall: once a VMM serves it, its HVCs and SMCs
 * go to the VMM. What it loads it stores back to the echo register
 * (EMU + 0x100), so the VMM sees what the core put in the register.
 * The last access falls between the emulated regions and must stop it.
 */
	.equ	EMU, 0x09000000

	.section .text.boot, "ax"
	.global _start
_start:				/* the image's entry */
	mov	x2, #1
	b	1f
alt_entry:			/* +8: where the VMM points the pc */
	mov	x2, #2
1:	movz	x9, #(EMU >> 16), lsl #16
	str	x1, [x9, #0x100]	/* x1 as the VMM set it */
	str	x2, [x9, #0x100]	/* which entry ran */

	movz	w3, #0x5678
	movk	w3, #0x1234, lsl #16
	str	w3, [x9, #0x0]		/* 32-bit store */
	mov	w4, #0xab
	strb	w4, [x9, #0x1]		/* byte store */
	ldr	x20, =0x1122334455667788
	str	x20, [x9, #0x8]		/* 64-bit store of a callee-saved register */

	ldr	w5, [x9, #0x10]		/* 32-bit load: zero-extended */
	str	x5, [x9, #0x100]
	ldrsb	x6, [x9, #0x11]		/* signed byte into X */
	str	x6, [x9, #0x100]
	ldrsh	w7, [x9, #0x12]		/* signed halfword into W */
	str	x7, [x9, #0x100]
	ldr	x21, [x9, #0x18]	/* 64-bit load into a callee-saved register */
	str	x21, [x9, #0x100]

	movz	x0, #0x8400, lsl #16	/* PSCI_VERSION through hvc #0 */
	hvc	#0
	str	x0, [x9, #0x100]
	movz	x0, #0xc200, lsl #16	/* an unknown SMC function */
	smc	#0
	str	x0, [x9, #0x100]
	str	xzr, [x9, #0x20]	/* store of XZR */

	ldr	w0, [x9, #0x1000]	/* between the regions: stops this guest */
2:	wfi
	b	2b
	.ltorg
