/* SPDX-License-Identifier: MIT */
/*
 * EL1 exception vectors of a domain (Arm ARM D1.10.2: 16 entries of 0x80
 * bytes, table aligned to 2 KiB).
 *
 * A domain runs at EL1h only, so the one exception it expects is an IRQ
 * taken from the current EL with SP_ELx: a virtual interrupt from the
 * hypervisor's virtual GIC. It goes to the C side of the IRQ path, which
 * hands the INTID on (irq.c). Everything else (a synchronous exception:
 * undefined instruction, alignment fault, EL1 abort, an SP0/lower-EL entry,
 * FIQ, SError) is something the domain did not expect: hvc #0xe1
 * (CLOISON_HVC_EL1_FAULT) asks the hypervisor to stop this domain and
 * report ESR_EL1/ELR_EL1/FAR_EL1, which still describe the exception.
 *
 * Assembled twice. In the core the IRQ entry saves the integer registers
 * only: core code is built -mgeneral-regs-only, and every instruction
 * here is on the path the channel benchmarks measure (signal to handler).
 * The picolibc layer assembles it from picolibc/vectors.S, which defines
 * RUNTIME_FPSIMD and, before including this file, the fpsimd_save and
 * fpsimd_restore macros, FP_BYTES and IRQ_C: its handlers, and picolibc's
 * memcpy, may use FP/SIMD, so that layer adds the saving of that state and
 * names its own C side (picolibc/irq.c, which keeps the virtual timer).
 * This file includes nothing of the layer built on it.
 */
/* CLOISON_HVC_EL1_FAULT; start_info.h is C only, core/runtime.c checks the value. */
#define HVC_EL1_FAULT 0xe1

.macro fault_entry
	.balign 0x80
	hvc	#HVC_EL1_FAULT
	b	.
.endm

.macro irq_entry
	.balign 0x80
	b	runtime_irq_entry
.endm

	.text
	.balign 0x800
	.global runtime_vectors
runtime_vectors:
	/* Current EL with SP_EL0: never used (we run EL1h). */
	fault_entry	/* sync */
	fault_entry	/* IRQ */
	fault_entry	/* FIQ */
	fault_entry	/* SError */
	/* Current EL with SP_ELx. */
	fault_entry	/* sync */
	irq_entry	/* IRQ: virtual interrupts */
	fault_entry	/* FIQ */
	fault_entry	/* SError */
	/* Lower EL, AArch64 and AArch32: no EL0 runs in a domain. */
	fault_entry
	fault_entry
	fault_entry
	fault_entry
	fault_entry
	fault_entry
	fault_entry
	fault_entry

/*
 * IRQ: save everything the AAPCS64 lets a C function clobber: x0-x18,
 * x29 (frame chain), x30, and whatever fpsimd_save adds; then the C side,
 * IRQ_C. ELR_EL1/SPSR_EL1 need no saving: IRQs stay masked in the
 * handler, so nothing nests.
 */
#define GPR_BYTES (22 * 8)
#ifndef RUNTIME_FPSIMD
#define FP_BYTES 0
#define IRQ_C runtime_irq
.macro fpsimd_save base
.endm
.macro fpsimd_restore base
.endm
#endif
#define FRAME (GPR_BYTES + FP_BYTES)
runtime_irq_entry:
	sub	sp, sp, #FRAME
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
	fpsimd_save GPR_BYTES
	bl	IRQ_C
	fpsimd_restore GPR_BYTES
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
	add	sp, sp, #FRAME
	eret
