/* SPDX-License-Identifier: MIT */
/* dom0's line editor on the console input (lineedit.c). */
#ifndef DOM0_LINEEDIT_H
#define DOM0_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINE_HISTORY 8

/* Read console input through the console cap in `slot`. */
void line_init(uint64_t console_slot);
/* The console input interrupt arrived (from the domain's irq_handler). */
void line_input_ready(void);
/* Print the prompt ("PROMPT> "), then read one non-empty line of at most
 * size - 1 characters into buf, echoing each key and applying the editing
 * keys; returns once Enter ends a line that is neither empty nor too long. */
void line_read(const char *prompt, char *buf, size_t size);
/* Keep a line run for the up and down arrows. */
void line_remember(const char *line);

#endif
