/* SPDX-License-Identifier: MIT */
#include "kit.h"

#include <arch/console.h>

const struct cloison_start_info *kit_si;
static uint64_t console_slot = CLOISON_SLOT_NONE;
static char line[CLOISON_CONSOLE_WRITE_MAX];
static unsigned line_len, passed, failed;
static const char *suite_name;

void kit_start(const struct cloison_start_info *si);

/* Freestanding string functions for the kit (hyp/core/string.c is the
 * hypervisor's own; domains keep theirs). */
void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *a = d;
	const uint8_t *b = s;

	while (n--)
		*a++ = *b++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	uint8_t *a = d;

	while (n--)
		*a++ = (uint8_t)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static void flush(void)
{
	uint64_t w[5] = { 0 };

	for (unsigned i = 0; i < line_len; i++)
		w[i / 8] |= (uint64_t)(uint8_t)line[i] << (8 * (i % 8));
	if (line_len && console_slot != CLOISON_SLOT_NONE)
		cloison_console_write(console_slot, line_len, w[0], w[1], w[2], w[3], w[4]);
	line_len = 0;
}

/* print.c writes through this. */
void arch_console_putc(char c)
{
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line))
		flush();
}

void arch_console_init(uint64_t base)
{
	(void)base;
}

uint64_t kit_cap(const char *name)
{
	for (uint32_t i = 0; i < kit_si->n_caps && i < CLOISON_START_INFO_MAX_CAPS; i++)
		if (strcmp(kit_si->caps[i].name, name) == 0)
			return kit_si->caps[i].slot;
	return CLOISON_SLOT_NONE;
}

uint64_t kit_need(const char *name)
{
	uint64_t s = kit_cap(name);

	if (s == CLOISON_SLOT_NONE) {
		print("TEST kit.cap.%s FAIL the start-info page has no cap named %s\n",
		      name, name);
		for (;;)
			__asm__ volatile("wfi");
	}
	return s;
}

void kit_begin(const char *suite)
{
	suite_name = suite;
	passed = failed = 0;
	print("TEST-BEGIN %s\n", suite);
}

void kit_check(const char *name, bool ok, const char *fmt, ...)
{
	va_list ap;

	print("TEST %s %s", name, ok ? "PASS" : "FAIL");
	if (!ok) {
		char msg[96];

		va_start(ap, fmt);
		vprint_to_buf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		print(" %s", msg);
		failed++;
	} else {
		passed++;
	}
	print("\n");
}

void kit_end(void)
{
	print("TEST-END %s passed=%u failed=%u\n", suite_name, passed, failed);
}

unsigned kit_failed(void)
{
	return failed;
}

void kit_poweroff(void)
{
	cloison_system_poweroff(kit_need("system"));
}

__attribute__((weak)) void kit_on_irq(uint32_t vintid)
{
	(void)vintid;
}

void kit_irq(void);
void kit_irq(void)
{
	uint64_t iar;

	/* ICC_IAR1_EL1 / ICC_EOIR1_EL1: served by the virtual interface. */
	__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(iar));
	if ((iar & 0xffffff) >= 1020)
		return;
	kit_on_irq((uint32_t)(iar & 0xffffff));
	__asm__ volatile("msr S3_0_C12_C12_1, %0" : : "r"(iar));
}

void kit_irqs_on(void)
{
	/* ICC_PMR_EL1 = 0xff, ICC_IGRPEN1_EL1 = 1, then unmask PSTATE.I. */
	__asm__ volatile("msr S3_0_C4_C6_0, %0" : : "r"(0xffull));
	__asm__ volatile("msr S3_0_C12_C12_7, %0" : : "r"(1ull));
	__asm__ volatile("isb; msr daifclr, #2" ::: "memory");
}

void kit_start(const struct cloison_start_info *si)
{
	kit_si = si;
	if (si->magic != CLOISON_START_INFO_MAGIC ||
	    si->version != CLOISON_START_INFO_VERSION)
		__asm__ volatile("hvc #0xe1"); /* not our hypervisor */
	console_slot = kit_cap("console");
	kit_main();
	flush();
}
