/* SPDX-License-Identifier: MIT */
/*
 * The block protocol's batch check (domains/lib/blkif.h, blkif_batch_count),
 * which both ends run on each message the other sent before looking at an
 * entry: one test per class of malformed batch, both directions, and the
 * well-formed ones accepted with their count.
 */
#include "blkif.h"

#include <string.h>

#include "harness.h"

static struct ring_msg msg(uint32_t count, uint32_t version, uint32_t len)
{
	struct ring_msg m;
	struct blkif_batch h = { count, version };

	memset(&m, 0xa5, sizeof(m));
	memcpy(m.data, &h, sizeof(h));
	m.id = 7;
	m.len = len;
	return m;
}

static uint32_t req(uint32_t count, uint32_t version, uint32_t len)
{
	struct ring_msg m = msg(count, version, len);

	return blkif_batch_count(&m, sizeof(struct blkif_req), BLKIF_REQS_PER_MSG);
}

static uint32_t rsp(uint32_t count, uint32_t version, uint32_t len)
{
	struct ring_msg m = msg(count, version, len);

	return blkif_batch_count(&m, sizeof(struct blkif_rsp), BLKIF_RSPS_PER_MSG);
}

TEST(batch_well_formed_accepted)
{
	EXPECT_EQ(req(1, BLKIF_VERSION, 8 + 24), 1u);
	EXPECT_EQ(req(2, BLKIF_VERSION, 8 + 48), 2u);
	EXPECT_EQ(rsp(1, BLKIF_VERSION, 8 + 16), 1u);
	EXPECT_EQ(rsp(3, BLKIF_VERSION, 8 + 48), 3u);
}

TEST(batch_count_zero_refused)
{
	EXPECT_EQ(req(0, BLKIF_VERSION, 8), 0u);
	EXPECT_EQ(rsp(0, BLKIF_VERSION, 8), 0u);
}

TEST(batch_count_too_large_refused)
{
	EXPECT_EQ(req(BLKIF_REQS_PER_MSG + 1, BLKIF_VERSION, RING_DATA), 0u);
	EXPECT_EQ(rsp(BLKIF_RSPS_PER_MSG + 1, BLKIF_VERSION, RING_DATA), 0u);
	/* 8 + count * entry wraps to a length that fits in 32 bits: only the
	 * count check refuses these. */
	EXPECT_EQ(req(0x0aaaaaabu, BLKIF_VERSION, 16), 0u);
	EXPECT_EQ(rsp(0x10000001u, BLKIF_VERSION, 24), 0u);
	EXPECT_EQ(req(UINT32_MAX, BLKIF_VERSION, RING_DATA), 0u);
}

TEST(batch_length_mismatch_refused)
{
	EXPECT_EQ(req(2, BLKIF_VERSION, 8 + 24), 0u);
	EXPECT_EQ(req(1, BLKIF_VERSION, 8 + 48), 0u);
	EXPECT_EQ(req(1, BLKIF_VERSION, 8 + 23), 0u);
	EXPECT_EQ(req(1, BLKIF_VERSION, 8 + 25), 0u);
	EXPECT_EQ(rsp(3, BLKIF_VERSION, 8 + 32), 0u);
	EXPECT_EQ(rsp(1, BLKIF_VERSION, 8 + 24), 0u);
}

TEST(batch_other_version_refused)
{
	EXPECT_EQ(req(1, 1, 8 + 24), 0u);
	EXPECT_EQ(req(1, BLKIF_VERSION + 1, 8 + 24), 0u);
	EXPECT_EQ(rsp(1, 0, 8 + 16), 0u);
}

TEST(batch_shorter_than_header_refused)
{
	for (uint32_t len = 0; len < sizeof(struct blkif_batch); len++) {
		EXPECT_EQ(req(1, BLKIF_VERSION, len), 0u);
		EXPECT_EQ(rsp(1, BLKIF_VERSION, len), 0u);
	}
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}
