/* SPDX-License-Identifier: MIT */
/*
 * Test-result lines, in the format the system-test runner reads
 * (<cloison/std/testout.h>, hyp/abi/std):
 *
 *   TEST-BEGIN <suite>
 *   TEST <name> PASS
 *   TEST <name> FAIL <message>
 *   TEST-END <suite> passed=<n> failed=<m>
 *
 * test_begin, one test_report per check, test_end. A domain that stops
 * before TEST-END is counted as a crash, never as a pass. Core layer
 * (core/result.c); the picolibc layer's test registry (<domain/test.h>)
 * prints through it.
 */
#ifndef DOMAIN_RESULT_H
#define DOMAIN_RESULT_H

#include <stdbool.h>
#include <stdint.h>

void test_begin(const char *suite);
/* TEST-END; returns how many failed. */
unsigned test_end(void);
/* One result line; the message is formatted only on failure, and a line
 * break in it becomes a space. */
void test_report(const char *name, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Totals so far in the current suite. */
unsigned test_passed(void);
unsigned test_failed(void);

/* `call` returns an ABI error, expected to be `want` (CLOISON_ERR_...). */
#define TEST_REPORT_ERR(name, call, want)                                       \
	do {                                                                    \
		uint64_t test_e_ = (call);                                      \
		test_report(name, test_e_ == (uint64_t)(want),                  \
			    "returned %lu, expected %lu", test_e_,              \
			    (uint64_t)(want));                                  \
	} while (0)

#endif
