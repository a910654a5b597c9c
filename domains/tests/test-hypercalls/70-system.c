/* SPDX-License-Identifier: MIT */
/* Console and system calls (system_poweroff ends the run: 00-fixtures.c). */
#include "hc.h"

TEST(console_write, raw)
{
	/* "raw console_write\n", little-endian in the argument registers. */
	static const char msg[] = "raw console_write\n";
	uint64_t w[5] = { 0 };

	for (unsigned i = 0; i < sizeof(msg) - 1; i++)
		w[i / 8] |= (uint64_t)(uint8_t)msg[i] << (8 * (i % 8));
	console_flush();
	EXPECT_OK(cloison_console_write(fx_console(), sizeof(msg) - 1, w[0], w[1], w[2], w[3],
					w[4]));
	EXPECT_OK(cloison_console_write(fx_console(), 0, 0, 0, 0, 0, 0));
	EXPECT_OK(cloison_console_write(fx_console(), CLOISON_CONSOLE_WRITE_MAX, 0x2020202020202020,
					0x2020202020202020, 0x2020202020202020,
					0x2020202020202020, 0x0a20202020202020));
}

TEST(console_write, too_long)
{
	EXPECT_ERR(cloison_console_write(fx_console(), CLOISON_CONSOLE_WRITE_MAX + 1, 0, 0, 0, 0, 0),
		   OUT_OF_RANGE);
	EXPECT_ERR(cloison_console_write(fx_console(), ~0ull, 0, 0, 0, 0, 0), OUT_OF_RANGE);
}

/* Nobody types during the test: nothing to read, and nothing in the
 * registers that would carry it. */
TEST(console_read, nothing)
{
	uint64_t len = 99, b[5] = { 1, 1, 1, 1, 1 };

	ASSERT_OK(cloison_console_read(fx_console(), &len, &b[0], &b[1], &b[2], &b[3], &b[4]));
	ASSERT(len <= CLOISON_CONSOLE_WRITE_MAX);
	for (unsigned i = (unsigned)len; i < CLOISON_CONSOLE_WRITE_MAX; i++)
		if ((b[i / 8] >> (8 * (i % 8))) & 0xff)
			TEST_FAIL("byte %u beyond len %llu is not 0", i, (unsigned long long)len);
}

TEST(system_stats, counts)
{
	uint64_t el2 = 0, sw = 0, virqs = 0, hc = 0, el2b = 0, hcb = 0;

	ASSERT_OK(cloison_system_stats(fx_system(), &el2, &sw, &virqs, &hc));
	EXPECT(el2 >= hc);
	EXPECT(hc > 300); /* this test has made that many already */
	EXPECT(sw > 0 && virqs > 0);
	fx_yield(10);
	ASSERT_OK(cloison_system_stats(fx_system(), &el2b, NULL, NULL, &hcb));
	EXPECT(hcb >= hc + 11); /* 10 yields and this call */
	EXPECT(el2b >= el2 + 11);
}

TEST(system_audit_dump, ok)
{
	console_flush();
	EXPECT_OK(cloison_system_audit_dump(fx_system()));
}
