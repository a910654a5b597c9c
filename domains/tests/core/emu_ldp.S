/* SPDX-License-Identifier: MIT */
/*
 * A served guest that makes an access the core cannot decode for its VMM:
 * a load pair in its emulated region (ESR_EL2.ISV = 0, Arm ARM D17.2.40).
 * The core must stop it, not guess.
 */
	.section .text.boot, "ax"
	.global _start
_start:
	movz	x9, #0x0900, lsl #16
	ldp	x0, x1, [x9]
1:	wfi
	b	1b
