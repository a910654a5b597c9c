/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the capability core through the hypercall entry point: every
 * operation, and every rejection path, with the invariant checker run after
 * every call (a call that breaks an invariant fails the test).
 */
#include "capcall.h"
#include "capcheck.h"
#include "harness.h"

#include <arch/mem.h>
#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/abi/version.h>
#include <cloison/bootcap.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/memobj.h>
#include <cloison/notification.h>
#include <cloison/object.h>
#include <cloison/sysobj.h>
#include <cloison/untyped.h>

#define NONE CLOISON_SLOT_NONE
#define PG PAGE_SIZE

static struct capfix F;

#define D0 F.d[0]
#define D1 F.d[1]
#define D2 F.d[2]

static struct cte *slot_of(struct domain *d, uint64_t i)
{
	return cnode_slot(domain_cspace(d), i);
}

static uint32_t type_at(struct domain *d, uint64_t i)
{
	return cap_type(&slot_of(d, i)->cap);
}

static uint32_t rights_at(struct domain *d, uint64_t i)
{
	return cap_rights(&slot_of(d, i)->cap);
}

static struct object *obj_at(struct domain *d, uint64_t i)
{
	return cap_object(&slot_of(d, i)->cap);
}

static void setup(void)
{
	capfix_small(&F);
	capcall_broken = false;
}

/* ---- entry point ---- */

TEST(abi_version_returns_generated_version)
{
	setup();
	EXPECT_EQ(HC(D0, NONE, ABI_VERSION, 0), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], CLOISON_ABI_VERSION_MAJOR);
	EXPECT_EQ(R[2], CLOISON_ABI_VERSION_MINOR);
	EXPECT_EQ(R[3], 0);
}

TEST(objectless_call_needs_slot_none)
{
	setup();
	EXPECT_EQ(HC(D0, 0, ABI_VERSION, 0), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(R[1], 0);
	EXPECT_EQ(HC(D0, NONE, YIELD, 0), CLOISON_ERR_OK);
}

TEST(unknown_call_numbers_are_invalid_op)
{
	setup();
	EXPECT_EQ(capcall(D0, 0, CLOISON_HC_COUNT, (const uint64_t[6]){ 0 }), CLOISON_ERR_INVALID_OP);
	EXPECT_EQ(capcall(D0, 0, 0x7fffffff, (const uint64_t[6]){ 0 }), CLOISON_ERR_INVALID_OP);
	EXPECT_EQ(capcall(D0, 0, UINT64_MAX, (const uint64_t[6]){ 0 }), CLOISON_ERR_INVALID_OP);
}

TEST(unused_argument_registers_must_be_zero)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_IDENTIFY, 0, 0, 0, 0, 0, 1), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(D0, NONE, YIELD, 1), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(D0, 3, CAP_COPY, NONE, 2, 7), CLOISON_ERR_EMPTY_SLOT);
}

TEST(caller_without_cspace_gets_invalid_slot)
{
	setup();
	EXPECT_EQ(HC(NULL, 0, CAP_IDENTIFY, 0), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(HC(NULL, NONE, ABI_VERSION, 0), CLOISON_ERR_OK);
}

/* ---- cap_identify ---- */

TEST(cap_identify_reports_type_rights_badge)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_IDENTIFY, 0), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], CLOISON_TYPE_UNTYPED);
	EXPECT_EQ(R[2], CLOISON_RIGHTS_UNTYPED_ALL);
	EXPECT_EQ(R[3], 0);
}

TEST(cap_identify_rejects_empty_and_out_of_range_slots)
{
	setup();
	EXPECT_EQ(HC(D0, 2, CAP_IDENTIFY, 0), CLOISON_ERR_EMPTY_SLOT);
	EXPECT_EQ(HC(D0, CAPFIX_SLOTS, CAP_IDENTIFY, 0), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(HC(D0, UINT64_MAX - 1, CAP_IDENTIFY, 0), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(HC(D0, 1ull << 32, CAP_IDENTIFY, 0), CLOISON_ERR_INVALID_SLOT);
}

/* ---- copy ---- */

TEST(copy_within_own_cspace_makes_a_child)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(type_at(D0, 2), CLOISON_TYPE_UNTYPED);
	EXPECT_EQ(rights_at(D0, 2), CLOISON_RIGHTS_UNTYPED_ALL);
	EXPECT(slot_of(D0, 2)->parent == slot_of(D0, 0));
	EXPECT_EQ(obj_at(D0, 0)->ncaps, 2);
}

TEST(copy_rejects_occupied_and_bad_destinations)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, 1), CLOISON_ERR_SLOT_OCCUPIED);
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, 0), CLOISON_ERR_SLOT_OCCUPIED);
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, CAPFIX_SLOTS), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, UINT64_MAX), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(HC(D0, 2, CAP_COPY, NONE, 3), CLOISON_ERR_EMPTY_SLOT);
	EXPECT_EQ(HC(D0, 0, CAP_COPY, 0, 0), CLOISON_ERR_WRONG_TYPE);
	EXPECT_EQ(HC(D0, 0, CAP_COPY, 3, 0), CLOISON_ERR_EMPTY_SLOT);
	EXPECT_EQ(HC(D0, 0, CAP_COPY, 9, 0), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(HC(D0, 0, CAP_COPY, 1, 4), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(obj_at(D0, 0)->ncaps, 1);
}

TEST(copy_to_other_cspace_needs_grant_on_source)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_MINT, NONE, 2, CLOISON_RIGHT_UNTYPED_RETYPE_FRAME, 0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_COPY, 1, 0), CLOISON_ERR_NO_RIGHTS);
	EXPECT(cte_is_empty(slot_of(D1, 0)));
	EXPECT_EQ(HC(D0, 0, CAP_COPY, 1, 0), CLOISON_ERR_OK);
	EXPECT_EQ(type_at(D1, 0), CLOISON_TYPE_UNTYPED);
	EXPECT(slot_of(D1, 0)->parent == slot_of(D0, 0));
}

