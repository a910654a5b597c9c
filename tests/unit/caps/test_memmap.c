/* SPDX-License-Identifier: MIT */
/*
 * memory_map / memory_unmap on the host against the fake stage 2: every
 * rejection path, and that delete, revoke and destroy take the mapping away
 * (docs/capabilities.md: revoke unmaps what the revoked caps mapped).
 */
#include "capcall.h"
#include "capcheck.h"
#include "fake.h"
#include "harness.h"

#include <arch/stage2.h>
#include <cloison/abi/calls.h>
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
#define R_ CLOISON_RIGHT_FRAME_READ
#define W_ CLOISON_RIGHT_FRAME_WRITE
#define X_ CLOISON_RIGHT_FRAME_EXEC
#define IPA 0x80000000ull

static struct arch_stage2 s2a, s2b;
static struct domain *A, *B;


/* A holds an untyped pool in slot 0 and a 2-page frame (RWX) in slot 1;
 * B holds a console cap in slot 0; both have a fake stage 2. */
static void setup(void)
{
	paddr_t pool;
	struct untyped *ut;

	fake_stage2_reset();
	capfix_base(&pool, 8 * PG);
	ut = bootcap_untyped(pool, 8 * PG);
	A = bootcap_domain(8);
	B = bootcap_domain(8);
	if (!ut || !A || !B)
		abort();
	arch_stage2_init(&s2a, 1, 0);
	arch_stage2_init(&s2b, 2, 0);
	A->s2 = &s2a;
	B->s2 = &s2b;
	bootcap_install(A, 0, &ut->obj, CLOISON_RIGHTS_UNTYPED_ALL, 0);
	bootcap_install(B, 0, bootcap_console(), CLOISON_RIGHT_CONSOLE_WRITE, 0);
	bootcap_finish();
	if (HC(A, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 2 * PG, NONE, 1) != CLOISON_ERR_OK)
		abort();
}

TEST(map_and_unmap_a_frame)
{
	setup();
	EXPECT_EQ(HC(A, 1, MEMORY_MAP, IPA, R_ | W_), CLOISON_ERR_OK);
	EXPECT_EQ(fake_stage2_mapped(&s2a), 2 * PG);
	EXPECT_EQ(fake_stage2_mapped(&s2b), 0);
	EXPECT_EQ(HC(A, 1, MEMORY_UNMAP), CLOISON_ERR_OK);
	EXPECT_EQ(fake_stage2_mapped(&s2a), 0);
	EXPECT_EQ(HC(A, 1, MEMORY_UNMAP), CLOISON_ERR_BAD_STATE);
}

TEST(map_rejections_change_nothing)
{
	setup();
	EXPECT_EQ(HC(A, 0, MEMORY_MAP, IPA, R_), CLOISON_ERR_WRONG_TYPE);     /* untyped */
	EXPECT_EQ(HC(A, 5, MEMORY_MAP, IPA, R_), CLOISON_ERR_EMPTY_SLOT);
	EXPECT_EQ(HC(A, 99, MEMORY_MAP, IPA, R_), CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(HC(A, 1, MEMORY_MAP, IPA, 0), CLOISON_ERR_INVALID_ARGUMENT); /* no prot */
	EXPECT_EQ(HC(A, 1, MEMORY_MAP, IPA, 1u << 9), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(A, 1, MEMORY_MAP, IPA + 8, R_), CLOISON_ERR_ALIGNMENT);
	EXPECT_EQ(HC(A, 1, MEMORY_MAP, STAGE2_IPA_LIMIT - PG, R_), CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(A, 1, MEMORY_MAP, 0xfffffffffffff000ull, R_), CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(A, 1, MEMORY_MAP, IPA, R_, 1), CLOISON_ERR_INVALID_ARGUMENT); /* extra arg */
	EXPECT_EQ(fake_stage2_mapped(&s2a), 0);
}

TEST(map_needs_the_rights_it_asks_for)
{
	setup();
	/* A read-only mint cannot be mapped writable or executable. */
	EXPECT_EQ(HC(A, 1, CAP_MINT, NONE, 2, R_, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 2, MEMORY_MAP, IPA, R_ | W_), CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(A, 2, MEMORY_MAP, IPA, X_), CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(A, 2, MEMORY_MAP, IPA, R_), CLOISON_ERR_OK);
	EXPECT_EQ(fake_stage2_mapped(&s2a), 2 * PG);
}

TEST(map_refuses_overlap_and_a_second_mapping)
{
	setup();
	EXPECT_EQ(HC(A, 1, CAP_COPY, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 1, MEMORY_MAP, IPA, R_), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 1, MEMORY_MAP, IPA + 16 * PG, R_), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(A, 2, MEMORY_MAP, IPA + PG, R_), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(A, 2, MEMORY_MAP, IPA + 2 * PG, R_), CLOISON_ERR_OK);
	EXPECT_EQ(fake_stage2_mapped(&s2a), 4 * PG);
}

TEST(delete_and_revoke_unmap)
{
	setup();
	EXPECT_EQ(HC(A, 1, CAP_COPY, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 2, CAP_COPY, NONE, 3), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 2, MEMORY_MAP, IPA, R_), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 3, MEMORY_MAP, IPA + 4 * PG, R_), CLOISON_ERR_OK);
	EXPECT_EQ(fake_stage2_mapped(&s2a), 4 * PG);
	EXPECT_EQ(HC(A, 3, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT_EQ(fake_stage2_mapped(&s2a), 2 * PG);
	EXPECT_EQ(HC(A, 2, CAP_COPY, NONE, 3), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 3, MEMORY_MAP, IPA + 4 * PG, R_), CLOISON_ERR_OK);
	/* Revoking the original frame cap takes both descendants' mappings. */
	EXPECT_EQ(HC(A, 1, CAP_REVOKE), CLOISON_ERR_OK);
	EXPECT_EQ(fake_stage2_mapped(&s2a), 0);
}

TEST(revoking_the_pool_unmaps_the_frame)
{
	setup();
	EXPECT_EQ(HC(A, 1, MEMORY_MAP, IPA, R_ | W_ | X_), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 0, CAP_REVOKE), CLOISON_ERR_OK);
	EXPECT(cte_is_empty(cnode_slot(domain_cspace(A), 1)));
	EXPECT_EQ(fake_stage2_mapped(&s2a), 0);
}

TEST(a_mapped_cap_cannot_move)
{
	setup();
	EXPECT_EQ(HC(A, 1, MEMORY_MAP, IPA, R_), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 1, CAP_MOVE, NONE, 2), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(A, 1, MEMORY_UNMAP), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 1, CAP_MOVE, NONE, 2), CLOISON_ERR_OK);
}

TEST(map_without_a_stage2_is_not_supported)
{
	setup();
	A->s2 = NULL;
	EXPECT_EQ(HC(A, 1, MEMORY_MAP, IPA, R_), CLOISON_ERR_NOT_SUPPORTED);
}

TEST(unmap_wrong_type)
{
	setup();
	EXPECT_EQ(HC(B, 0, MEMORY_UNMAP), CLOISON_ERR_WRONG_TYPE);
	EXPECT_EQ(HC(B, 0, MEMORY_MAP, IPA, R_), CLOISON_ERR_WRONG_TYPE);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}
