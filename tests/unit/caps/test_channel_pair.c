/* SPDX-License-Identifier: MIT */
/*
 * untyped_retype_channel: a channel made at run time with a cap to each
 * end. The two ends reach each other only; refusals change nothing (the
 * pool's free memory, the slots); revoking the pool cap takes both ends;
 * a cap to one end can still never become a cap to the other (mint).
 */
#include "capcall.h"
#include "capcheck.h"
#include "harness.h"

#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/bootcap.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/untyped.h>

#include <stdlib.h>

#define NONE CLOISON_SLOT_NONE
#define PG PAGE_SIZE
#define POOL (8 * PG)
#define RW (CLOISON_RIGHT_CHANNEL_READ | CLOISON_RIGHT_CHANNEL_WRITE)

static struct domain *A;

/* A: slot 0 a pool with every retype right, slot 1 one without
 * retype_channel. */
static void setup(void)
{
	struct untyped *ut, *ut2;
	paddr_t pool;

	capfix_base(&pool, 2 * POOL);
	ut = bootcap_untyped(pool, POOL);
	ut2 = bootcap_untyped(pa_add(pool, POOL), POOL);
	A = bootcap_domain(16);
	if (!ut || !ut2 || !A)
		abort();
	bootcap_install(A, 0, &ut->obj, CLOISON_RIGHTS_UNTYPED_ALL, 0);
	bootcap_install(A, 1, &ut2->obj,
			CLOISON_RIGHTS_UNTYPED_ALL & ~(uint32_t)CLOISON_RIGHT_UNTYPED_RETYPE_CHANNEL, 0);
	bootcap_finish();
}

static uint64_t pool_free(uint64_t slot)
{
	EXPECT_EQ(HC(A, slot, UNTYPED_QUERY), CLOISON_ERR_OK);
	return R[2];
}

static bool slot_empty(uint64_t slot)
{
	return HC(A, slot, CAP_IDENTIFY) == CLOISON_ERR_EMPTY_SLOT;
}

TEST(both_ends_are_made_and_reach_each_other)
{
	setup();
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE_CHANNEL, 2 * PG, NONE, 4, 5), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 4, CAP_IDENTIFY), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], CLOISON_TYPE_CHANNEL);
	EXPECT_EQ(R[3], 0);
	EXPECT_EQ(R[2] & RW, RW);
	EXPECT_EQ(HC(A, 5, CAP_IDENTIFY), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], CLOISON_TYPE_CHANNEL);
	EXPECT_EQ(R[3], 1);
	/* end 0 signals: end 1 sees it, end 0 does not */
	EXPECT_EQ(HC(A, 4, CHANNEL_SIGNAL), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 4, CHANNEL_POLL), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 0);
	EXPECT_EQ(HC(A, 5, CHANNEL_POLL), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 1);
	EXPECT_EQ(HC(A, 5, CHANNEL_SIGNAL), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 4, CHANNEL_POLL), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 1);
}

TEST(refusals_change_nothing)
{
	uint64_t free0, free1;

	setup();
	free0 = pool_free(0);
	free1 = pool_free(1);
	/* no retype_channel right on slot 1 */
	EXPECT_EQ(HC(A, 1, UNTYPED_RETYPE_CHANNEL, PG, NONE, 4, 5), CLOISON_ERR_NO_RIGHTS);
	/* the same slot twice */
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE_CHANNEL, PG, NONE, 4, 4),
		  CLOISON_ERR_INVALID_ARGUMENT);
	/* an occupied slot for either end */
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE_CHANNEL, PG, NONE, 1, 5), CLOISON_ERR_SLOT_OCCUPIED);
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE_CHANNEL, PG, NONE, 4, 1), CLOISON_ERR_SLOT_OCCUPIED);
	/* a slot outside the CSpace */
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE_CHANNEL, PG, NONE, 4, 999), CLOISON_ERR_INVALID_SLOT);
	/* sizes: zero, unaligned, larger than the pool, overflowing */
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE_CHANNEL, 0, NONE, 4, 5), CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE_CHANNEL, PG + 1, NONE, 4, 5), CLOISON_ERR_ALIGNMENT);
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE_CHANNEL, POOL, NONE, 4, 5), CLOISON_ERR_NO_MEMORY);
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE_CHANNEL, 1ull << 63, NONE, 4, 5),
		  CLOISON_ERR_OUT_OF_RANGE);
	/* a destination CNode slot that holds no CNode */
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE_CHANNEL, PG, 1, 4, 5), CLOISON_ERR_WRONG_TYPE);
	EXPECT_EQ(pool_free(0), free0);
	EXPECT_EQ(pool_free(1), free1);
	EXPECT(slot_empty(4));
	EXPECT(slot_empty(5));
}

TEST(revoking_the_pool_cap_takes_both_ends_and_frees_the_pool)
{
	uint64_t free0;

	setup();
	free0 = pool_free(0);
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE_CHANNEL, 2 * PG, NONE, 4, 5), CLOISON_ERR_OK);
	EXPECT(pool_free(0) < free0);
	EXPECT_EQ(HC(A, 0, CAP_REVOKE), CLOISON_ERR_OK);
	EXPECT(slot_empty(4));
	EXPECT(slot_empty(5));
	EXPECT_EQ(pool_free(0), free0);
}

TEST(one_end_never_becomes_the_other)
{
	setup();
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE_CHANNEL, PG, NONE, 4, 5), CLOISON_ERR_OK);
	/* mint with a badge is how an end would change: refused from either */
	EXPECT_EQ(HC(A, 4, CAP_MINT, NONE, 6, RW, 1), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(A, 5, CAP_MINT, NONE, 6, RW, 2), CLOISON_ERR_INVALID_ARGUMENT);
	/* a mint without a badge keeps the end */
	EXPECT_EQ(HC(A, 5, CAP_MINT, NONE, 6, CLOISON_RIGHT_CHANNEL_READ, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 6, CAP_IDENTIFY), CLOISON_ERR_OK);
	EXPECT_EQ(R[3], 1);
}

/* The zeroing of a large channel runs in chunks (the call is re-executed):
 * the pair appears only once, at the end. */
TEST(a_chunked_retype_makes_the_pair_once)
{
	struct hc_chunk saved = hc_chunk;

	setup();
	hc_chunk.zero_bytes = PG;
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE_CHANNEL, 4 * PG, NONE, 4, 5), CLOISON_ERR_OK);
	hc_chunk = saved;
	EXPECT_EQ(HC(A, 4, CAP_IDENTIFY), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 5, CAP_IDENTIFY), CLOISON_ERR_OK);
	EXPECT_EQ(R[3], 1);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}