TEST(copy_through_cnode_cap_needs_write)
{
	setup();
	/* d0: mint the cnode cap to d1 without write, into slot 2 */
	EXPECT_EQ(HC(D0, 1, CAP_MINT, NONE, 2, CLOISON_RIGHT_CNODE_READ | CLOISON_RIGHT_GRANT, 0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, CAP_COPY, 2, 0), CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D0, 0, CAP_COPY, 1, 0), CLOISON_ERR_OK);
}

TEST(copy_into_own_cspace_through_cnode_cap_needs_no_grant)
{
	setup();
	/* d1 holds a write-only cnode cap to d2; d2 gets one to its own cspace */
	EXPECT_EQ(HC(D1, 3, CAP_COPY, 3, 1), CLOISON_ERR_NO_RIGHTS); /* no grant on it */
	EXPECT_EQ(bootcap_install(D2, 1, &domain_cspace(D2)->obj, CLOISON_RIGHT_CNODE_WRITE, 0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D2, 0, CAP_MINT, NONE, 2, 0, 0), CLOISON_ERR_OK); /* no-rights console */
	EXPECT_EQ(HC(D2, 2, CAP_COPY, 1, 3), CLOISON_ERR_OK);
	EXPECT_EQ(type_at(D2, 3), CLOISON_TYPE_CONSOLE);
}

/* ---- mint ---- */

TEST(mint_reduces_rights)
{
	setup();
	EXPECT_EQ(HC(D1, 2, CAP_MINT, NONE, 0, CLOISON_RIGHT_NOTIFICATION_SIGNAL, 0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(rights_at(D1, 0), CLOISON_RIGHT_NOTIFICATION_SIGNAL);
	EXPECT_EQ(HC(D1, 0, CAP_MINT, NONE, 1, CLOISON_RIGHT_NOTIFICATION_WAIT, 0),
		  CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D1, 0, CAP_MINT, NONE, 1, 0, 0), CLOISON_ERR_OK);
	EXPECT_EQ(rights_at(D1, 1), 0);
}

TEST(mint_rejects_rights_beyond_the_field)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_MINT, NONE, 2, 1ull << 16, 0), CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D0, 0, CAP_MINT, NONE, 2, UINT64_MAX, 0), CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D0, 0, CAP_MINT, NONE, 2, 1ull << 40, 0), CLOISON_ERR_NO_RIGHTS);
}

TEST(mint_sets_a_badge_once_on_notifications_only)
{
	setup();
	EXPECT_EQ(HC(D1, 2, CAP_MINT, NONE, 0, CLOISON_RIGHTS_NOTIFICATION_ALL, 0x40),
		  CLOISON_ERR_OK);
	EXPECT_EQ(cap_badge(&slot_of(D1, 0)->cap), 0x40);
	EXPECT_EQ(HC(D1, 0, CAP_MINT, NONE, 1, CLOISON_RIGHT_NOTIFICATION_SIGNAL, 0x80),
		  CLOISON_ERR_INVALID_ARGUMENT);
	/* badge 0 keeps the source's */
	EXPECT_EQ(HC(D1, 0, CAP_MINT, NONE, 1, CLOISON_RIGHT_NOTIFICATION_SIGNAL, 0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(cap_badge(&slot_of(D1, 1)->cap), 0x40);
	EXPECT_EQ(HC(D0, 0, CAP_MINT, NONE, 2, 0, 5), CLOISON_ERR_INVALID_ARGUMENT);
}

TEST(mint_rejects_bad_destinations)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_MINT, NONE, 1, 0, 0), CLOISON_ERR_SLOT_OCCUPIED);
	EXPECT_EQ(HC(D0, 0, CAP_MINT, NONE, 77, 0, 0), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(HC(D0, 3, CAP_MINT, NONE, 2, 0, 0), CLOISON_ERR_EMPTY_SLOT);
}

TEST(mint_to_other_cspace_needs_grant)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_MINT, NONE, 2, CLOISON_RIGHT_UNTYPED_RETYPE_FRAME, 0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_MINT, 1, 0, CLOISON_RIGHT_UNTYPED_RETYPE_FRAME, 0),
		  CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D0, 0, CAP_MINT, 1, 0, CLOISON_RIGHT_UNTYPED_RETYPE_FRAME, 0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(rights_at(D1, 0), CLOISON_RIGHT_UNTYPED_RETYPE_FRAME);
}

/* ---- move ---- */

TEST(move_keeps_the_tree_position)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_COPY, 1, 0), CLOISON_ERR_OK); /* child of slot 2 in d1 */
	EXPECT_EQ(HC(D0, 2, CAP_MOVE, NONE, 3), CLOISON_ERR_OK);
	EXPECT(cte_is_empty(slot_of(D0, 2)));
	EXPECT(slot_of(D0, 3)->parent == slot_of(D0, 0));
	EXPECT(slot_of(D1, 0)->parent == slot_of(D0, 3));
	EXPECT_EQ(HC(D0, 3, CAP_REVOKE, 0), CLOISON_ERR_OK);
	EXPECT(cte_is_empty(slot_of(D1, 0)));
}

TEST(move_rejects_occupied_empty_and_ungranted)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_MOVE, NONE, 1), CLOISON_ERR_SLOT_OCCUPIED);
	EXPECT_EQ(HC(D0, 2, CAP_MOVE, NONE, 3), CLOISON_ERR_EMPTY_SLOT);
	EXPECT_EQ(HC(D0, 0, CAP_MINT, NONE, 2, CLOISON_RIGHT_UNTYPED_RETYPE_FRAME, 0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_MOVE, 1, 0), CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D0, 0, CAP_MOVE, 1, 0), CLOISON_ERR_OK);
	EXPECT(cte_is_empty(slot_of(D0, 0)));
	EXPECT_EQ(type_at(D1, 0), CLOISON_TYPE_UNTYPED);
}

