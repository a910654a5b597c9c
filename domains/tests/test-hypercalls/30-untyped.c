/* SPDX-License-Identifier: MIT */
/*
 * untyped_retype and untyped_query. The tests work in a sub-pool split
 * off the policy's pool, so that revoking it at the end returns every byte
 * and the query can prove it.
 */
#include "hc.h"

#define SUB_SIZE (256u * 1024u)

static uint64_t sub = NONE;

TEST(untyped_query, pool)
{
	uint64_t size = 0, free = 0;

	ASSERT_OK(cloison_untyped_query(fx_pool(), &size, &free));
	EXPECT_EQ(size, 1024u * 1024u); /* test-hypercalls.toml: 1M */
	EXPECT(free <= size);
}

TEST(untyped_retype, untyped)
{
	uint64_t s = fx_slot(), size = 0, free = 0, before = 0, after = 0;

	ASSERT_OK(cloison_untyped_query(fx_pool(), NULL, &before));
	ASSERT_OK(cloison_untyped_retype(fx_pool(), CLOISON_TYPE_UNTYPED, SUB_SIZE, NONE, s));
	sub = s;
	ASSERT_OK(cloison_untyped_query(sub, &size, &free));
	EXPECT_EQ(size, SUB_SIZE);
	EXPECT_EQ(free, SUB_SIZE);
	ASSERT_OK(cloison_untyped_query(fx_pool(), NULL, &after));
	EXPECT(before - after >= SUB_SIZE);
	/* A pool split off keeps exactly the rights of the cap used. */
	EXPECT_EQ(fx_rights(sub), fx_rights(fx_pool()));
}

TEST(untyped_retype, each_type)
{
	static const struct {
		uint64_t type, size;
	} objs[] = {
		{ CLOISON_TYPE_FRAME, RUNTIME_PAGE },  { CLOISON_TYPE_CNODE, 4 },
		{ CLOISON_TYPE_NOTIFICATION, 0 },      { CLOISON_TYPE_DOMAIN, 0 },
		{ CLOISON_TYPE_CHANNEL, RUNTIME_PAGE }, { CLOISON_TYPE_UNTYPED, RUNTIME_PAGE },
	};
	uint64_t free0 = 0, free1 = 0;

	ASSERT(sub != NONE);
	ASSERT_OK(cloison_untyped_query(sub, NULL, &free0));
	for (unsigned i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		uint64_t s = fx_slot(), type = 0, rights = 0;
		uint64_t err = cloison_untyped_retype(sub, objs[i].type, objs[i].size, NONE, s);

		if (err != E(OK)) {
			TEST_FAIL("retype %s: %s", cloison_type_name(objs[i].type),
				  cloison_err_name(err));
			continue;
		}
		cloison_cap_identify(s, &type, &rights, NULL);
		EXPECT_EQ(type, objs[i].type);
		if (objs[i].type != CLOISON_TYPE_UNTYPED && rights != cloison_rights_all(type))
			TEST_FAIL("new %s cap has rights 0x%llx", cloison_type_name(type),
				  (unsigned long long)rights);
	}
	ASSERT_OK(cloison_untyped_query(sub, NULL, &free1));
	EXPECT(free1 < free0 - 3 * RUNTIME_PAGE);
}

TEST(untyped_retype, zero_size)
{
	EXPECT_ERR(cloison_untyped_retype(sub, CLOISON_TYPE_FRAME, 0, NONE, fx_slot()),
		   OUT_OF_RANGE);
	EXPECT_ERR(cloison_untyped_retype(sub, CLOISON_TYPE_CNODE, 0, NONE, fx_slot()),
		   OUT_OF_RANGE);
}

TEST(untyped_retype, unaligned_size)
{
	EXPECT_ERR(cloison_untyped_retype(sub, CLOISON_TYPE_FRAME, 100, NONE, fx_slot()),
		   ALIGNMENT);
	EXPECT_ERR(cloison_untyped_retype(sub, CLOISON_TYPE_CHANNEL, RUNTIME_PAGE + 8, NONE,
					  fx_slot()), ALIGNMENT);
}

TEST(untyped_retype, size_beyond_pool)
{
	EXPECT_ERR(cloison_untyped_retype(sub, CLOISON_TYPE_FRAME, 1ull << 40, NONE, fx_slot()),
		   OUT_OF_RANGE);
	EXPECT_ERR(cloison_untyped_retype(sub, CLOISON_TYPE_FRAME, ~0ull & ~0xfffull, NONE,
					  fx_slot()), OUT_OF_RANGE);
}

TEST(untyped_retype, cnode_too_big)
{
	EXPECT_ERR(cloison_untyped_retype(sub, CLOISON_TYPE_CNODE, CLOISON_CNODE_MAX_SLOTS + 1,
					  NONE, fx_slot()), OUT_OF_RANGE);
}

TEST(untyped_retype, size_for_sizeless_type)
{
	EXPECT_ERR(cloison_untyped_retype(sub, CLOISON_TYPE_NOTIFICATION, RUNTIME_PAGE, NONE,
					  fx_slot()), INVALID_ARGUMENT);
	EXPECT_ERR(cloison_untyped_retype(sub, CLOISON_TYPE_DOMAIN, 1, NONE, fx_slot()),
		   INVALID_ARGUMENT);
}

/* Devices, irqs, the console and the system object exist only as the
 * policy made them; 0 and unknown numbers are no type at all. */
