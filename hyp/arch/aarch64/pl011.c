/* SPDX-License-Identifier: MIT */
/* PL011 UART output (PrimeCell UART TRM, DDI 0183: UARTDR 0x00, UARTFR 0x18). */
#include <arch/console.h>

#include "mmio.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5) /* transmit FIFO full */
#define UARTFR_RXFE (1u << 4) /* receive FIFO empty */
#define UARTIMSC 0x38
#define UARTICR 0x44
#define UART_INT_RX (1u << 4)
#define UART_INT_RT (1u << 6) /* receive timeout */

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

void arch_console_rx_enable(void)
{
	if (!uart_base)
		return;
	/* Input that arrived before now is dropped, as documented: read out,
	 * not only its interrupt cleared. A full FIFO whose interrupt was
	 * cleared raises none again, and a full FIFO takes no more input, so
	 * console input would stay wedged (QEMU's PL011 stops reading its
	 * character device until UARTDR is read). The FIFO is 32 deep at most
	 * (PL011 TRM, 2.4.3, "the receive FIFO"). The interrupt is enabled
	 * before the FIFO is drained: a byte arriving after the last read then
	 * raises one (drained first, a byte landing between the last read and
	 * the UARTICR write would sit in a full one-byte holding register with
	 * its interrupt cleared, and the input would stay wedged). */
	mmio_write32(uart_base + UARTICR, UART_INT_RX | UART_INT_RT);
	mmio_write32(uart_base + UARTIMSC, UART_INT_RX | UART_INT_RT);
	for (unsigned i = 0; i < 32 && !(mmio_read32(uart_base + UARTFR) & UARTFR_RXFE); i++)
		(void)mmio_read32(uart_base + UARTDR);
}

bool arch_console_getc(char *c)
{
	if (!uart_base || (mmio_read32(uart_base + UARTFR) & UARTFR_RXFE))
		return false;
	*c = (char)(mmio_read32(uart_base + UARTDR) & 0xff);
	return true;
}