/* ---- delete ---- */

TEST(delete_of_last_cap_frees_the_object)
{
	uint64_t before;

	setup();
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_NOTIFICATION, 0, NONE, 2),
		  CLOISON_ERR_OK);
	before = object_count();
	EXPECT_EQ(F.pool->nlive, 1);
	EXPECT_EQ(HC(D0, 2, CAP_COPY, NONE, 3), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(object_count(), before);
	EXPECT_EQ(HC(D0, 3, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(object_count(), before - 1);
	EXPECT_EQ(F.pool->nlive, 0);
	EXPECT_EQ(F.pool->mark, 0);
	EXPECT_EQ(HC(D0, 3, CAP_DELETE, 0), CLOISON_ERR_EMPTY_SLOT);
	EXPECT_EQ(HC(D0, 4, CAP_DELETE, 0), CLOISON_ERR_INVALID_SLOT);
}

TEST(delete_hands_children_to_the_grandparent)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_COPY, NONE, 3), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_COPY, 1, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT(slot_of(D0, 3)->parent == slot_of(D0, 0));
	EXPECT(slot_of(D1, 0)->parent == slot_of(D0, 0));
	EXPECT_EQ(HC(D0, 0, CAP_REVOKE, 0), CLOISON_ERR_OK);
	EXPECT(cte_is_empty(slot_of(D0, 3)));
	EXPECT(cte_is_empty(slot_of(D1, 0)));
}

TEST(delete_of_a_root_cap_makes_children_roots)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, 3), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT(slot_of(D0, 2)->parent == NULL);
	EXPECT(slot_of(D0, 3)->parent == NULL);
	EXPECT_EQ(obj_at(D0, 2)->ncaps, 2);
}

/* ---- revoke ---- */

TEST(revoke_deletes_descendants_in_every_cspace)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_COPY, 1, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, CAP_COPY, 1, 1), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D1, 0, CAP_COPY, NONE, 3), CLOISON_ERR_SLOT_OCCUPIED);
	EXPECT_EQ(HC(D0, 0, CAP_REVOKE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(type_at(D0, 0), CLOISON_TYPE_UNTYPED);
	EXPECT(cte_is_empty(slot_of(D0, 2)));
	EXPECT(cte_is_empty(slot_of(D1, 0)));
	EXPECT(cte_is_empty(slot_of(D1, 1)));
	EXPECT(slot_of(D0, 0)->first_child == NULL);
	EXPECT_EQ(obj_at(D0, 0)->ncaps, 1);
}

TEST(revoke_of_a_leaf_and_of_an_empty_slot)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_REVOKE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(type_at(D0, 0), CLOISON_TYPE_UNTYPED);
	EXPECT_EQ(HC(D0, 2, CAP_REVOKE, 0), CLOISON_ERR_EMPTY_SLOT);
	EXPECT_EQ(HC(D0, 100, CAP_REVOKE, 0), CLOISON_ERR_INVALID_SLOT);
}

TEST(revoke_of_pool_frees_everything_carved_and_resets_it)
{
	setup();
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_NOTIFICATION, 0, 1, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_COPY, 1, 1), CLOISON_ERR_OK);
	EXPECT(F.pool->mark > 0);
	EXPECT_EQ(HC(D0, 0, CAP_REVOKE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(F.pool->nlive, 0);
	EXPECT_EQ(F.pool->mark, 0);
	EXPECT(cte_is_empty(slot_of(D1, 0)) && cte_is_empty(slot_of(D1, 1)));
	EXPECT_EQ(HC(D0, 0, UNTYPED_QUERY, 0), CLOISON_ERR_OK);
	EXPECT_EQ(R[2], CAPFIX_POOL_SIZE);
}

/* d0 slot 2 ends up naming cnode N, which holds the only cap to N-1, ... */
static void build_cnode_chain(int n)
{
	int i;

	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 1, NONE, 2), CLOISON_ERR_OK);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 1, NONE, 3),
			  CLOISON_ERR_OK);
		EXPECT_EQ(HC(D0, 2, CAP_COPY, 3, 0), CLOISON_ERR_OK);
		EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
		EXPECT_EQ(HC(D0, 3, CAP_MOVE, NONE, 2), CLOISON_ERR_OK);
	}
}

TEST(delete_cascades_through_a_chain_of_cnodes)
{
	uint64_t base;

	setup();
	base = object_count();
	build_cnode_chain(20);
	EXPECT_EQ(object_count(), base + 21);
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(object_count(), base);
	EXPECT_EQ(F.pool->mark, 0);
}

TEST(revoke_of_pool_removes_a_chain_of_cnodes)
{
	uint64_t base;

	setup();
	base = object_count();
	build_cnode_chain(20);
	EXPECT_EQ(HC(D0, 0, CAP_REVOKE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(object_count(), base);
	EXPECT_EQ(F.pool->mark, 0);
	EXPECT(cte_is_empty(slot_of(D0, 2)));
}

TEST(self_referencing_cnode_is_cleaned_by_revoke_of_its_pool)
{
	uint64_t base;

	setup();
	base = object_count();
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 2, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_COPY, 2, 0), CLOISON_ERR_OK); /* cap to itself inside it */
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(object_count(), base + 1); /* unreachable, but still named */
	EXPECT_EQ(HC(D0, 0, CAP_REVOKE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(object_count(), base);
}

/* ---- retype ---- */

TEST(retype_makes_each_type_with_full_rights)
{
	static const uint64_t types[][2] = {
		{ CLOISON_TYPE_FRAME, PG },	    { CLOISON_TYPE_NOTIFICATION, 0 },
		{ CLOISON_TYPE_CNODE, 3 },	    { CLOISON_TYPE_DOMAIN, 0 },
		{ CLOISON_TYPE_CHANNEL, PG },	    { CLOISON_TYPE_UNTYPED, PG },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		setup();
		EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, types[i][0], types[i][1], NONE, 3),
			  CLOISON_ERR_OK);
		EXPECT_EQ(type_at(D0, 3), types[i][0]);
		EXPECT_EQ(rights_at(D0, 3), cloison_rights_all(types[i][0]));
		EXPECT(slot_of(D0, 3)->parent == slot_of(D0, 0));
		EXPECT_EQ(obj_at(D0, 3)->parent, F.pool);
	}
}

