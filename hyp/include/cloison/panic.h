/* SPDX-License-Identifier: MIT */
/*
 * panic() and CHECK(): for broken *internal* invariants only. Anything a
 * domain can send is validated and answered with an error code; it must never
 * reach these.
 */
#ifndef CLOISON_PANIC_H
#define CLOISON_PANIC_H

#include <cloison/types.h>

NORETURN void panic(const char *fmt, ...) PRINTF_LIKE(1, 2);

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond))                                                 \
			panic("CHECK failed: %s at %s:%d", #cond, __FILE__, \
			      __LINE__);                                     \
	} while (0)

#endif
