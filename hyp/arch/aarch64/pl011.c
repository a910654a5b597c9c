/* SPDX-License-Identifier: MIT */
/* PL011 UART output (PrimeCell UART TRM, DDI 0183: UARTDR 0x00, UARTFR 0x18). */
#include <arch/console.h>

#include "mmio.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5) /* transmit FIFO full */

static uint64_t uart_base;

void arch_console_init(uint64_t base)
{
	uart_base = base;
}

static void put_raw(char c)
{
	if (!uart_base)
		return;
	while (mmio_read32(uart_base + UARTFR) & UARTFR_TXFF)
		;
	mmio_write32(uart_base + UARTDR, (uint8_t)c);
}

void arch_console_putc(char c)
{
	if (c == '\n')
		put_raw('\r');
	put_raw(c);
}
