/* SPDX-License-Identifier: MIT */
/*
 * Guests made at run time from a typed pool, at the level of the capability
 * core (docs/dynamic-guests.md): a control domain whose pool may become
 * domains, CNodes, channels and notifications, never frames. 100 guests
 * built, started, stopped and destroyed in a row leave the pool's free
 * memory and the core's object count where they were; after start nothing
 * about the guest can be changed; the pool running out mid-build leaves
 * nothing half-built once the control domain drops what it made.
 *
 * What this does not cover (not built yet): the guest's RAM, stage 2 and
 * vCPU for a domain made by retype, loading an image into it, budget and
 * priority within limits (docs/dynamic-guests.md, "Not done yet").
 */
#include "capcall.h"
#include "capcheck.h"
#include "harness.h"

#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/bootcap.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/object.h>
#include <cloison/untyped.h>

#include <stdlib.h>

#define NONE CLOISON_SLOT_NONE
#define PG PAGE_SIZE
#define POOL (16 * PG)
/* dom0's pool: everything a guest needs, no frame dom0 could map. */
#define DOM0_POOL_RIGHTS                                                                   \
	(CLOISON_RIGHT_UNTYPED_RETYPE_DOMAIN | CLOISON_RIGHT_UNTYPED_RETYPE_CNODE |        \
	 CLOISON_RIGHT_UNTYPED_RETYPE_CHANNEL | CLOISON_RIGHT_UNTYPED_RETYPE_NOTIFICATION)

/* dom0's slots */
enum { S_POOL, S_CN = 2, S_DOM, S_END0, S_END1, S_SCRATCH };

static struct domain *D0;

static void setup(uint64_t pool_size)
{
	struct untyped *ut;
	paddr_t pool;

	capfix_base(&pool, pool_size);
	ut = bootcap_untyped(pool, pool_size);
	D0 = bootcap_domain(16);
	if (!ut || !D0)
		abort();
	bootcap_install(D0, S_POOL, &ut->obj, DOM0_POOL_RIGHTS, 0);
	bootcap_finish();
}

static uint64_t pool_free(void)
{
	return capcall_pool_free(D0, S_POOL);
}

static uint64_t state_of(uint64_t slot)
{
	return capcall_domain_state(D0, slot);
}

/* Build one guest: a CSpace holding one end of a channel, then built.
 * dom0 keeps the domain cap (S_DOM) and end 1 (S_END1: the end a driver
 * domain would get); it drops its CNode cap and end 0, so it holds no way
 * into the guest's CSpace. Returns the first error. */
static uint64_t build_guest(void)
{
	uint64_t err;

	if ((err = HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 8, NONE, S_CN)) ||
	    (err = HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_DOMAIN, 0, NONE, S_DOM)) ||
	    (err = HC(D0, S_POOL, UNTYPED_RETYPE_CHANNEL, PG, NONE, S_END0, S_END1)) ||
	    (err = HC(D0, S_END0, CAP_MOVE, S_CN, 0)) ||
	    (err = HC(D0, S_DOM, DOMAIN_SET_CSPACE, S_CN)) ||
	    (err = HC(D0, S_CN, CAP_DELETE)) ||
	    (err = HC(D0, S_DOM, DOMAIN_FINISH_BUILD)))
		return err;
	return CLOISON_ERR_OK;
}

static void drop_all(void)
{
	for (uint64_t s = S_CN; s <= S_SCRATCH; s++)
		if (HC(D0, s, CAP_IDENTIFY) == CLOISON_ERR_OK)
			EXPECT_EQ(HC(D0, s, CAP_DELETE), CLOISON_ERR_OK);
}

