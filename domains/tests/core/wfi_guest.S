/* SPDX-License-Identifier: MIT */
/*
 * A served guest that never exits to its VMM: it waits for interrupts
 * (WFI is the core's business, not forwarded), so its VMM stays blocked in
 * vmm_wait (tests/system/systems/vmm-lifecycle.toml).
 */
	.section .text.boot, "ax"
	.global _start
_start:
1:	wfi
	b	1b
