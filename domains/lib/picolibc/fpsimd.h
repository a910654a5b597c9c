/* SPDX-License-Identifier: MIT */
/*
 * The picolibc layer's part of the IRQ entry (picolibc/vectors.S, which
 * includes this before core/vectors.S): a handler compiled without
 * -mgeneral-regs-only may use FP/SIMD, and so may picolibc's memcpy, so
 * the entry also saves the caller-saved FP/SIMD registers (v0-v7,
 * v16-v31) and FPSR/FPCR, above the integer registers (at offset `base`,
 * the core's GPR_BYTES), and calls this layer's C side.
 */
#define FP_BYTES (24 * 16 + 16)
#define IRQ_C runtime_irq_fpsimd

.macro fpsimd_save base
	add	x0, sp, #\base
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
.endm

.macro fpsimd_restore base
	add	x0, sp, #\base
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
.endm
