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
/* Console input: drained from the UART on its interrupt into a buffer for
 * the focus, one of the domains holding the console input right (Ctrl-]
 * moves it to the next), told by a virtual interrupt. The focus's output is
 * shown as it is written, partial line included (a prompt, echoed keys). */
struct domain;
void console_set_input_vm(struct vm *vm);
void console_input_irq(void);
size_t console_input_read(const struct domain *caller, char *buf, size_t max);
/* domain_console_attach: the focus goes from the caller (it must have it)
 * to d until Ctrl-] gives it back, d stops, or d's vm goes. */
bool console_has_focus(const struct domain *d);
void console_attach(const struct domain *caller, struct domain *d);
void console_vm_stopped(struct vm *vm);
void console_vm_gone(struct vm *vm);

/* print_sink.c: while `broken` is set, the next character printed ends the
 * line on screen first and calls it (console.c clears it around its own
 * output). */
void print_sink_partial(void (*broken)(void));

#endif