TEST(retype_needs_the_typed_retype_right)
{
	static const uint64_t types[][3] = {
		{ CLOISON_TYPE_FRAME, PG, CLOISON_RIGHT_UNTYPED_RETYPE_FRAME },
		{ CLOISON_TYPE_NOTIFICATION, 0, CLOISON_RIGHT_UNTYPED_RETYPE_NOTIFICATION },
		{ CLOISON_TYPE_CNODE, 2, CLOISON_RIGHT_UNTYPED_RETYPE_CNODE },
		{ CLOISON_TYPE_DOMAIN, 0, CLOISON_RIGHT_UNTYPED_RETYPE_DOMAIN },
		{ CLOISON_TYPE_CHANNEL, PG, CLOISON_RIGHT_UNTYPED_RETYPE_CHANNEL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		setup();
		EXPECT_EQ(HC(D0, 0, CAP_MINT, NONE, 2,
			     CLOISON_RIGHTS_UNTYPED_ALL & ~(uint32_t)types[i][2], 0),
			  CLOISON_ERR_OK);
		EXPECT_EQ(HC(D0, 2, UNTYPED_RETYPE, types[i][0], types[i][1], NONE, 3),
			  CLOISON_ERR_NO_RIGHTS);
		EXPECT(cte_is_empty(slot_of(D0, 3)));
		EXPECT_EQ(F.pool->mark, 0);
	}
}

TEST(split_pool_inherits_rights_and_cannot_gain_any)
{
	setup();
	EXPECT_EQ(HC(D0, 0, CAP_MINT, NONE, 2, CLOISON_RIGHT_UNTYPED_RETYPE_DOMAIN, 0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, UNTYPED_RETYPE, CLOISON_TYPE_UNTYPED, 2 * PG, NONE, 3),
		  CLOISON_ERR_OK);
	EXPECT_EQ(rights_at(D0, 3), CLOISON_RIGHT_UNTYPED_RETYPE_DOMAIN);
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 3, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, 2),
		  CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D0, 3, UNTYPED_RETYPE, CLOISON_TYPE_DOMAIN, 0, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(obj_at(D0, 2)->parent, (struct untyped *)(void *)obj_at(D0, 3));
}

TEST(retype_rejects_wrong_object_type)
{
	setup();
	EXPECT_EQ(HC(D0, 1, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, 2),
		  CLOISON_ERR_WRONG_TYPE);
	EXPECT_EQ(HC(D0, 2, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, 3),
		  CLOISON_ERR_EMPTY_SLOT);
}

TEST(retype_rejects_types_that_cannot_be_made)
{
	static const uint64_t bad[] = { CLOISON_TYPE_NONE, CLOISON_TYPE_DEVICE, CLOISON_TYPE_IRQ,
					CLOISON_TYPE_CONSOLE, CLOISON_TYPE_SYSTEM,
					CLOISON_TYPE_COUNT, 1ull << 32, UINT64_MAX };
	size_t i;

	setup();
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, bad[i], PG, NONE, 2),
			  CLOISON_ERR_INVALID_ARGUMENT);
}

TEST(retype_checks_sizes)
{
	setup();
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 0, NONE, 2),
		  CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 100, NONE, 2),
		  CLOISON_ERR_ALIGNMENT);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_UNTYPED, PG + 1, NONE, 2),
		  CLOISON_ERR_ALIGNMENT);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, CAPFIX_POOL_SIZE + PG, NONE, 2),
		  CLOISON_ERR_OUT_OF_RANGE);
	/* sizes that would wrap an address or an offset */
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 0ull - PG, NONE, 2),
		  CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_CHANNEL, 1ull << 63, NONE, 2),
		  CLOISON_ERR_OUT_OF_RANGE);
	/* the header takes room too: a frame as large as the pool cannot fit */
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, CAPFIX_POOL_SIZE, NONE, 2),
		  CLOISON_ERR_NO_MEMORY);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 0, NONE, 2),
		  CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, CLOISON_CNODE_MAX_SLOTS + 1, NONE,
		     2),
		  CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, UINT64_MAX, NONE, 2),
		  CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, CLOISON_CNODE_MAX_SLOTS, NONE, 2),
		  CLOISON_ERR_NO_MEMORY); /* 4096 slots do not fit in 4 pages */
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_NOTIFICATION, 1, NONE, 2),
		  CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_DOMAIN, PG, NONE, 2),
		  CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(F.pool->mark, 0);
}

TEST(retype_checks_the_destination)
{
	setup();
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_NOTIFICATION, 0, NONE, 1),
		  CLOISON_ERR_SLOT_OCCUPIED);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_NOTIFICATION, 0, NONE, 4),
		  CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_NOTIFICATION, 0, 0, 2),
		  CLOISON_ERR_WRONG_TYPE);
	EXPECT_EQ(F.pool->mark, 0);
	/* into another cspace: needs grant on the pool cap */
	EXPECT_EQ(HC(D0, 0, CAP_MINT, NONE, 2, CLOISON_RIGHT_UNTYPED_RETYPE_NOTIFICATION, 0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, UNTYPED_RETYPE, CLOISON_TYPE_NOTIFICATION, 0, 1, 0),
		  CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_NOTIFICATION, 0, 1, 0), CLOISON_ERR_OK);
	EXPECT_EQ(type_at(D1, 0), CLOISON_TYPE_NOTIFICATION);
}

