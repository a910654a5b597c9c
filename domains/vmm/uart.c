/* SPDX-License-Identifier: MIT */
/*
 * SBSA generic UART model (uart.h). Register offsets and bits: Arm DDI 0183
 * (PL011 TRM) §3.3: DR 0x000, FR 0x018, IMSC 0x038, RIS 0x03c, MIS 0x040,
 * ICR 0x044. Transmission is immediate: the TX FIFO is never full and the
 * TX interrupt (TXRIS, "FIFO at or below its level") is always raised
 * while not cleared; RX holds what the console gave until the guest reads.
 * Other offsets (the PL011's CR, LCR_H, baud divisors, IDs) are RAZ/WI: the
 * SBSA UART has no such registers. Accesses must be 32-bit (8-bit for DR
 * is allowed too, as on a PL011); others are RAZ/WI.
 */
#include "uart.h"

#define UART_DR 0x000
#define UART_FR 0x018
#define UART_IMSC 0x038
#define UART_RIS 0x03c
#define UART_MIS 0x040
#define UART_ICR 0x044
#define FR_RXFE (1u << 4)
#define FR_TXFE (1u << 7)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6) /* receive timeout: pending input, treated as RX */
#define INT_ALL 0x7ffu

void uart_init(struct uart *u, const struct uart_ops *ops)
{
	*u = (struct uart){ 0 };
	u->ops = *ops;
}

static uint32_t ris(const struct uart *u)
{
	uint32_t r = u->ris_tx_cleared ? 0 : INT_TX;

	if (u->rx_len)
		r |= INT_RX | INT_RT;
	return r;
}

static void update_irq(struct uart *u)
{
	if ((ris(u) & u->imsc) && u->ops.irq)
		u->ops.irq(u->ops.ctx);
}

uint64_t uart_read(struct uart *u, uint64_t off, unsigned int size)
{
	if (!(size == 4 || (size == 1 && off == UART_DR)) || (off & 3))
		return 0;
	switch (off) {
	case UART_DR: {
		char c;

		if (!u->rx_len)
			return 0;
		c = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % UART_RX_FIFO;
		u->rx_len--;
		return (uint8_t)c;
	}
	case UART_FR: return FR_TXFE | (u->rx_len ? 0 : FR_RXFE);
	case UART_IMSC: return u->imsc;
	case UART_RIS: return ris(u);
	case UART_MIS: return ris(u) & u->imsc;
	default: return 0;
	}
}

void uart_write(struct uart *u, uint64_t off, unsigned int size, uint64_t val)
{
	if (!(size == 4 || (size == 1 && off == UART_DR)) || (off & 3))
		return;
	switch (off) {
	case UART_DR:
		if (u->ops.tx)
			u->ops.tx(u->ops.ctx, (char)(val & 0xff));
		/* A write refills the TX FIFO: TXRIS is raised again. */
		u->ris_tx_cleared = 0;
		break;
	case UART_IMSC:
		u->imsc = (uint32_t)val & INT_ALL;
		break;
	case UART_ICR:
		if (val & INT_TX)
			u->ris_tx_cleared = 1;
		break;
	default:
		return;
	}
	update_irq(u);
}

bool uart_receive(struct uart *u, char c)
{
	if (u->rx_len == UART_RX_FIFO)
		return false;
	u->rx[(u->rx_head + u->rx_len) % UART_RX_FIFO] = c;
	u->rx_len++;
	update_irq(u);
	return true;
}
