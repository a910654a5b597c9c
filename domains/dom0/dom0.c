/* SPDX-License-Identifier: MIT */
/*
 * dom0: the control domain. It holds lifecycle rights over the guests the
 * policy gives it (start, stop, resume, destroy, query) and the console
 * input, and nothing else: no memory of any guest, no device, no channel.
 * A small shell on the console:
 *   list | info NAME | start NAME | stop NAME | resume NAME | destroy NAME |
 *   poweroff | help
 * Every error says what went wrong (unknown domain, not permitted, ...).
 */
#include <domain/core.h>

#define MAX_DOMAINS 16
#define LINE_MAX 64

static struct {
	const char *name;
	uint64_t slot;
	uint64_t rights;
} doms[MAX_DOMAINS];
static unsigned ndoms;
static uint64_t console;
static volatile bool input_ready;

void irq_handler(uint32_t vintid)
{
	if (vintid == CLOISON_VIRQ_CONSOLE_INPUT)
		input_ready = true;
}

static int find(const char *name)
{
	for (unsigned i = 0; i < ndoms; i++)
		if (strcmp(doms[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Read one line from the console input, sleeping until input arrives. */
static void read_line(char *buf, size_t size)
{
	size_t n = 0;

	for (;;) {
		uint64_t len = 0, b[5] = { 0 };

		input_ready = false;
		if (cloison_console_read(console, &len, &b[0], &b[1], &b[2], &b[3], &b[4]) !=
		    CLOISON_ERR_OK)
			len = 0;
		for (uint64_t i = 0; i < len; i++) {
			char c = (char)(b[i / 8] >> (8 * (i % 8)));

			if (c == '\r' || c == '\n') {
				if (n == 0)
					continue;
				buf[n] = '\0';
				return;
			}
			if (c == 0x7f || c == '\b') {
				if (n)
					n--;
			} else if (n + 1 < size && c >= ' ') {
				buf[n++] = c;
			}
		}
		if (len == 0)
			while (!input_ready)
				__asm__ volatile("wfi");
	}
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

static void info(unsigned i)
{
	uint64_t state = 0, id = 0, t = 0;
	uint64_t err = cloison_domain_query(doms[i].slot, &state, &id, &t);

	if (err != CLOISON_ERR_OK) {
		print("info %s: %s (error %lu)\n", doms[i].name, errstr(err), err);
		return;
	}
	print("%s: domain %lu, %s, cpu %lu ms\n", doms[i].name, id, cloison_domain_state_name(state),
	      t / (vtimer_freq() / 1000));
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
		print("%s %s: refused, it is %s\n", cmd, doms[i].name, cloison_domain_state_name(state));
	else
		print("%s %s: %s (error %lu)\n", cmd, doms[i].name, errstr(err), err);
}

static void execute(char *line)
{
	char *cmd = line, *arg = NULL;
	int i;

	for (char *p = line; *p; p++)
		if (*p == ' ') {
			*p = '\0';
			arg = p + 1;
			while (*arg == ' ')
				arg++;
			break;
		}
	if (strcmp(cmd, "help") == 0) {
		print("commands: list, info NAME, start NAME, stop NAME, resume NAME, "
		      "destroy NAME, poweroff, help\n");
	} else if (strcmp(cmd, "list") == 0) {
		for (unsigned j = 0; j < ndoms; j++)
			info(j);
	} else if (strcmp(cmd, "poweroff") == 0) {
		if (si_cap_or_none("system") == CLOISON_SLOT_NONE)
			print("poweroff: not permitted (dom0 holds no system cap)\n");
		else
			runtime_poweroff();
	} else if (strcmp(cmd, "info") == 0 || strcmp(cmd, "start") == 0 ||
		   strcmp(cmd, "stop") == 0 || strcmp(cmd, "resume") == 0 ||
		   strcmp(cmd, "destroy") == 0) {
		if (!arg || !*arg) {
			print("%s: which domain? (try list)\n", cmd);
			return;
		}
		i = find(arg);
		if (i < 0) {
			print("%s: no domain named '%s'\n", cmd, arg);
			return;
		}
		if (strcmp(cmd, "info") == 0)
			info((unsigned)i);
		else
			lifecycle(cmd, (unsigned)i);
	} else {
		print("unknown command '%s'; type help\n", cmd);
	}
}

int domain_main(const struct cloison_start_info *si)
{
	char line[LINE_MAX];

	console = si_cap("console");
	for (uint32_t i = 0; i < si->n_caps && ndoms < MAX_DOMAINS; i++) {
		if (si->caps[i].type != CLOISON_TYPE_DOMAIN)
			continue;
		doms[ndoms].name = si->caps[i].name;
		doms[ndoms].slot = si->caps[i].slot;
		doms[ndoms++].rights = si->caps[i].rights;
	}
	irq_enable(CLOISON_VIRQ_CONSOLE_INPUT, 0x80);
	irq_unmask();
	print("control domain ready: %u domains; type help\n", ndoms);
	for (;;) {
		print("dom0>\n");
		read_line(line, sizeof(line));
		print("dom0> %s\n", line);
		execute(line);
	}
}
