/* SPDX-License-Identifier: MIT */
/*
 * A tiny TAP (Test Anything Protocol) harness for host unit tests.
 *
 *   #include "harness.h"
 *   TEST(cnode_copy_rejects_occupied_slot) { EXPECT_EQ(err, ERR_SLOT_OCCUPIED); }
 *   int main(int argc, char **argv) { return harness_main(argc, argv); }
 *
 * Each TEST registers itself through a constructor; harness_main() runs them in
 * registration order (or only those whose name contains argv[1]), prints
 * "ok N - name" / "not ok N - name", the plan "1..N", and returns non-zero if
 * any test failed. An EXPECT failure marks the test failed and goes on; an
 * ASSERT failure marks it failed and leaves the test function.
 */
#ifndef CLOISON_TEST_HARNESS_H
#define CLOISON_TEST_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct harness_test {
	const char *name;
	void (*fn)(void);
	struct harness_test *next;
};

void harness_register(struct harness_test *t);
int harness_main(int argc, char **argv);
void harness_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define TEST(name_)                                                         \
	static void test_##name_(void);                                     \
	static struct harness_test harness_t_##name_ = { #name_,            \
							 test_##name_, NULL }; \
	__attribute__((constructor)) static void harness_reg_##name_(void)  \
	{                                                                   \
		harness_register(&harness_t_##name_);                       \
	}                                                                   \
	static void test_##name_(void)

#define EXPECT(cond)                                                        \
	do {                                                                \
		if (!(cond))                                                \
			harness_fail(__FILE__, __LINE__, "expected: %s",    \
				     #cond);                                \
	} while (0)

#define ASSERT(cond)                                                        \
	do {                                                                \
		if (!(cond)) {                                              \
			harness_fail(__FILE__, __LINE__, "assertion: %s",   \
				     #cond);                                \
			return;                                             \
		}                                                           \
	} while (0)

#define EXPECT_EQ(a, b)                                                      \
	do {                                                                 \
		uint64_t harness_a_ = (uint64_t)(a);                         \
		uint64_t harness_b_ = (uint64_t)(b);                         \
		if (harness_a_ != harness_b_)                                \
			harness_fail(__FILE__, __LINE__,                     \
				     "%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, \
				     #a, #b, harness_a_, harness_b_);        \
	} while (0)

#define ASSERT_EQ(a, b)                                                      \
	do {                                                                 \
		uint64_t harness_a_ = (uint64_t)(a);                         \
		uint64_t harness_b_ = (uint64_t)(b);                         \
		if (harness_a_ != harness_b_) {                              \
			harness_fail(__FILE__, __LINE__,                     \
				     "%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, \
				     #a, #b, harness_a_, harness_b_);        \
			return;                                              \
		}                                                            \
	} while (0)

#define EXPECT_STREQ(a, b)                                                   \
	do {                                                                 \
		const char *harness_sa_ = (a), *harness_sb_ = (b);           \
		if (strcmp(harness_sa_, harness_sb_) != 0)                   \
			harness_fail(__FILE__, __LINE__,                     \
				     "%s == %s: \"%s\" != \"%s\"", #a, #b,   \
				     harness_sa_, harness_sb_);              \
	} while (0)

#endif
