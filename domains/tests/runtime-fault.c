/* SPDX-License-Identifier: MIT */
/*
 * Breaks one rule of the runtime's stage-1 map, chosen by the domain's
 * name (domains/tests/runtime.toml); each must end in an EL1 exception
 * that the runtime's vectors report and the hypervisor turns into "stopped":
 *   runtime-wx     writes to its own code (read-only and executable)
 *   runtime-exec   jumps to data (writable, so never executable)
 *   runtime-stack  recurses until the stack reaches the guard page
 *   runtime-si     writes to the start-info page (read-only)
 */
#include <domain/runtime.h>
#include <string.h>

/* Far more levels than the stack holds; volatile so the compiler can
 * neither see that the recursion never ends nor cut it short. */
static volatile unsigned depth_limit = 1u << 30;

static unsigned deeper(unsigned n)
{
	volatile char frame[1024];

	frame[0] = (char)n;
	if (n >= depth_limit)
		return n;
	return deeper(n + 1) + frame[0]; /* not a tail call */
}

int domain_main(const struct cloison_start_info *si)
{
	const struct runtime_layout *l = runtime_layout();
	static uint32_t data_code[2] = { 0xd65f03c0u, 0 }; /* ret */

	if (strcmp(si_name(), "runtime-wx") == 0) {
		printf("writing to its own code at 0x%lx\n", (unsigned long)(uintptr_t)domain_main);
		console_flush();
		*(volatile uint32_t *)(uintptr_t)domain_main = 0;
	} else if (strcmp(si_name(), "runtime-exec") == 0) {
		printf("jumping to data at 0x%lx\n", (unsigned long)(uintptr_t)data_code);
		console_flush();
		((void (*)(void))(uintptr_t)data_code)();
	} else if (strcmp(si_name(), "runtime-stack") == 0) {
		printf("recursing into the guard page at 0x%lx\n", (unsigned long)l->guard);
		console_flush();
		deeper(0);
	} else if (strcmp(si_name(), "runtime-si") == 0) {
		printf("writing to the start-info page at 0x%lx\n", (unsigned long)l->start_info);
		console_flush();
		*(volatile uint32_t *)(uintptr_t)&si->domain_id = 0;
	} else {
		printf("no rule to break for %s\n", si_name());
		return 1;
	}
	printf("still running after breaking the rule!\n");
	return 1;
}