TEST(a_hundred_guests_leave_the_pool_and_objects_as_they_were)
{
	uint64_t free0, objs0;

	setup(POOL);
	free0 = pool_free();
	objs0 = object_count();
	for (int i = 0; i < 100; i++) {
		EXPECT_EQ(build_guest(), CLOISON_ERR_OK);
		EXPECT_EQ(state_of(S_DOM), CLOISON_DOMAIN_BUILT);
		EXPECT_EQ(HC(D0, S_DOM, DOMAIN_START), CLOISON_ERR_OK);
		EXPECT_EQ(HC(D0, S_DOM, DOMAIN_STOP), CLOISON_ERR_OK);
		EXPECT_EQ(HC(D0, S_DOM, DOMAIN_DESTROY), CLOISON_ERR_OK);
		EXPECT_EQ(state_of(S_DOM), CLOISON_DOMAIN_DESTROYED);
		EXPECT(pool_free() < free0); /* the domain object still holds memory */
		drop_all();
		EXPECT_EQ(pool_free(), free0);
		EXPECT_EQ(object_count(), objs0);
		if (capcall_broken)
			break;
	}
}

TEST(after_start_nothing_about_the_guest_changes)
{
	uint64_t free0;

	setup(POOL);
	EXPECT_EQ(build_guest(), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_START), CLOISON_ERR_OK);
	/* A spare CNode of dom0's own, to try to give the guest, and a
	 * child pool (it inherits the parent's rights). */
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 4, NONE, S_CN),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_UNTYPED, 2 * PG, NONE,
		     S_SCRATCH), CLOISON_ERR_OK);
	free0 = pool_free();
	/* a new CSpace, another build step */
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_CSPACE, S_CN), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_BAD_STATE);
	/* the pool into a frame dom0 could map */
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, S_SCRATCH),
		  CLOISON_ERR_NO_RIGHTS);
	/* a frame through the child pool */
	EXPECT_EQ(HC(D0, S_SCRATCH, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, S_END0),
		  CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D0, S_SCRATCH, CAP_DELETE), CLOISON_ERR_OK);
	/* map the domain cap itself */
	EXPECT_EQ(HC(D0, S_DOM, MEMORY_MAP, 0x80000000ull, CLOISON_RIGHT_FRAME_READ),
		  CLOISON_ERR_WRONG_TYPE);
	/* mint itself a build right it never had on the pool */
	EXPECT_EQ(HC(D0, S_POOL, CAP_MINT, NONE, S_SCRATCH, CLOISON_RIGHTS_UNTYPED_ALL, 0),
		  CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D0, S_SCRATCH, CAP_IDENTIFY), CLOISON_ERR_EMPTY_SLOT);
	EXPECT_EQ(pool_free(), free0);
	EXPECT_EQ(state_of(S_DOM), CLOISON_DOMAIN_RUNNING);
}

/* The pool runs out part-way through a build: the failing call changes
 * nothing, and dropping what was made returns the pool whole. */
TEST(exhaustion_mid_build_leaves_nothing_half_built)
{
	uint64_t free0, objs0, before, err = CLOISON_ERR_OK;
	uint64_t park = 8; /* dom0 slots 8..15 keep the finished guests */

	setup(4 * PG);
	free0 = pool_free();
	objs0 = object_count();
	while (park < 16) {
		before = pool_free();
		err = build_guest();
		if (err)
			break;
		EXPECT(pool_free() < before);
		EXPECT_EQ(HC(D0, S_DOM, CAP_MOVE, NONE, park), CLOISON_ERR_OK);
		EXPECT_EQ(HC(D0, S_END1, CAP_DELETE), CLOISON_ERR_OK);
		park++;
	}
	EXPECT_EQ(err, CLOISON_ERR_NO_MEMORY);
	EXPECT(park > 8 && park < 16); /* at least one guest fit, not all */
	/* the refused retype made nothing: the guest under way is not built */
	if (HC(D0, S_DOM, CAP_IDENTIFY) == CLOISON_ERR_OK)
		EXPECT_EQ(state_of(S_DOM), CLOISON_DOMAIN_CREATED);
	drop_all();
	while (park-- > 8)
		EXPECT_EQ(HC(D0, park, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT_EQ(pool_free(), free0);
	EXPECT_EQ(object_count(), objs0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}
