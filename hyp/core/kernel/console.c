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
#include <cloison/abi/objects.h>
#include <cloison/abi/start_info.h>
#include <cloison/clock.h>
#include <cloison/std/print.h>
#include <cloison/vm.h>
#include <cloison/sched.h>
#include <cloison/console.h>
#include <cloison/domain.h>

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

/*
 * The screen: at most one partial line is on it, the one the domain holding
 * the console input is typing into (its prompt, the keys it echoes). Any
 * other output first ends that line on screen; after another domain's line
 * the partial line is shown again, so a prompt is never lost under a
 * heartbeat. print_sink.c calls partial_broken() when the hypervisor itself
 * prints over it.
 */
static struct vm *partial; /* its prefix and line[0..shown) are on screen */

static void partial_broken(void)
{
	partial->console.shown = 0;
	partial = NULL;
}

static void break_partial(void)
{
	if (partial) {
		print_sink_partial(NULL);
		print_putc('\n');
		partial_broken();
	}
}

/* A line takes one token when it first reaches the screen. */
static bool charge_line(struct vm *vm)
{
	struct vm_console *c = &vm->console;

	if (c->charged)
		return true;
	refill(c);
	if (c->tokens == 0) {
		c->dropped++;
		return false;
	}
	c->tokens--;
	c->charged = true;
	if (c->dropped) {
		print("[%s] (console: %lu lines dropped by the rate limit)\n", vm->name,
		      c->dropped);
		c->dropped = 0;
	}
	return true;
}

/* Show the rest of the input domain's partial line (prefix first if it is
 * not on screen), leaving the cursor after it. */
static void show_partial(struct vm *vm)
{
	struct vm_console *c = &vm->console;

	if (partial != vm) {
		break_partial();
		if (!charge_line(vm))
			return;
		print("[%s] ", vm->name);
		c->shown = 0;
	}
	print_sink_partial(NULL);
	for (; c->shown < c->len; c->shown++)
		print_putc(c->line[c->shown]);
	partial = vm;
	print_sink_partial(partial_broken);
}

static void end_line(struct vm_console *c)
{
	c->len = 0;
	c->shown = 0;
	c->charged = false;
}

static void emit_line(struct vm *vm)
{
	struct vm_console *c = &vm->console;
	struct vm *typing = partial;

	if (partial == vm) { /* on screen already: finish it */
		print_sink_partial(NULL);
		for (; c->shown < c->len; c->shown++)
			print_putc(c->line[c->shown]);
		print_putc('\n');
		partial = NULL;
		end_line(c);
		return;
	}
	break_partial();
	if (charge_line(vm)) {
		c->line[c->len] = '\0';
		print("[%s] %s\n", vm->name, c->line);
	}
	end_line(c);
	if (typing && typing->console.len)
		show_partial(typing);
}

static struct vm *input_vm(void);

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
		if (ch == '\b' || ch == 0x7f) { /* erase the last character */
			if (c->len)
				c->len--;
			if (c->shown > c->len) {
				print_sink_partial(NULL);
				print("\b \b");
				print_sink_partial(partial_broken);
				c->shown = c->len;
			}
			continue;
		}
		/* Other control characters could forge another domain's prefix
		 * or drive the terminal: print them as '?'. */
		if ((unsigned char)ch < 0x20 || (unsigned char)ch >= 0x7f)
			ch = '?';
		c->line[c->len++] = ch;
		if (c->len == VM_CONSOLE_LINE - 1)
			emit_line(vm);
	}
	if (vm == input_vm() && c->len > c->shown)
		show_partial(vm);
}

void console_vm_flush(struct vm *vm)
{
	if (vm->console.len)
		emit_line(vm);
}

#define INPUT_BUF 256u

/*
 * Console input goes to one domain at a time: the focus, among the domains
 * holding a console cap with the input right (the first of them in the
 * description at boot). Ctrl-] (0x1d, as virsh and telnet use it) moves the
 * focus to the next one; bytes typed for the previous focus and not yet
 * read are dropped, never delivered to the next one.
 */
#define FOCUS_KEY 0x1d

