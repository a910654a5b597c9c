/* SPDX-License-Identifier: MIT */
#include "harness.h"

#include <stdarg.h>
#include <stdlib.h>

static struct harness_test *harness_head;
static struct harness_test **harness_tail = &harness_head;
static int harness_current_failed;

void harness_register(struct harness_test *t)
{
	/* Append so tests run in file order. */
	t->next = NULL;
	*harness_tail = t;
	harness_tail = &t->next;
}

void harness_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	harness_current_failed = 1;
	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int harness_main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	struct harness_test *t;
	int n = 0, failed = 0;

	for (t = harness_head; t; t = t->next)
		if (!filter || strstr(t->name, filter))
			n++;
	printf("1..%d\n", n);
	n = 0;
	for (t = harness_head; t; t = t->next) {
		if (filter && !strstr(t->name, filter))
			continue;
		harness_current_failed = 0;
		t->fn();
		n++;
		printf("%s %d - %s\n", harness_current_failed ? "not ok" : "ok",
		       n, t->name);
		fflush(stdout);
		failed += harness_current_failed;
	}
	return failed ? 1 : 0;
}
