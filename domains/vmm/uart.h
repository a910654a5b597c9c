/* SPDX-License-Identifier: MIT */
/*
 * The guest's console: an SBSA generic UART (Arm Server Base System
 * Architecture, appendix "Generic UART"), the PL011 subset (Arm DDI 0183)
 * Linux's sbsa-uart driver uses: DR, FR, IMSC, RIS, MIS, ICR. Pure, like
 * gic.c: transmitted bytes and the interrupt line go out through callbacks.
 */
#ifndef VMM_UART_H
#define VMM_UART_H

#include <stdbool.h>
#include <stdint.h>

#define UART_SIZE 0x1000u
#define UART_RX_FIFO 64u

struct uart_ops {
	void (*tx)(void *ctx, char c);
	/* The interrupt output (MIS != 0) is asserted: raise the SPI. */
	void (*irq)(void *ctx);
	void *ctx;
};

struct uart {
	uint32_t imsc, ris_tx_cleared;
	char rx[UART_RX_FIFO];
	uint32_t rx_head, rx_len;
	struct uart_ops ops;
};

void uart_init(struct uart *u, const struct uart_ops *ops);
uint64_t uart_read(struct uart *u, uint64_t off, unsigned int size);
void uart_write(struct uart *u, uint64_t off, unsigned int size, uint64_t val);
/* Console input for the guest; false when the FIFO is full. */
bool uart_receive(struct uart *u, char c);

#endif