TEST(untyped_retype, types_not_made)
{
	static const uint64_t types[] = { CLOISON_TYPE_NONE, CLOISON_TYPE_DEVICE, CLOISON_TYPE_IRQ,
					  CLOISON_TYPE_CONSOLE, CLOISON_TYPE_SYSTEM,
					  CLOISON_TYPE_COUNT, 99, ~0ull };

	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		uint64_t err = cloison_untyped_retype(sub, types[i], 0, NONE, fx_slot());

		if (err != E(INVALID_ARGUMENT))
			TEST_FAIL("type %llu: %s", (unsigned long long)types[i],
				  cloison_err_name(err));
	}
}

/* Typed retype rights: a pool cap with only retype_frame makes frames and
 * nothing else (a smaller pool from it keeps that limit). */
TEST(untyped_retype, needs_type_right)
{
	uint64_t fr = fx_mint(sub, CLOISON_RIGHT_UNTYPED_RETYPE_FRAME, 0), small = fx_slot();

	ASSERT(fr != NONE);
	EXPECT_OK(cloison_untyped_retype(fr, CLOISON_TYPE_FRAME, RUNTIME_PAGE, NONE, fx_slot()));
	EXPECT_ERR(cloison_untyped_retype(fr, CLOISON_TYPE_CNODE, 4, NONE, fx_slot()), NO_RIGHTS);
	EXPECT_ERR(cloison_untyped_retype(fr, CLOISON_TYPE_NOTIFICATION, 0, NONE, fx_slot()),
		   NO_RIGHTS);
	EXPECT_ERR(cloison_untyped_retype(fr, CLOISON_TYPE_DOMAIN, 0, NONE, fx_slot()), NO_RIGHTS);
	EXPECT_ERR(cloison_untyped_retype(fr, CLOISON_TYPE_CHANNEL, RUNTIME_PAGE, NONE, fx_slot()),
		   NO_RIGHTS);
	ASSERT_OK(cloison_untyped_retype(fr, CLOISON_TYPE_UNTYPED, 4 * RUNTIME_PAGE, NONE, small));
	EXPECT_EQ(fx_rights(small), CLOISON_RIGHT_UNTYPED_RETYPE_FRAME);
	EXPECT_ERR(cloison_untyped_retype(small, CLOISON_TYPE_CNODE, 4, NONE, fx_slot()), NO_RIGHTS);
}

TEST(untyped_retype, dest_occupied)
{
	EXPECT_ERR(cloison_untyped_retype(sub, CLOISON_TYPE_NOTIFICATION, 0, NONE, fx_console()),
		   SLOT_OCCUPIED);
	EXPECT_ERR(cloison_untyped_retype(sub, CLOISON_TYPE_NOTIFICATION, 0, NONE,
					  HC_CSPACE_SLOTS), INVALID_SLOT);
}

/* Into another CNode the pool cap needs grant. */
TEST(untyped_retype, other_cnode_needs_grant)
{
	uint64_t ng = fx_mint(sub, fx_rights(sub) & ~(uint64_t)CLOISON_RIGHT_GRANT, 0);

	ASSERT(ng != NONE);
	EXPECT_ERR(cloison_untyped_retype(ng, CLOISON_TYPE_NOTIFICATION, 0, fx_cnode(), 6),
		   NO_RIGHTS);
	EXPECT_OK(cloison_untyped_retype(sub, CLOISON_TYPE_NOTIFICATION, 0, fx_cnode(), 6));
	EXPECT_ERR(cloison_untyped_retype(sub, CLOISON_TYPE_NOTIFICATION, 0, fx_console(), 7),
		   WRONG_TYPE);
}

/* A request that fits the pool's size but not what is left of it. */
TEST(untyped_retype, no_memory)
{
	uint64_t free = 0;

	ASSERT_OK(cloison_untyped_query(sub, NULL, &free));
	ASSERT(free < SUB_SIZE);
	EXPECT_ERR(cloison_untyped_retype(sub, CLOISON_TYPE_FRAME, SUB_SIZE, NONE, fx_slot()),
		   NO_MEMORY);
}

/* Memory handed out is zeroed, also when it comes back: fill a frame,
 * revoke everything made from the sub-pool, make a frame again where it
 * was, read zeros. */
TEST(untyped_retype, memory_zeroed_and_returned)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)HC_FRAME_IPA;
	uint64_t f = fx_slot(), g = fx_slot(), size = 0, free = 0;
	bool zero = true;

	ASSERT_OK(cloison_cap_revoke(sub));
	ASSERT_OK(cloison_untyped_query(sub, &size, &free));
	EXPECT_EQ(free, size); /* every object gone: the whole pool is free again */
	ASSERT_OK(cloison_untyped_retype(sub, CLOISON_TYPE_FRAME, RUNTIME_PAGE, NONE, f));
	ASSERT_OK(cloison_memory_map(f, HC_FRAME_IPA, CLOISON_RIGHT_FRAME_READ |
						      CLOISON_RIGHT_FRAME_WRITE));
	for (unsigned i = 0; i < RUNTIME_PAGE / 8; i++)
		p[i] = 0x5a5a5a5a5a5a5a5aull;
	ASSERT_OK(cloison_cap_revoke(sub)); /* unmaps it too */
	ASSERT_OK(cloison_untyped_retype(sub, CLOISON_TYPE_FRAME, RUNTIME_PAGE, NONE, g));
	ASSERT_OK(cloison_memory_map(g, HC_FRAME_IPA, CLOISON_RIGHT_FRAME_READ));
	for (unsigned i = 0; i < RUNTIME_PAGE / 8; i++)
		zero = zero && p[i] == 0;
	EXPECT(zero);
	ASSERT_OK(cloison_cap_revoke(sub));
}
