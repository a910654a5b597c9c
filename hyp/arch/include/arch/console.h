/* SPDX-License-Identifier: MIT */
/* Arch interface: the hypervisor's debug console (PL011 on QEMU virt). */
#ifndef ARCH_CONSOLE_H
#define ARCH_CONSOLE_H

#include <cloison/types.h>

/* Point the console at a UART (physical = virtual address at EL2). */
void arch_console_init(uint64_t base);
void arch_console_putc(char c);
/* Input: interrupt on received characters; read one (false: none left). */
void arch_console_rx_enable(void);
bool arch_console_getc(char *c);

#endif
