/* SPDX-License-Identifier: MIT */
/*
 * The domains' console (kernel/console.c): each domain's output line
 * buffered, prefixed with its name and rate limited; input from the UART
 * for the domain holding the console input right.
 */
#ifndef CLOISON_CONSOLE_H
#define CLOISON_CONSOLE_H

#include <cloison/types.h>

struct vm;

void console_vm_write(struct vm *vm, const char *buf, size_t len);
void console_vm_flush(struct vm *vm);
/* Console input: drained from the UART on its interrupt into a buffer; the
 * domain holding the console input right is told by a virtual interrupt. */
void console_set_input_vm(struct vm *vm);
void console_input_irq(void);
size_t console_input_read(char *buf, size_t max);

#endif