TEST(retype_while_children_live_never_reuses_their_memory)
{
	struct memobj *f1, *f2;

	setup();
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, 3), CLOISON_ERR_OK);
	f1 = (struct memobj *)(void *)obj_at(D0, 2);
	f2 = (struct memobj *)(void *)obj_at(D0, 3);
	EXPECT(pa_addr(f1->base) + f1->size <= pa_addr(f2->obj.mem_base));
	/* the pool is full of live children: no more */
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_NOTIFICATION, 0, 1, 0),
		  CLOISON_ERR_NO_MEMORY);
	/* one child died, one lives: its memory still cannot be handed out */
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(F.pool->nlive, 1);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, 2),
		  CLOISON_ERR_NO_MEMORY);
	EXPECT_EQ(HC(D0, 3, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, 2), CLOISON_ERR_OK);
}

TEST(reused_memory_is_zeroed)
{
	struct memobj *f;
	unsigned char *p;
	uint64_t i, nonzero = 0;

	setup();
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 2 * PG, NONE, 2), CLOISON_ERR_OK);
	f = (struct memobj *)(void *)obj_at(D0, 2);
	p = arch_mem_ptr(f->base, (size_t)f->size);
	memset(p, 0x5a, (size_t)f->size); /* the owner wrote secrets */
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 3 * PG, NONE, 2), CLOISON_ERR_OK);
	f = (struct memobj *)(void *)obj_at(D0, 2);
	p = arch_mem_ptr(f->base, (size_t)f->size);
	for (i = 0; i < f->size; i++)
		nonzero += p[i] != 0;
	/* capcheck_call dirtied it with 0xa5 after checking it was zero */
	EXPECT_EQ(nonzero, f->size);
	EXPECT_EQ(p[0], 0xa5);
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 64, NONE, 2), CLOISON_ERR_OK);
	EXPECT(!capcall_broken); /* the checker verified the new CNode's slots are zero */
}

TEST(pool_outlives_its_last_cap_only_while_children_live)
{
	struct untyped *sub;
	uint64_t base;

	setup();
	base = object_count();
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_UNTYPED, 2 * PG, NONE, 2),
		  CLOISON_ERR_OK);
	sub = (struct untyped *)(void *)obj_at(D0, 2);
	EXPECT_EQ(HC(D0, 2, UNTYPED_RETYPE, CLOISON_TYPE_NOTIFICATION, 0, NONE, 3),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(object_count(), base + 2); /* kept by its child */
	EXPECT_EQ(sub->nlive, 1);
	EXPECT_EQ(HC(D0, 3, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(object_count(), base);
	EXPECT_EQ(F.pool->mark, 0);
}

TEST(untyped_query_reports_free_memory)
{
	setup();
	EXPECT_EQ(HC(D0, 0, UNTYPED_QUERY, 0), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], CAPFIX_POOL_SIZE);
	EXPECT_EQ(R[2], CAPFIX_POOL_SIZE);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, UNTYPED_QUERY, 0), CLOISON_ERR_OK);
	EXPECT(R[2] < CAPFIX_POOL_SIZE - PG);
	EXPECT_EQ(HC(D0, 1, UNTYPED_QUERY, 0), CLOISON_ERR_WRONG_TYPE);
}

/* ---- notifications ---- */

TEST(signal_ors_badge_and_poll_reads_and_clears)
{
	setup();
	EXPECT_EQ(HC(D1, 2, CAP_MINT, NONE, 0, CLOISON_RIGHT_NOTIFICATION_SIGNAL, 0x1),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D1, 2, CAP_MINT, NONE, 1, CLOISON_RIGHT_NOTIFICATION_SIGNAL, 0x10),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D1, 2, NOTIFICATION_POLL, 0), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 0);
	EXPECT_EQ(HC(D1, 0, NOTIFICATION_SIGNAL, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D1, 1, NOTIFICATION_SIGNAL, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D1, 0, NOTIFICATION_SIGNAL, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D1, 2, NOTIFICATION_POLL, 0), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 0x11);
	EXPECT_EQ(HC(D1, 2, NOTIFICATION_POLL, 0), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 0);
}

TEST(notification_calls_check_rights_badge_and_type)
{
	setup();
	EXPECT_EQ(HC(D1, 2, NOTIFICATION_SIGNAL, 0), CLOISON_ERR_INVALID_ARGUMENT); /* unbadged */
	EXPECT_EQ(HC(D1, 2, CAP_MINT, NONE, 0, CLOISON_RIGHT_NOTIFICATION_WAIT, 0x2),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D1, 0, NOTIFICATION_SIGNAL, 0), CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D1, 2, CAP_MINT, NONE, 1, CLOISON_RIGHT_NOTIFICATION_SIGNAL, 0x2),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D1, 1, NOTIFICATION_POLL, 0), CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D1, 3, NOTIFICATION_POLL, 0), CLOISON_ERR_WRONG_TYPE);
	EXPECT_EQ(HC(D0, 0, NOTIFICATION_SIGNAL, 0), CLOISON_ERR_WRONG_TYPE);
}

/* ---- domains ---- */

/* d0 makes a domain in slot 2 with a 2-slot CSpace (cnode cap left in 3). */
static void make_domain(void)
{
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_DOMAIN, 0, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 2, NONE, 3), CLOISON_ERR_OK);
}

