/* SPDX-License-Identifier: MIT */
/*
 * dom0: the control domain. It holds lifecycle rights over the guests the
 * policy gives it (start, stop, resume, destroy, query) and the console
 * input, and nothing else: no memory of any guest, no device, no channel.
 * A small shell on the console (docs/dom0.md):
 *   list | info NAME | start NAME | stop NAME | resume NAME | destroy NAME |
 *   console NAME | audit | poweroff | help
 * Every error says what went wrong (unknown domain, not permitted, ...).
 *
 * Line editing, with each key echoed as it is typed, is lineedit.c's.
 */
#include <domain/core.h>

#include "guests.h"
#include "lineedit.h"

#define MAX_DOMAINS 16
#define LINE_MAX 64
#define MAX_WORDS 3

static struct {
	const char *name;
	uint64_t slot;
	uint64_t rights;
} doms[MAX_DOMAINS];
static unsigned ndoms;
static const char *self;

static const char *const domain_rights[] = {
	"grant", "build", "start", "stop", "resume", "destroy", "query", "connect", "vmm", "console",
};

void irq_handler(uint32_t vintid)
{
	if (vintid == CLOISON_VIRQ_CONSOLE_INPUT)
		line_input_ready();
	else if (vintid == CLOISON_VIRQ_VTIMER) /* a bounded wait's deadline (drvctl.c): */
		__asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(3ull)); /* IMASK, D11.2.4 */
}

static int find(const char *name)
{
	for (unsigned i = 0; i < ndoms; i++)
		if (strcmp(doms[i].name, name) == 0)
			return (int)i;
	return -1;
}

static const char *errstr(uint64_t err)
{
	switch (err) {
	case CLOISON_ERR_NO_RIGHTS:
		return "not permitted";
	case CLOISON_ERR_BAD_STATE:
		return "not in a state that allows it";
	case CLOISON_ERR_EMPTY_SLOT:
		return "the cap is gone";
	default:
		return "refused";
	}
}

/*
 * One line per domain. "domain N" is the domain's index in the policy, the
 * number `cloison inspect` and the audit print: the hypervisor numbers
 * the boot domains 1, 2, ... in policy order (domain_query's id, the
 * start-info's domain_id), so the index is that id minus one.
 */
static void info(unsigned i)
{
	uint64_t state = 0, id = 0, t = 0;
	uint64_t err = cloison_domain_query(doms[i].slot, &state, &id, &t);
	const char *sep = "";

	if (err == CLOISON_ERR_OK)
		print("%-8s domain %lu, %-9s cpu %4lu ms, rights ", doms[i].name, id - 1,
		      cloison_domain_state_name(state), t / (vtimer_freq() / 1000));
	else
		print("%-8s state unknown (%s, error %lu), rights ", doms[i].name, errstr(err), err);
	for (unsigned r = 0; r < sizeof(domain_rights) / sizeof(domain_rights[0]); r++)
		if (doms[i].rights & (1ull << r)) {
			print("%s%s", sep, domain_rights[r]);
			sep = ",";
		}
	print("%s\n", *sep ? "" : "none");
}

static void list(void)
{
	const struct cloison_start_info *si = si_get();

	print("%-8s domain %u, %-9s this shell\n", self, si->domain_id - 1, "running");
	for (unsigned j = 0; j < ndoms; j++)
		info(j);
	guests_list();
}

static void lifecycle(const char *cmd, unsigned i)
{
	uint64_t err, state = 0, id, t;

	if (strcmp(cmd, "start") == 0)
		err = cloison_domain_start(doms[i].slot);
	else if (strcmp(cmd, "stop") == 0)
		err = cloison_domain_stop(doms[i].slot);
	else if (strcmp(cmd, "resume") == 0)
		err = cloison_domain_resume(doms[i].slot);
	else
		err = cloison_domain_destroy(doms[i].slot);
	if (err == CLOISON_ERR_OK) {
		print("%s %s: ok\n", cmd, doms[i].name);
		return;
	}
	if (err == CLOISON_ERR_BAD_STATE &&
	    cloison_domain_query(doms[i].slot, &state, &id, &t) == CLOISON_ERR_OK)
		fail("%s %s: refused, it is %s\n", cmd, doms[i].name, cloison_domain_state_name(state));
	else
		fail("%s %s: %s (error %lu)\n", cmd, doms[i].name, errstr(err), err);
}

/*
 * console NAME: the keys go to that domain until Ctrl-] gives them back to
 * this shell (the hypervisor's domain_console_attach); its lines show as
 * always, prefixed with its name, its partial line as it writes it.
 */
