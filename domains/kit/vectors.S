/* SPDX-License-Identifier: MIT */
/*
 * EL1 vectors of a test domain. IRQs (virtual interrupts) go to kit_irq();
 * every other exception is reported to the hypervisor with hvc #0xe1
 * (CLOISON_HVC_EL1_FAULT), which stops the domain and prints why.
 */
.macro fault_entry
	.balign 0x80
	hvc	#0xe1
	b	.
.endm

.macro irq_entry
	.balign 0x80
	b	kit_irq_entry
.endm

	.text
	.balign 0x800
	.global kit_vectors
kit_vectors:
	fault_entry	/* current EL, SP0 */
	irq_entry
	fault_entry
	fault_entry
	fault_entry	/* current EL, SPx: sync */
	irq_entry	/* IRQ */
	fault_entry
	fault_entry
	fault_entry	/* lower EL (none run here) */
	fault_entry
	fault_entry
	fault_entry
	fault_entry
	fault_entry
	fault_entry
	fault_entry

kit_irq_entry:
	sub	sp, sp, #176
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
	bl	kit_irq
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	add	sp, sp, #176
	eret
