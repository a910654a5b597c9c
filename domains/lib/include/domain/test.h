/* SPDX-License-Identifier: MIT */
/*
 * In-domain test registry of the picolibc layer (picolibc/test.c). Tests
 * register themselves with TEST(group, name) and test_run() runs them in
 * source order (file, then line), printing their results through the
 * core's result lines (<domain/result.h>):
 *
 *   TEST-BEGIN <suite>
 *   TEST <group>.<name> PASS
 *   TEST <group>.<name> FAIL <file>:<line>: <what failed>
 *   TEST-END <suite> passed=<n> failed=<m>
 *
 * Inside a test, EXPECT_* record a failure and go on; ASSERT_* record it
 * and leave the test (they `return`, so use them in the test body only).
 * A test with no failure passes; a test must reach its end to pass, and
 * one that faults stops the domain before TEST-END, which the runner
 * counts as a crash.
 *
 * Table-driven checks print their own line with test_report(), counted in
 * the same totals; test_begin/test_end bracket such a suite by hand.
 */
#ifndef DOMAIN_TEST_H
#define DOMAIN_TEST_H

#include <cloison/abi/errors.h>
#include <stdbool.h>
#include <stdint.h>

#include <domain/result.h>

struct test_case {
	const char *group;
	const char *name;
	const char *file;
	int line;
	void (*fn)(void);
};

#define TEST(group, name)                                                       \
	static void test_fn_##group##_##name(void);                             \
	static const struct test_case test_case_##group##_##name                \
		__attribute__((used, section("domain_tests"), aligned(8))) = {  \
			#group, #name, __FILE__, __LINE__,                       \
			test_fn_##group##_##name };                              \
	static void test_fn_##group##_##name(void)

/* Run every registered test between TEST-BEGIN and TEST-END; returns the
 * number that failed. */
unsigned test_run(const char *suite);

/* Records a failure of the running test (the first one is printed). */
void test_fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define TEST_FAIL(...) test_fail_at(__FILE__, __LINE__, __VA_ARGS__)

#define EXPECT(cond)                                                            \
	do {                                                                    \
		if (!(cond))                                                    \
			TEST_FAIL("expected %s", #cond);                        \
	} while (0)

#define ASSERT(cond)                                                            \
	do {                                                                    \
		if (!(cond)) {                                                  \
			TEST_FAIL("expected %s", #cond);                        \
			return;                                                 \
		}                                                               \
	} while (0)

#define TEST_CMP_(a, b, onfail)                                                 \
	do {                                                                    \
		uint64_t test_a_ = (uint64_t)(a), test_b_ = (uint64_t)(b);      \
		if (test_a_ != test_b_) {                                       \
			TEST_FAIL("%s == %s: 0x%llx != 0x%llx", #a, #b,         \
				  (unsigned long long)test_a_,                   \
				  (unsigned long long)test_b_);                  \
			onfail;                                                 \
		}                                                               \
	} while (0)

#define EXPECT_EQ(a, b) TEST_CMP_(a, b, (void)0)
#define ASSERT_EQ(a, b) TEST_CMP_(a, b, return)

/* `call` returns an ABI error; `err` is its name without the prefix:
 * EXPECT_ERR(cloison_cap_delete(s), EMPTY_SLOT). */
#define TEST_ERR_(call, err, onfail)                                            \
	do {                                                                    \
		uint64_t test_e_ = (call);                                      \
		if (test_e_ != (uint64_t)CLOISON_ERR_##err) {                   \
			TEST_FAIL("%s returned %s (%llu), expected %s", #call,  \
				  cloison_err_name(test_e_),                     \
				  (unsigned long long)test_e_,                   \
				  cloison_err_name(CLOISON_ERR_##err));          \
			onfail;                                                 \
		}                                                               \
	} while (0)

#define EXPECT_ERR(call, err) TEST_ERR_(call, err, (void)0)
#define ASSERT_ERR(call, err) TEST_ERR_(call, err, return)
#define EXPECT_OK(call) TEST_ERR_(call, OK, (void)0)
#define ASSERT_OK(call) TEST_ERR_(call, OK, return)

#endif