static void attach(const char *name)
{
	int i = find(name);
	uint64_t dom = i >= 0 ? doms[i].slot : guests_slot(name), err;
	uint64_t state = 0, id, t;

	if (dom == CLOISON_SLOT_NONE) {
		fail("console: no domain named '%s'%s\n", name,
		      strcmp(name, self) == 0 ? " (that is this shell)" : "");
		return;
	}
	err = cloison_domain_console_attach(dom, si_cap("console"));
	if (err == CLOISON_ERR_OK) {
		print("console %s: attached; Ctrl-] comes back to %s\n", name, self);
		return;
	}
	if (err == CLOISON_ERR_NO_RIGHTS)
		fail("console %s: not permitted: %s's cap to it has no console right\n", name,
		      self);
	else if (err == CLOISON_ERR_BAD_STATE &&
		 cloison_domain_query(dom, &state, &id, &t) == CLOISON_ERR_OK &&
		 state != CLOISON_DOMAIN_RUNNING)
		fail("console %s: refused, it is %s\n", name, cloison_domain_state_name(state));
	else
		fail("console %s: %s (%s)\n", name, errstr(err), cloison_err_name(err));
}

/* Split at spaces, in place; returns the number of words (at most max). */
static unsigned split(char *line, char **w, unsigned max)
{
	unsigned n = 0;

	for (char *p = line; *p;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == max)
			return max + 1;
		w[n++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return n;
}

/* Is cmd one of the NUL-separated words of `words`? */
static bool is(const char *cmd, const char *words)
{
	for (const char *p = words; *p; p += strlen(p) + 1)
		if (strcmp(p, cmd) == 0)
			return true;
	return false;
}

static void execute(char *line)
{
	char *w[MAX_WORDS] = { NULL };
	unsigned n = split(line, w, MAX_WORDS);
	bool named;
	int i;

	if (n == 0)
		return; /* only spaces */
	if (guests_execute(w, n))
		return; /* create, and destroy of a guest made at run time: guests.c */
	named = is(w[0], "info\0start\0stop\0resume\0destroy\0console\0");
	if (!named && !is(w[0], "help\0list\0audit\0poweroff\0")) {
		fail("unknown command '%s'; type help\n", w[0]);
		return;
	}
	if (n > (named ? 2u : 1u)) {
		fail("%s: unexpected argument '%s' (usage: %s%s)\n", w[0], w[named ? 2 : 1], w[0],
		      named ? " NAME" : "");
		return;
	}
	if (strcmp(w[0], "help") == 0) {
		print("commands: list, info NAME, start NAME, stop NAME, resume NAME, "
		      "destroy NAME, console NAME, audit, poweroff, help\n");
		print("keys: backspace, Ctrl-U erases the line, Ctrl-C drops it, "
		      "up/down arrows recall the last %u lines\n", LINE_HISTORY);
		guests_help();
	} else if (strcmp(w[0], "list") == 0) {
		list();
	} else if (!named) {
		/* audit and poweroff, through the system cap. audit: the
		 * hypervisor prints the live capability dump on its console, for
		 * `cloison audit --live`; dom0 reads none of it. */
		uint64_t sys = si_cap_or_none("system"), err;

		console_flush();
		err = strcmp(w[0], "audit") == 0 ? cloison_system_audit_dump(sys)
						 : cloison_system_poweroff(sys);
		if (err != CLOISON_ERR_OK)
			fail("%s: not permitted (error %lu): %s holds no system cap with the %s "
			      "right\n", w[0], err, self, w[0]);
	} else if (n < 2) {
		fail("%s: which domain? (try list)\n", w[0]);
	} else if (strcmp(w[0], "console") == 0) {
		attach(w[1]);
	} else if ((i = find(w[1])) < 0) {
		fail("%s: no domain named '%s'%s\n", w[0], w[1],
		      strcmp(w[1], self) == 0 ? " (that is this shell)" : "");
	} else if (strcmp(w[0], "info") == 0) {
		info((unsigned)i);
	} else {
		lifecycle(w[0], (unsigned)i);
	}
}

int domain_main(const struct cloison_start_info *si)
{
	char line[LINE_MAX];

	line_init(si_cap("console"));
	self = si_name();
	for (uint32_t i = 0; i < si->n_caps && ndoms < MAX_DOMAINS; i++) {
		if (si->caps[i].type != CLOISON_TYPE_DOMAIN)
			continue;
		doms[ndoms].name = si->caps[i].name;
		doms[ndoms].slot = si->caps[i].slot;
		doms[ndoms++].rights = si->caps[i].rights;
	}
	guests_init(si);
	irq_enable(CLOISON_VIRQ_CONSOLE_INPUT, 0x80);
	irq_unmask();
	print("control domain ready: %u domain%s; type help\n", ndoms, ndoms == 1 ? "" : "s");
	for (;;) {
		line_read(self, line, sizeof(line));
		line_remember(line);
		if (!guests_ctl(line, execute))
			execute(line);
	}
}
