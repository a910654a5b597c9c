/* SPDX-License-Identifier: MIT */
/*
 * EL1 exception vectors of a domain (Arm ARM D1.10.2: 16 entries of 0x80
 * bytes, table aligned to 2 KiB).
 *
 * A domain runs at EL1h only, so the one exception it expects is an IRQ
 * taken from the current EL with SP_ELx: a virtual interrupt from the
 * hypervisor's virtual GIC. It goes to runtime_irq() (irq.c), which hands
 * the INTID to the domain's hook. Everything else (a synchronous exception:
 * undefined instruction, alignment fault, EL1 abort, an SP0/lower-EL entry,
 * FIQ, SError) is something the domain did not expect: hvc #0xe1
 * (CLOISON_HVC_EL1_FAULT) asks the hypervisor to stop this domain and
 * report ESR_EL1/ELR_EL1/FAR_EL1, which still describe the exception.
 */
/* CLOISON_HVC_EL1_FAULT; start_info.h is C only, runtime.c checks the value. */
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
 * x29 (frame chain), x30, the caller-saved FP/SIMD registers (v0-v7,
 * v16-v31: a handler compiled without -mgeneral-regs-only may use them,
 * and so may memcpy) and FPSR/FPCR. ELR_EL1/SPSR_EL1 need no saving:
 * IRQs stay masked in the handler, so nothing nests.
 */
#define GPR_BYTES (22 * 8)
#define FP_BYTES (24 * 16 + 16)
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
	add	x0, sp, #GPR_BYTES
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q16, q17, [x0, #128]
	stp	q18, q19, [x0, #160]
	stp	q20, q21, [x0, #192]
	stp	q22, q23, [x0, #224]
	stp	q24, q25, [x0, #256]
	stp	q26, q27, [x0, #288]
	stp	q28, q29, [x0, #320]
	stp	q30, q31, [x0, #352]
	mrs	x1, fpsr
	mrs	x2, fpcr
	stp	x1, x2, [x0, #384]

	bl	runtime_irq

	add	x0, sp, #GPR_BYTES
	ldp	x1, x2, [x0, #384]
	msr	fpsr, x1
	msr	fpcr, x2
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q16, q17, [x0, #128]
	ldp	q18, q19, [x0, #160]
	ldp	q20, q21, [x0, #192]
	ldp	q22, q23, [x0, #224]
	ldp	q24, q25, [x0, #256]
	ldp	q26, q27, [x0, #288]
	ldp	q28, q29, [x0, #320]
	ldp	q30, q31, [x0, #352]
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