static struct {
	char buf[INPUT_BUF];
	uint32_t head, tail; /* free-running; head - tail bytes stored */
	uint64_t dropped;
	struct vm *vm;       /* the focus */
	/* Set while the focus was given by domain_console_attach: the domain
	 * that gave it, which Ctrl-] (or the focus's end) gives it back to. */
	struct vm *giver;
} input;

static bool takes_input(const struct vm *vm)
{
	return vm->console.input && !vm->unloaded && !vm->torn_down;
}

/* The focus still takes its keys: a holder of the input right that is
 * loaded, or a domain attached by domain_console_attach while it runs. */
static bool focus_alive(const struct vm *vm)
{
	if (!input.giver)
		return takes_input(vm);
	return !vm->unloaded && !vm->torn_down && vm->domain->state == CLOISON_DOMAIN_RUNNING;
}

static struct vm *input_vm(void)
{
	return input.vm;
}

void console_set_input_vm(struct vm *vm)
{
	vm->console.input = true;
	if (!input.vm)
		input.vm = vm;
}

/* Give the focus to `next` (NULL: nobody); keys typed for the previous
 * focus and not read yet are dropped, never handed on. */
static void focus_to(struct vm *next, const char *how)
{
	break_partial();
	input.dropped += input.head - input.tail;
	input.tail = input.head;
	input.vm = next;
	if (!next) {
		print("cloison: no domain takes console input\n");
		return;
	}
	print("cloison: console input to %s (%s)\n", next->name, how);
	if (next->console.len)
		show_partial(next);
}

static void switch_focus(void)
{
	uint32_t n = vm_count(), from = input.vm ? input.vm->index : n - 1;
	struct vm *next = NULL;

	if (input.giver) { /* attached: Ctrl-] detaches, back to the giver */
		next = input.giver;
		input.giver = NULL;
		if (takes_input(next)) {
			focus_to(next, "detached; Ctrl-] switches");
			return;
		}
		next = NULL;
	}
	for (uint32_t i = 1; i <= n && !next; i++) {
		struct vm *vm = vm_at((from + i) % n);

		if (vm && takes_input(vm))
			next = vm;
	}
	focus_to(next, "Ctrl-] switches");
}

bool console_has_focus(const struct domain *d)
{
	return input.vm && input.vm->domain == d;
}

/* domain_console_attach: the caller has the focus (checked by the call's
 * decode), and `d` runs. */
void console_attach(const struct domain *caller, struct domain *d)
{
	struct vm *vm = vm_of_domain(d);

	if (!vm || !console_has_focus(caller))
		return;
	input.giver = input.vm;
	focus_to(vm, "Ctrl-] detaches");
}

/* The domain stopped (by a cap, by itself or by a fault: guest_stopped):
 * a domain attached by domain_console_attach gives the input back now,
 * not at the next key. */
void console_vm_stopped(struct vm *vm)
{
	if (input.giver && input.vm == vm)
		switch_focus();
}

/* The domain's vm is going away (unloaded, its memory back to a pool):
 * no pointer to it may stay here. */
void console_vm_gone(struct vm *vm)
{
	if (partial == vm)
		break_partial();
	if (input.giver == vm)
		input.giver = NULL;
	if (input.vm == vm)
		switch_focus();
}

void console_input_irq(void)
{
	char c;
	bool any = false;

	while (arch_console_getc(&c)) {
		if (c == FOCUS_KEY) {
			switch_focus();
			any = false;
			continue;
		}
		if (input.head - input.tail == INPUT_BUF) {
			input.dropped++; /* nobody reads: keep the oldest */
			continue;
		}
		input.buf[input.head++ % INPUT_BUF] = c;
		any = true;
	}
	if (input.vm && !focus_alive(input.vm))
		switch_focus(); /* the focus is gone: the next holder has it */
	if (!input.vm) {
		input.dropped += input.head - input.tail;
		input.tail = input.head; /* nobody takes input: nothing kept */
		return;
	}
	if (any)
		sched_raise_virq(&input.vm->vcpu, CLOISON_VIRQ_CONSOLE_INPUT);
}

size_t console_input_read(const struct domain *caller, char *buf, size_t max)
{
	size_t n = 0;

	if (!input.vm || input.vm->domain != caller)
		return 0; /* not the focus: its input is not typed yet */
	while (n < max && input.tail != input.head)
		buf[n++] = input.buf[input.tail++ % INPUT_BUF];
	return n;
}
