/* SPDX-License-Identifier: MIT */
/*
 * Boot-time self-tests, compiled only into the test build (hyp-test.elf):
 * the "selftest=NAME" boot argument picks one. A release build has none.
 */
#ifndef CLOISON_SELFTEST_H
#define CLOISON_SELFTEST_H

struct platform;

#if defined(CLOISON_SELFTEST)
void selftest_run(const struct platform *plat);
/* After the policy is loaded, before the first domain runs. */
void selftest_after_load(const struct platform *plat);
#else
static inline void selftest_run(const struct platform *plat)
{
	(void)plat;
}

static inline void selftest_after_load(const struct platform *plat)
{
	(void)plat;
}
#endif

#endif