TEST(domain_lifecycle_runs_through_every_state)
{
	struct domain *d;

	setup();
	make_domain();
	d = (struct domain *)(void *)obj_at(D0, 2);
	EXPECT_EQ(HC(D0, 2, DOMAIN_QUERY, 0), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], CLOISON_DOMAIN_CREATED);
	EXPECT_EQ(R[2], d->id);
	EXPECT_EQ(HC(D0, 2, DOMAIN_FINISH_BUILD, 0), CLOISON_ERR_BAD_STATE); /* no cspace */
	EXPECT_EQ(HC(D0, 2, DOMAIN_SET_CSPACE, 3), CLOISON_ERR_OK);
	EXPECT(domain_cspace(d) == (struct cnode *)(void *)obj_at(D0, 3));
	EXPECT_EQ(HC(D0, 2, DOMAIN_START, 0), CLOISON_ERR_BAD_STATE);
	/* D0 still holds a cap to the CSpace's CNode: it could put caps into
	 * the domain after start */
	EXPECT_EQ(HC(D0, 2, DOMAIN_FINISH_BUILD, 0), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, 3, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, DOMAIN_FINISH_BUILD, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, DOMAIN_SET_CSPACE, 3), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, 2, DOMAIN_FINISH_BUILD, 0), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, 2, DOMAIN_STOP, 0), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, 2, DOMAIN_START, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, DOMAIN_START, 0), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, 2, DOMAIN_RESUME, 0), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, 2, DOMAIN_STOP, 0), CLOISON_ERR_OK);
	EXPECT_EQ(d->state, CLOISON_DOMAIN_STOPPED);
	EXPECT_EQ(HC(D0, 2, DOMAIN_RESUME, 0), CLOISON_ERR_OK);
	EXPECT_EQ(d->state, CLOISON_DOMAIN_RUNNING);
	EXPECT_EQ(HC(D0, 2, DOMAIN_DESTROY, 0), CLOISON_ERR_OK);
	EXPECT_EQ(d->state, CLOISON_DOMAIN_DESTROYED);
	EXPECT(domain_cspace(d) == NULL);
	EXPECT_EQ(HC(D0, 2, DOMAIN_DESTROY, 0), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, 2, DOMAIN_RESUME, 0), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, 2, DOMAIN_QUERY, 0), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], CLOISON_DOMAIN_DESTROYED);
}

TEST(domain_calls_need_their_rights)
{
	static const struct {
		uint64_t op;
		uint32_t right;
	} calls[] = {
		{ CLOISON_HC_DOMAIN_SET_CSPACE, CLOISON_RIGHT_DOMAIN_BUILD },
		{ CLOISON_HC_DOMAIN_FINISH_BUILD, CLOISON_RIGHT_DOMAIN_BUILD },
		{ CLOISON_HC_DOMAIN_START, CLOISON_RIGHT_DOMAIN_START },
		{ CLOISON_HC_DOMAIN_STOP, CLOISON_RIGHT_DOMAIN_STOP },
		{ CLOISON_HC_DOMAIN_RESUME, CLOISON_RIGHT_DOMAIN_RESUME },
		{ CLOISON_HC_DOMAIN_DESTROY, CLOISON_RIGHT_DOMAIN_DESTROY },
		{ CLOISON_HC_DOMAIN_QUERY, CLOISON_RIGHT_DOMAIN_QUERY },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		setup();
		EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_DOMAIN, 0, NONE, 2),
			  CLOISON_ERR_OK);
		EXPECT_EQ(HC(D0, 2, CAP_MINT, NONE, 3, CLOISON_RIGHTS_DOMAIN_ALL & ~calls[i].right,
			     0),
			  CLOISON_ERR_OK);
		EXPECT_EQ(capcall(D0, 3, calls[i].op, (const uint64_t[6]){ 2 }), CLOISON_ERR_NO_RIGHTS);
		EXPECT_EQ(capcall(D0, 1, calls[i].op, (const uint64_t[6]){ 2 }), CLOISON_ERR_WRONG_TYPE);
	}
}

TEST(set_cspace_checks_the_cnode_cap)
{
	setup();
	make_domain();
	EXPECT_EQ(HC(D0, 2, DOMAIN_SET_CSPACE, 0), CLOISON_ERR_WRONG_TYPE);
	EXPECT_EQ(HC(D0, 2, DOMAIN_SET_CSPACE, 9), CLOISON_ERR_INVALID_SLOT);
	/* d1's own CSpace (slot 1) is bound already */
	EXPECT_EQ(HC(D0, 2, DOMAIN_SET_CSPACE, 1), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, 3, CAP_MOVE, 1, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, DOMAIN_SET_CSPACE, 3), CLOISON_ERR_EMPTY_SLOT);
	EXPECT_EQ(HC(D0, 1, CAP_MINT, NONE, 3, CLOISON_RIGHT_CNODE_WRITE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, DOMAIN_SET_CSPACE, 3), CLOISON_ERR_NO_RIGHTS);
}

TEST(revoking_the_cnode_cap_takes_the_cspace_away)
{
	struct domain *d;

	setup();
	make_domain();
	d = (struct domain *)(void *)obj_at(D0, 2);
	EXPECT_EQ(HC(D0, 2, DOMAIN_SET_CSPACE, 3), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 3, CAP_REVOKE, 0), CLOISON_ERR_OK);
	EXPECT(domain_cspace(d) == NULL);
	EXPECT_EQ(HC(D0, 2, DOMAIN_FINISH_BUILD, 0), CLOISON_ERR_BAD_STATE);
	/* the cnode is free to be bound again */
	EXPECT_EQ(HC(D0, 2, DOMAIN_SET_CSPACE, 3), CLOISON_ERR_OK);
}

TEST(destroy_releases_what_only_the_domain_held)
{
	uint64_t base;

	setup();
	base = object_count();
	make_domain();
	EXPECT_EQ(HC(D0, 2, DOMAIN_SET_CSPACE, 3), CLOISON_ERR_OK);
	/* give the new domain the only cap to a notification */
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_NOTIFICATION, 0, 3, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 3, CAP_DELETE, 0), CLOISON_ERR_OK); /* d0 drops its cnode cap */
	EXPECT_EQ(object_count(), base + 3);
	EXPECT_EQ(HC(D0, 2, DOMAIN_DESTROY, 0), CLOISON_ERR_OK);
	EXPECT_EQ(object_count(), base + 1); /* cnode and notification gone */
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(object_count(), base);
	EXPECT_EQ(F.pool->mark, 0);
}

