/* SPDX-License-Identifier: MIT */
/*
 * A hostile guest of the Linux VMM (domains/vmm): 3,000 pseudo-random
 * loads and stores of every size (1, 2, 4, 8 bytes), aligned or not, with
 * random values, at random offsets of its emulated GIC distributor,
 * redistributor and UART; then unknown PSCI/SMCCC function IDs through HVC
 * and SMC, each of which must answer NOT_SUPPORTED (-1); then a load
 * between the emulated regions, which must stop this guest alone. It says
 * how the calls went through the emulated UART.
 */
	.equ	GICD, 0x08000000
	.equ	GICR, 0x080a0000
	.equ	UART, 0x09000000

	.section .text.boot, "ax"
	.global _start
_start:
	ldr	x20, =0x9e3779b97f4a7c15	/* xorshift state */
	mov	x21, #3000
1:	eor	x20, x20, x20, lsl #13
	eor	x20, x20, x20, lsr #7
	eor	x20, x20, x20, lsl #17
	and	x0, x20, #3
	ldr	x1, =GICD
	mov	x2, #0xffff
	cmp	x0, #1
	b.ne	2f
	ldr	x1, =GICR
	mov	x2, #0x1ffff
	b	3f
2:	cmp	x0, #2
	b.lt	3f
	ldr	x1, =UART
	mov	x2, #0xfff
3:	and	x3, x2, x20, lsr #8
	add	x1, x1, x3			/* the address */
	ubfx	x4, x20, #40, #3		/* the operation */
	adr	x5, ops
	add	x5, x5, x4, lsl #3
	br	x5
ops:	strb	w20, [x1]
	b	4f
	strh	w20, [x1]
	b	4f
	str	w20, [x1]
	b	4f
	str	x20, [x1]
	b	4f
	ldrb	w6, [x1]
	b	4f
	ldrh	w6, [x1]
	b	4f
	ldr	w6, [x1]
	b	4f
	ldr	x6, [x1]
	b	4f
4:	subs	x21, x21, #1
	b.ne	1b

	/* Unknown or refused function IDs, by HVC and by SMC. */
	adr	x22, ids
	mov	x23, #0				/* answers other than -1 */
5:	ldr	x0, [x22], #8
	cbz	x0, 6f
	mov	x24, x0
	hvc	#0
	cmn	x0, #1
	cinc	x23, x23, ne
	mov	x0, x24
	smc	#0
	cmn	x0, #1
	cinc	x23, x23, ne
	b	5b
6:	adr	x0, msg_ok
	cbz	x23, 7f
	adr	x0, msg_bad
7:	ldr	x1, =UART
8:	ldrb	w2, [x0], #1
	cbz	w2, 9f
	strb	w2, [x1]
	b	8b

9:	ldr	x1, =GICD + 0x10000		/* between GICD and GICR */
	ldr	w0, [x1]
10:	wfi
	b	10b

	.balign	8
ids:	.quad	0x84000055, 0xc4000003, 0x84000003, 0x80000000, 0x80000001
	.quad	0xc2000000, 0x86000000, 0xffffffff, 0
msg_ok:	.asciz	"\nhostile guest: unknown PSCI/SMCCC IDs all answered NOT_SUPPORTED\n"
msg_bad: .asciz	"\nhostile guest: an unknown PSCI/SMCCC ID got an answer other than NOT_SUPPORTED\n"
	.ltorg
