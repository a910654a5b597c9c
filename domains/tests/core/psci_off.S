/* SPDX-License-Identifier: MIT */
/*
 * A guest of the Linux VMM that powers itself off the way Linux's
 * `poweroff -f` does: PSCI SYSTEM_OFF through hvc #0. Its VMM must end
 * this guest alone (the VMM holds no system cap here).
 */
	.section .text.boot, "ax"
	.global _start
_start:
	movz	x0, #0x8400, lsl #16
	movk	x0, #0x0008			/* PSCI_SYSTEM_OFF */
	hvc	#0
1:	b	1b				/* never resumed */
