/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors: 16 entries of 0x80 bytes, table aligned to 2 KiB
 * (Arm ARM D1.10.2). Every entry saves the general registers, ELR_EL2 and
 * SPSR_EL2 into a struct exc_frame on the EL2 stack and calls
 * arch_exception_entry(frame, kind); the frame is restored on return, so a
 * handler changes the interrupted context by editing the frame.
 */
#include "exception.h"

.macro ventry kind
	.balign 0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #FRAME_X(0)]
	mov	x1, #\kind
	b	exc_common
.endm

	.section .text.vectors, "ax"
	.balign 0x800
	.global el2_vectors
el2_vectors:
	ventry 0	/* current EL, SP_EL0: sync */
	ventry 1	/* IRQ */
	ventry 2	/* FIQ */
	ventry 3	/* SError */
	ventry 4	/* current EL, SP_ELx: sync */
	ventry 5	/* IRQ */
	ventry 6	/* FIQ */
	ventry 7	/* SError */
	ventry 8	/* lower EL, AArch64: sync */
	ventry 9	/* IRQ */
	ventry 10	/* FIQ */
	ventry 11	/* SError */
	ventry 12	/* lower EL, AArch32: sync */
	ventry 13	/* IRQ */
	ventry 14	/* FIQ */
	ventry 15	/* SError */

exc_common:
	stp	x2, x3, [sp, #FRAME_X(2)]
	stp	x4, x5, [sp, #FRAME_X(4)]
	stp	x6, x7, [sp, #FRAME_X(6)]
	stp	x8, x9, [sp, #FRAME_X(8)]
	stp	x10, x11, [sp, #FRAME_X(10)]
	stp	x12, x13, [sp, #FRAME_X(12)]
	stp	x14, x15, [sp, #FRAME_X(14)]
	stp	x16, x17, [sp, #FRAME_X(16)]
	stp	x18, x19, [sp, #FRAME_X(18)]
	stp	x20, x21, [sp, #FRAME_X(20)]
	stp	x22, x23, [sp, #FRAME_X(22)]
	stp	x24, x25, [sp, #FRAME_X(24)]
	stp	x26, x27, [sp, #FRAME_X(26)]
	stp	x28, x29, [sp, #FRAME_X(28)]
	mrs	x2, elr_el2
	stp	x30, x2, [sp, #FRAME_X(30)]
	mrs	x3, spsr_el2
	add	x4, sp, #FRAME_SIZE
	stp	x3, x4, [sp, #FRAME_SPSR]

	mov	x0, sp
	bl	arch_exception_entry

	ldp	x30, x2, [sp, #FRAME_X(30)]
	ldr	x3, [sp, #FRAME_SPSR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x0, x1, [sp, #FRAME_X(0)]
	ldp	x2, x3, [sp, #FRAME_X(2)]
	ldp	x4, x5, [sp, #FRAME_X(4)]
	ldp	x6, x7, [sp, #FRAME_X(6)]
	ldp	x8, x9, [sp, #FRAME_X(8)]
	ldp	x10, x11, [sp, #FRAME_X(10)]
	ldp	x12, x13, [sp, #FRAME_X(12)]
	ldp	x14, x15, [sp, #FRAME_X(14)]
	ldp	x16, x17, [sp, #FRAME_X(16)]
	ldp	x18, x19, [sp, #FRAME_X(18)]
	ldp	x20, x21, [sp, #FRAME_X(20)]
	ldp	x22, x23, [sp, #FRAME_X(22)]
	ldp	x24, x25, [sp, #FRAME_X(24)]
	ldp	x26, x27, [sp, #FRAME_X(26)]
	ldp	x28, x29, [sp, #FRAME_X(28)]
	add	sp, sp, #FRAME_SIZE
	eret
