/* SPDX-License-Identifier: MIT */
/*
 * A guest of the Linux VMM that stores beyond every emulated region and
 * beyond its 4 GiB IPA space (stage 2 has T0SZ = 32): the core must stop it
 * alone, and its VMM hear "stopped" (tests/system/systems/vmm-platform.toml).
 */
	.section .text.boot, "ax"
	.global _start
_start:
	mov	x1, #1
	lsl	x1, x1, #32			/* IPA 0x100000000 */
	str	x1, [x1, #0x10]
1:	b	1b
