/* SPDX-License-Identifier: MIT */
/*
 * Memory the core zeroes for a domain is zero for a domain that reads it
 * with its MMU and caches off (the fake's memory model, hyp/arch/fake/mem.c:
 * only arch_mem_clean() brings memory up to date with the core's writes).
 * Every path that hands untyped memory to a domain: a frame, a channel's
 * pages, and a frame carved from a child untyped. (Domain RAM zeroed by the
 * scheduler on destroy: tests/unit/test_sched.c.)
 */
#include "capcall.h"
#include "capcheck.h"
#include "fake.h"
#include "harness.h"

#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/bootcap.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/memobj.h>
#include <cloison/untyped.h>

#include <stdlib.h>

#define NONE CLOISON_SLOT_NONE
#define PG PAGE_SIZE
#define POOL (16 * PG)

static struct domain *A;
static paddr_t pool;

/* A holds an untyped pool of 16 pages in slot 0, full of a previous
 * owner's bytes in cache and memory alike. */
static void setup(void)
{
	struct untyped *ut;

	capfix_base(&pool, POOL);
	ut = bootcap_untyped(pool, POOL);
	A = bootcap_domain(8);
	if (!ut || !A)
		abort();
	bootcap_install(A, 0, &ut->obj, CLOISON_RIGHTS_UNTYPED_ALL, 0);
	bootcap_finish();
	fake_mem_fill(pa_addr(pool), POOL, 0xa5);
}

static const struct memobj *mem_in(struct domain *d, uint64_t slot)
{
	const struct cte *c = cnode_slot(domain_cspace(d), slot);

	if (!c || cap_is_null(&c->cap))
		abort();
	return (const struct memobj *)(const void *)cap_object(&c->cap);
}

TEST(a_retyped_frame_is_zero_in_memory)
{
	const struct memobj *f;

	setup();
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 3 * PG, NONE, 1),
		  CLOISON_ERR_OK);
	f = mem_in(A, 1);
	EXPECT_EQ(f->size, 3 * PG);
	EXPECT(fake_mem_domain_sees_zero(pa_addr(f->base), f->size));
}

TEST(a_retyped_channel_is_zero_in_memory)
{
	const struct memobj *ch;

	setup();
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE, CLOISON_TYPE_CHANNEL, 2 * PG, NONE, 1),
		  CLOISON_ERR_OK);
	ch = mem_in(A, 1);
	EXPECT_EQ(ch->size, 2 * PG);
	EXPECT(fake_mem_domain_sees_zero(pa_addr(ch->base), ch->size));
}

TEST(a_frame_from_a_child_untyped_is_zero_in_memory)
{
	const struct memobj *f;

	setup();
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE, CLOISON_TYPE_UNTYPED, 8 * PG, NONE, 1),
		  CLOISON_ERR_OK);
	/* The child's pages were cleaned when it was carved; dirty them
	 * again, as a previous user of the child would have. */
	fake_mem_fill(pa_addr(pool) + 2 * PG, POOL - 2 * PG, 0x5a);
	EXPECT_EQ(HC(A, 1, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 2 * PG, NONE, 2),
		  CLOISON_ERR_OK);
	f = mem_in(A, 2);
	EXPECT(fake_mem_domain_sees_zero(pa_addr(f->base), f->size));
}

/* The other retype outcome: a refused retype cleans (and zeroes) nothing. */
TEST(a_refused_retype_cleans_nothing)
{
	unsigned before;

	setup();
	before = fake_mem_cleans;
	EXPECT_EQ(HC(A, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, POOL, NONE, 1),
		  CLOISON_ERR_NO_MEMORY);
	EXPECT_EQ(fake_mem_cleans, before);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}
