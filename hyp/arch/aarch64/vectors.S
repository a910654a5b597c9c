/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors: 16 entries of 0x80 bytes, table aligned to 2 KiB
 * (Arm ARM D1.10.2).
 *
 * Current-EL exceptions (the hypervisor itself: its IRQs while idle, or a
 * fault) save a struct arch_regs frame on the EL2 stack.
 * Lower-EL exceptions (a domain) save straight into the running vCPU's
 * struct arch_regs, found through TPIDR_EL2 -> struct cpu -> current_regs,
 * so neither a hypercall nor a context switch copies registers around.
 *
 * Either way arch_exception_entry(frame, kind) returns the frame to restore
 * (for a lower-EL exception: the registers of the vCPU that runs next),
 * and exc_return restores it and returns with ERET.
 */
#include "exception.h"

/* The caller-saved registers (x2..x18, x30), ELR_EL2 and SPSR_EL2. */
.macro save_volatile
	stp	x2, x3, [x0, #FRAME_X(2)]
	stp	x4, x5, [x0, #FRAME_X(4)]
	stp	x6, x7, [x0, #FRAME_X(6)]
	stp	x8, x9, [x0, #FRAME_X(8)]
	stp	x10, x11, [x0, #FRAME_X(10)]
	stp	x12, x13, [x0, #FRAME_X(12)]
	stp	x14, x15, [x0, #FRAME_X(14)]
	stp	x16, x17, [x0, #FRAME_X(16)]
	str	x18, [x0, #FRAME_X(18)]
	mrs	x2, elr_el2
	stp	x30, x2, [x0, #FRAME_X(30)]
	mrs	x3, spsr_el2
	str	x3, [x0, #FRAME_SPSR]
.endm

/* The callee-saved registers x19..x29: C code preserves them, so they still
 * hold the interrupted context's values whenever C has returned. */
.macro save_callee
	str	x19, [x0, #FRAME_X(19)]
	stp	x20, x21, [x0, #FRAME_X(20)]
	stp	x22, x23, [x0, #FRAME_X(22)]
	stp	x24, x25, [x0, #FRAME_X(24)]
	stp	x26, x27, [x0, #FRAME_X(26)]
	stp	x28, x29, [x0, #FRAME_X(28)]
.endm

.macro save_rest
	save_volatile
	save_callee
.endm

.macro current_frame
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #CPU_CURRENT_REGS]
.endm

/* Current EL: frame on the stack. */
.macro ventry_cur kind
	.balign 0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #FRAME_X(0)]
	mov	x1, #\kind
	b	cur_common
.endm

/* Lower EL: frame = the current vCPU's registers. lower_sync needs no
 * kind argument: it is the only entry that goes there. */
.macro ventry_lower kind, common=lower_common
	.balign 0x80
	stp	x0, x1, [sp, #-16]!
	current_frame
	.ifc \common, lower_common
	mov	x1, #\kind
	.endif
	b	\common
.endm

	.section .text.vectors, "ax"
	.balign 0x800
	.global el2_vectors
el2_vectors:
	ventry_cur 0	/* current EL, SP_EL0: sync */
	ventry_cur 1	/* IRQ */
	ventry_cur 2	/* FIQ */
	ventry_cur 3	/* SError */
	ventry_cur 4	/* current EL, SP_ELx: sync */
	ventry_cur 5	/* IRQ */
	ventry_cur 6	/* FIQ */
	ventry_cur 7	/* SError */
	ventry_lower 8, lower_sync	/* lower EL, AArch64: sync */
	ventry_lower 9	/* IRQ */
	ventry_lower 10	/* FIQ */
	ventry_lower 11	/* SError */
	ventry_lower 12	/* lower EL, AArch32: sync */
	ventry_lower 13	/* IRQ */
	ventry_lower 14	/* FIQ */
	ventry_lower 15	/* SError */

cur_common:
	mov	x0, sp
	save_rest
	add	x4, sp, #FRAME_SIZE
	str	x4, [x0, #FRAME_SP]
	bl	arch_exception_entry
	b	exc_return

lower_common:
	save_rest
	ldp	x2, x3, [sp], #16	/* the domain's x0, x1 */
	stp	x2, x3, [x0, #FRAME_X(0)]
	bl	arch_exception_entry
	b	exc_return

/*
 * A domain's synchronous exception (hypercall, trap, abort). The fast path
 * saves only what C may clobber; `hvc #0` is counted here and goes straight
 * to the core's vm_hypercall() (the frame is the vCPU: struct vcpu starts
 * with its registers), anything else to arch_lower_sync(). Either returns false when the same
 * vCPU simply continues (a hypercall that changed nothing about who runs),
 * and x19..x29 never needed saving. Otherwise they are saved now - C has
 * restored them - and arch_lower_slow() schedules with a complete frame.
 */
lower_sync:
	save_volatile
	ldp	x2, x3, [sp], #16	/* the domain's x0, x1 */
	stp	x2, x3, [x0, #FRAME_X(0)]
	mrs	x2, esr_el2
	mov	w3, #ESR_EL2_HVC64_IMM0
	cmp	x2, x3
	b.ne	2f
	mrs	x4, tpidr_el2		/* struct cpu: el2_entries++, hypercalls++ */
	ldp	x5, x6, [x4, #CPU_EL2_ENTRIES]
	add	x5, x5, #1
	add	x6, x6, #1
	stp	x5, x6, [x4, #CPU_EL2_ENTRIES]
	bl	vm_hypercall
	tbnz	w0, #0, 1f		/* bool: only bit 0 is defined (AAPCS64) */
	current_frame
	b	exc_return_volatile
2:	bl	arch_lower_sync
	tbnz	w0, #0, 1f
	current_frame
	b	exc_return_volatile
1:	current_frame
	save_callee
	bl	arch_lower_slow
	b	exc_return

/* x2..x18 and x30 from the frame at x0. */
.macro restore_gprs
	ldr	x30, [x0, #FRAME_X(30)]
	ldp	x2, x3, [x0, #FRAME_X(2)]
	ldp	x4, x5, [x0, #FRAME_X(4)]
	ldp	x6, x7, [x0, #FRAME_X(6)]
	ldp	x8, x9, [x0, #FRAME_X(8)]
	ldp	x10, x11, [x0, #FRAME_X(10)]
	ldp	x12, x13, [x0, #FRAME_X(12)]
	ldp	x14, x15, [x0, #FRAME_X(14)]
	ldp	x16, x17, [x0, #FRAME_X(16)]
	ldr	x18, [x0, #FRAME_X(18)]
.endm

/*
 * x0 = the frame of the vCPU that trapped, which simply continues: its
 * x19..x29 are still live in the registers, and so are ELR_EL2 and SPSR_EL2.
 * Nothing on the fast path takes an exception (EL2 runs with IRQs masked;
 * only the scheduler's idle loop, which the slow path alone reaches, unmasks
 * them) or changes where the caller resumes (a call that stops, resets or
 * blocks the caller changes the scheduler epoch, so it takes the slow path).
 */
exc_return_volatile:
	restore_gprs
	ldp	x0, x1, [x0, #FRAME_X(0)]
	eret

/* x0 = frame to restore. */
	.global exc_return
exc_return:
	ldp	x2, x3, [x0, #FRAME_ELR]	/* ELR, SPSR: adjacent in the frame */
	msr	elr_el2, x2
	msr	spsr_el2, x3
	restore_gprs
	ldr	x19, [x0, #FRAME_X(19)]
	ldp	x20, x21, [x0, #FRAME_X(20)]
	ldp	x22, x23, [x0, #FRAME_X(22)]
	ldp	x24, x25, [x0, #FRAME_X(24)]
	ldp	x26, x27, [x0, #FRAME_X(26)]
	ldp	x28, x29, [x0, #FRAME_X(28)]
	/* A stack frame is popped; a vCPU frame leaves SP_EL2 as it is (the
	 * top of this CPU's stack). */
	mov	x1, sp
	cmp	x0, x1
	b.ne	1f
	add	sp, sp, #FRAME_SIZE
1:	ldp	x0, x1, [x0, #FRAME_X(0)]
	eret