TEST(domain_dies_with_its_last_cap)
{
	uint64_t base;

	setup();
	base = object_count();
	make_domain();
	EXPECT_EQ(HC(D0, 2, DOMAIN_SET_CSPACE, 3), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 3, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(object_count(), base);
}

TEST(a_domain_can_destroy_itself)
{
	setup();
	EXPECT_EQ(bootcap_install(D2, 1, &D2->obj, CLOISON_RIGHTS_DOMAIN_ALL, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D2, 1, DOMAIN_DESTROY, 0), CLOISON_ERR_OK);
	EXPECT(domain_cspace(D2) == NULL);
	EXPECT_EQ(HC(D2, 1, DOMAIN_QUERY, 0), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(D2->state, CLOISON_DOMAIN_DESTROYED);
}

/* ---- cnode calls ---- */

TEST(cnode_identify_and_delete)
{
	setup();
	EXPECT_EQ(HC(D0, 1, CNODE_IDENTIFY, 2), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], CLOISON_TYPE_NOTIFICATION);
	EXPECT_EQ(R[2], CLOISON_RIGHTS_NOTIFICATION_ALL);
	EXPECT_EQ(HC(D0, 1, CNODE_IDENTIFY, 0), CLOISON_ERR_EMPTY_SLOT);
	EXPECT_EQ(HC(D0, 1, CNODE_IDENTIFY, 4), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(HC(D0, 1, CNODE_IDENTIFY, UINT64_MAX), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(HC(D0, 1, CNODE_DELETE, 2), CLOISON_ERR_OK);
	EXPECT(cte_is_empty(slot_of(D1, 2)));
	EXPECT_EQ(HC(D0, 1, CNODE_DELETE, 2), CLOISON_ERR_EMPTY_SLOT);
	EXPECT_EQ(HC(D0, 1, CNODE_DELETE, 99), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(HC(D0, 0, CNODE_DELETE, 0), CLOISON_ERR_WRONG_TYPE);
}

TEST(cnode_calls_need_read_and_write)
{
	setup();
	EXPECT_EQ(HC(D1, 3, CNODE_IDENTIFY, 0), CLOISON_ERR_NO_RIGHTS); /* write only */
	EXPECT_EQ(HC(D1, 3, CNODE_DELETE, 0), CLOISON_ERR_OK);
	EXPECT(cte_is_empty(slot_of(D2, 0)));
	EXPECT_EQ(HC(D0, 1, CAP_MINT, NONE, 2, CLOISON_RIGHT_CNODE_READ, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CNODE_DELETE, 2), CLOISON_ERR_NO_RIGHTS);
}

/* ---- console and system ---- */

TEST(console_write_delivers_packed_bytes)
{
	setup();
	EXPECT_EQ(HC(D2, 0, CONSOLE_WRITE, 10, 0x6f77206f6c6c6568ull, 0x6c72, 0, 0, 0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(capfix_console_len, 10);
	EXPECT(memcmp(capfix_console, "hello worl", 10) == 0);
	EXPECT_EQ(HC(D2, 0, CONSOLE_WRITE, 41, 0, 0, 0, 0, 0), CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(D2, 0, CONSOLE_WRITE, UINT64_MAX, 0, 0, 0, 0, 0), CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(D2, 0, CONSOLE_WRITE, 40, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull), CLOISON_ERR_OK);
	EXPECT_EQ(capfix_console_len, 50);
}

TEST(console_and_system_calls_check_rights_and_hooks)
{
	struct object *sys;

	setup();
	EXPECT_EQ(HC(D2, 0, CAP_MINT, NONE, 1, 0, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D2, 1, CONSOLE_WRITE, 1, 0x41, 0, 0, 0, 0), CLOISON_ERR_NO_RIGHTS);
	sys = bootcap_system();
	EXPECT_EQ(bootcap_install(D2, 2, sys, CLOISON_RIGHT_SYSTEM_AUDIT, 0), CLOISON_ERR_OK);
	EXPECT_EQ(bootcap_install(D2, 3, sys, CLOISON_RIGHT_SYSTEM_POWEROFF, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D2, 2, SYSTEM_POWEROFF, 0), CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D2, 3, SYSTEM_POWEROFF, 0), CLOISON_ERR_OK);
	EXPECT_EQ(capfix_poweroffs, 1);
	EXPECT_EQ(HC(D2, 0, SYSTEM_POWEROFF, 0), CLOISON_ERR_WRONG_TYPE);
	sysobj_set_hooks(NULL);
	EXPECT_EQ(HC(D2, 3, SYSTEM_POWEROFF, 0), CLOISON_ERR_NOT_SUPPORTED);
	EXPECT_EQ(HC(D2, 0, CONSOLE_WRITE, 1, 0x41, 0, 0, 0, 0), CLOISON_ERR_NOT_SUPPORTED);
}

/* ---- device and irq objects: plain caps for now ---- */

TEST(device_and_irq_caps_copy_mint_delete_revoke)
{
	struct object *dev, *irq;
	uint64_t base;

	setup();
	dev = bootcap_device(pa_init(0x0a000000), PG);
	irq = bootcap_irq(48);
	EXPECT(dev && irq);
	EXPECT_EQ(bootcap_install(D1, 0, dev, CLOISON_RIGHTS_DEVICE_ALL, 0), CLOISON_ERR_OK);
	EXPECT_EQ(bootcap_install(D1, 1, irq, CLOISON_RIGHTS_IRQ_ALL, 0), CLOISON_ERR_OK);
	base = object_count();
	EXPECT_EQ(HC(D1, 0, CAP_MINT, 3, 1, CLOISON_RIGHT_DEVICE_READ | CLOISON_RIGHT_GRANT, 0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(rights_at(D2, 1), CLOISON_RIGHT_DEVICE_READ | CLOISON_RIGHT_GRANT);
	EXPECT_EQ(HC(D1, 1, CAP_COPY, 3, 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D1, 1, CAP_MINT, NONE, 2, CLOISON_RIGHTS_IRQ_ALL, 7),
		  CLOISON_ERR_SLOT_OCCUPIED);
	EXPECT_EQ(HC(D2, 2, CAP_MINT, NONE, 3, CLOISON_RIGHT_IRQ_RECEIVE, 7),
		  CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(D1, 0, CAP_REVOKE, 0), CLOISON_ERR_OK);
	EXPECT(cte_is_empty(slot_of(D2, 1)));
	EXPECT_EQ(HC(D1, 1, CAP_REVOKE, 0), CLOISON_ERR_OK);
	EXPECT(cte_is_empty(slot_of(D2, 2)));
	EXPECT_EQ(HC(D1, 1, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(object_count(), base - 1);
}

/* ---- boot API ---- */

TEST(bootcap_rejects_bad_policy_input)
{
	paddr_t pool;
	struct domain *d;
	struct object *n;

	capfix_base(&pool, 8 * PG);
	EXPECT(bootcap_untyped(pa_init(pa_addr(pool) + 1), PG) == NULL);
	EXPECT(bootcap_untyped(pool, 0) == NULL);
	EXPECT(bootcap_untyped(pool, PG + 8) == NULL);
	EXPECT(bootcap_untyped(pa_init(0ull - PG), 2 * PG) == NULL);
	EXPECT(bootcap_frame(pool, 100) == NULL);
	EXPECT(bootcap_device(pa_init(3), PG) == NULL);
	EXPECT(bootcap_domain(0) == NULL);
	EXPECT(bootcap_domain(CLOISON_CNODE_MAX_SLOTS + 1) == NULL);
	EXPECT(bootcap_cnode(0) == NULL);
	d = bootcap_domain(2);
	n = bootcap_notification();
	ASSERT(d && n);
	EXPECT_EQ(bootcap_install(d, 2, n, 0, 0), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(bootcap_install(d, 0, n, 1u << 9, 0), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(bootcap_install(d, 0, &d->obj, 0, 5), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(bootcap_install(d, 0, NULL, 0, 0), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(bootcap_install(NULL, 0, n, 0, 0), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(bootcap_install(d, 0, n, CLOISON_RIGHT_NOTIFICATION_SIGNAL, 9), CLOISON_ERR_OK);
	EXPECT_EQ(bootcap_install(d, 0, n, 0, 0), CLOISON_ERR_SLOT_OCCUPIED);
}

TEST(bootcap_runs_out_of_kernel_memory_cleanly)
{
	paddr_t pool;
	unsigned int n = 0;

	capfix_base(&pool, PG);
	while (bootcap_domain(CLOISON_CNODE_MAX_SLOTS) && n < 1000)
		n++;
	EXPECT(n > 0 && n < 1000);
	EXPECT(bootcap_kmem_free() < cnode_size(CLOISON_CNODE_MAX_SLOTS) + sizeof(struct domain) + 128);
	while (bootcap_notification() && n < 100000)
		n++;
	EXPECT(bootcap_notification() == NULL);
	EXPECT(bootcap_console() == NULL || bootcap_kmem_free() < 256);
}

TEST(bootcap_finish_drops_unused_objects_but_keeps_domains)
{
	paddr_t pool;
	struct domain *d;
	char msg[256];
	uint64_t before;

	capfix_base(&pool, PG);
	d = bootcap_domain(2);
	ASSERT(d != NULL);
	(void)bootcap_notification();
	EXPECT_EQ(bootcap_install(d, 0, bootcap_console(), CLOISON_RIGHTS_CONSOLE_ALL, 0),
		  CLOISON_ERR_OK);
	before = object_count();
	bootcap_finish();
	EXPECT_EQ(object_count(), before - 1);
	EXPECT(domain_cspace(d) != NULL);
	EXPECT(capcheck_verify(msg, sizeof(msg)));
}

/* The checker itself must catch broken states (else every test above is vacuous). */
TEST(checker_catches_corruption)
{
	char msg[256];
	struct cte *c;

	setup();
	EXPECT(capcheck_verify(msg, sizeof(msg)));
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, 2), CLOISON_ERR_OK);
	c = slot_of(D0, 2);
	c->cap.w[0] |= (uint64_t)CLOISON_RIGHT_UNTYPED_RETYPE_DOMAIN << 20; /* stray bits */
	EXPECT(!capcheck_verify(msg, sizeof(msg)));
	c->cap.w[0] &= ~((uint64_t)CLOISON_RIGHT_UNTYPED_RETYPE_DOMAIN << 20);
	EXPECT(capcheck_verify(msg, sizeof(msg)));
	obj_at(D0, 2)->ncaps++;
	EXPECT(!capcheck_verify(msg, sizeof(msg)));
	obj_at(D0, 2)->ncaps--;
	F.pool->mark = F.pool->size + 1;
	EXPECT(!capcheck_verify(msg, sizeof(msg)));
	F.pool->mark = 0;
	/* a derived cap with more rights than its parent */
	EXPECT_EQ(HC(D0, 0, CAP_MINT, NONE, 3, CLOISON_RIGHT_UNTYPED_RETYPE_FRAME, 0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 3, CAP_COPY, NONE, 2), CLOISON_ERR_OK);
	slot_of(D0, 2)->cap = cap_make(CLOISON_TYPE_UNTYPED, CLOISON_RIGHTS_UNTYPED_ALL,
				       &F.pool->obj, 0);
	EXPECT(!capcheck_verify(msg, sizeof(msg)));
	EXPECT(strstr(msg, "beyond its parent") != NULL);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}
