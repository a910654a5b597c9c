/* SPDX-License-Identifier: MIT */
/*
 * Domain console output. Bytes are gathered per domain into lines; a whole
 * line is printed at once with the domain's name in front, so lines of
 * different domains interleave but never mix. Each domain has a token
 * bucket of lines (CONSOLE_BURST, refilled at CONSOLE_LINES_PER_SEC): a
 * domain that floods loses its excess lines (counted and reported once it
 * is back under the limit) instead of drowning the others out.
 */
#include <arch/console.h>
#include <cloison/abi/start_info.h>
#include <cloison/clock.h>
#include <cloison/std/print.h>
#include <cloison/vm.h>
#include <cloison/sched.h>
#include <cloison/console.h>

#include <plat/board.h>

#define CONSOLE_BURST 256u
#define CONSOLE_LINES_PER_SEC 1000u

static void refill(struct vm_console *c)
{
	uint64_t now = clock_ticks();
	uint64_t per_line = plat_tick_hz() / CONSOLE_LINES_PER_SEC;
	uint64_t add;

	if (!c->started) {
		c->started = true; /* first use: a full bucket */
		c->tokens = CONSOLE_BURST;
		c->refill_tick = now;
		return;
	}
	add = (now - c->refill_tick) / (per_line ? per_line : 1);
	if (add) {
		c->tokens = (uint32_t)((c->tokens + add > CONSOLE_BURST) ? CONSOLE_BURST
									 : c->tokens + add);
		c->refill_tick = now;
	}
}

static void emit_line(struct vm *vm)
{
	struct vm_console *c = &vm->console;

	refill(c);
	if (c->tokens == 0) {
		c->dropped++;
	} else {
		c->tokens--;
		if (c->dropped) {
			print("[%s] (console: %lu lines dropped by the rate limit)\n",
			      vm->name, c->dropped);
			c->dropped = 0;
		}
		c->line[c->len] = '\0';
		print("[%s] %s\n", vm->name, c->line);
	}
	c->len = 0;
}

void console_vm_write(struct vm *vm, const char *buf, size_t len)
{
	struct vm_console *c = &vm->console;

	for (size_t i = 0; i < len; i++) {
		char ch = buf[i];

		if (ch == '\n') {
			emit_line(vm);
			continue;
		}
		if (ch == '\r')
			continue;
		/* Control characters could forge another domain's prefix or
		 * drive the terminal: print them as '?'. */
		if ((unsigned char)ch < 0x20 || (unsigned char)ch >= 0x7f)
			ch = '?';
		c->line[c->len++] = ch;
		if (c->len == VM_CONSOLE_LINE - 1)
			emit_line(vm);
	}
}

void console_vm_flush(struct vm *vm)
{
	if (vm->console.len)
		emit_line(vm);
}

#define INPUT_BUF 256u

static struct {
	char buf[INPUT_BUF];
	uint32_t head, tail; /* free-running; head - tail bytes stored */
	uint64_t dropped;
	struct vm *vm;
} input;

void console_set_input_vm(struct vm *vm)
{
	input.vm = vm;
}

void console_input_irq(void)
{
	char c;
	bool any = false;

	while (arch_console_getc(&c)) {
		if (input.head - input.tail == INPUT_BUF) {
			input.dropped++; /* nobody reads: keep the oldest */
			continue;
		}
		input.buf[input.head++ % INPUT_BUF] = c;
		any = true;
	}
	if (any && input.vm)
		sched_raise_virq(&input.vm->vcpu, CLOISON_VIRQ_CONSOLE_INPUT);
}

size_t console_input_read(char *buf, size_t max)
{
	size_t n = 0;

	while (n < max && input.tail != input.head)
		buf[n++] = input.buf[input.tail++ % INPUT_BUF];
	return n;
}
