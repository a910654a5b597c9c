/* SPDX-License-Identifier: MIT */
/*
 * The generic capability calls: cap_identify, cap_copy, cap_mint, cap_move,
 * cap_delete, cap_revoke, and the CNode calls cnode_identify and
 * cnode_delete, with their own rejections (the dispatcher's are in
 * 10-abi.c).
 */
#include "hc.h"

#define CON_ALL (CLOISON_RIGHT_CONSOLE_WRITE | CLOISON_RIGHT_CONSOLE_INPUT)
#define NOTE_ALL (CLOISON_RIGHT_NOTIFICATION_SIGNAL | CLOISON_RIGHT_NOTIFICATION_WAIT)

TEST(cap_identify, console)
{
	uint64_t type = 0, rights = 0, badge = 1;

	ASSERT_OK(cloison_cap_identify(fx_console(), &type, &rights, &badge));
	EXPECT_EQ(type, CLOISON_TYPE_CONSOLE);
	EXPECT_EQ(rights, CON_ALL);
	EXPECT_EQ(badge, 0);
}

/* The start-info page and cap_identify agree on every cap. */
TEST(cap_identify, matches_start_info)
{
	const struct cloison_start_info *si = si_get();

	for (uint32_t i = 0; i < si->n_caps; i++) {
		uint64_t type = 0, rights = 0;

		if (cloison_cap_identify(si->caps[i].slot, &type, &rights, NULL) != E(OK) ||
		    type != si->caps[i].type || rights != si->caps[i].rights)
			TEST_FAIL("cap %s (slot %u): type %llu rights 0x%llx, start-info says %u 0x%llx",
				  si->caps[i].name, si->caps[i].slot, (unsigned long long)type,
				  (unsigned long long)rights, si->caps[i].type,
				  (unsigned long long)si->caps[i].rights);
	}
}

TEST(cap_copy, ok)
{
	uint64_t s = fx_slot(), type = 0, rights = 0;

	ASSERT_OK(cloison_cap_copy(fx_console(), NONE, s));
	ASSERT_OK(cloison_cap_identify(s, &type, &rights, NULL));
	EXPECT_EQ(type, CLOISON_TYPE_CONSOLE);
	EXPECT_EQ(rights, CON_ALL);
	/* The copy works like the original. */
	EXPECT_OK(cloison_console_write(s, 0, 0, 0, 0, 0, 0));
}

TEST(cap_copy, slot_occupied)
{
	EXPECT_ERR(cloison_cap_copy(fx_console(), NONE, fx_system()), SLOT_OCCUPIED);
}

TEST(cap_copy, dest_out_of_range)
{
	EXPECT_ERR(cloison_cap_copy(fx_console(), NONE, HC_CSPACE_SLOTS), INVALID_SLOT);
	EXPECT_ERR(cloison_cap_copy(fx_console(), NONE, ~0ull - 1), INVALID_SLOT);
}

TEST(cap_copy, dest_cnode_not_a_cnode)
{
	EXPECT_ERR(cloison_cap_copy(fx_pool(), fx_console(), 0), WRONG_TYPE);
}

TEST(cap_copy, dest_cnode_empty)
{
	EXPECT_ERR(cloison_cap_copy(fx_pool(), fx_slot(), 0), EMPTY_SLOT);
}

TEST(cap_copy, dest_cnode_out_of_range)
{
	EXPECT_ERR(cloison_cap_copy(fx_pool(), HC_CSPACE_SLOTS + 7, 0), INVALID_SLOT);
}

TEST(cap_copy, dest_cnode_without_write)
{
	uint64_t ro = fx_mint(fx_cnode(), CLOISON_RIGHT_CNODE_READ | CLOISON_RIGHT_GRANT, 0);

	ASSERT(ro != NONE);
	EXPECT_ERR(cloison_cap_copy(fx_pool(), ro, 1), NO_RIGHTS);
}

/* Into another CNode: only a cap carrying grant may go (the console cap
 * has none, the pool cap has). */
TEST(cap_copy, other_cnode_needs_grant)
{
	EXPECT_ERR(cloison_cap_copy(fx_console(), fx_cnode(), 1), NO_RIGHTS);
	ASSERT_OK(cloison_cap_copy(fx_pool(), fx_cnode(), 1));
	EXPECT_ERR(cloison_cap_copy(fx_pool(), fx_cnode(), 1), SLOT_OCCUPIED);
	EXPECT_ERR(cloison_cap_copy(fx_pool(), fx_cnode(), 16), INVALID_SLOT); /* 16 slots */
}

TEST(cnode_identify, ok)
{
	uint64_t type = 0, rights = 0, badge = 1;

	ASSERT_OK(cloison_cnode_identify(fx_cnode(), 1, &type, &rights, &badge));
	EXPECT_EQ(type, CLOISON_TYPE_UNTYPED);
	EXPECT_EQ(rights, fx_rights(fx_pool()));
	EXPECT_EQ(badge, 0);
}

TEST(cnode_identify, empty_index)
{
	EXPECT_ERR(cloison_cnode_identify(fx_cnode(), 2, NULL, NULL, NULL), EMPTY_SLOT);
}

TEST(cnode_identify, index_out_of_range)
{
	EXPECT_ERR(cloison_cnode_identify(fx_cnode(), 16, NULL, NULL, NULL), INVALID_SLOT);
	EXPECT_ERR(cloison_cnode_identify(fx_cnode(), ~0ull, NULL, NULL, NULL), INVALID_SLOT);
}

TEST(cnode_delete, ok)
{
	ASSERT_OK(cloison_cnode_delete(fx_cnode(), 1));
	EXPECT_ERR(cloison_cnode_identify(fx_cnode(), 1, NULL, NULL, NULL), EMPTY_SLOT);
}

TEST(cnode_delete, empty_index)
{
	EXPECT_ERR(cloison_cnode_delete(fx_cnode(), 1), EMPTY_SLOT);
}

TEST(cnode_delete, index_out_of_range)
{
	EXPECT_ERR(cloison_cnode_delete(fx_cnode(), 16), INVALID_SLOT);
}

TEST(cap_mint, fewer_rights)
{
	uint64_t s = fx_slot(), rights = 0;

	ASSERT_OK(cloison_cap_mint(fx_console(), NONE, s, CLOISON_RIGHT_CONSOLE_WRITE, 0));
	ASSERT_OK(cloison_cap_identify(s, NULL, &rights, NULL));
	EXPECT_EQ(rights, CLOISON_RIGHT_CONSOLE_WRITE);
	/* And the missing right is missing. */
	EXPECT_ERR(cloison_console_read(s, NULL, NULL, NULL, NULL, NULL, NULL), NO_RIGHTS);
}

TEST(cap_mint, more_rights)
{
	uint64_t ro = fx_mint(fx_console(), CLOISON_RIGHT_CONSOLE_WRITE, 0);

	ASSERT(ro != NONE);
	/* Not even a right the type has, if the source lacks it ... */
	EXPECT_ERR(cloison_cap_mint(ro, NONE, fx_slot(), CON_ALL, 0), NO_RIGHTS);
	/* ... nor grant, nor bits no type defines. */
	EXPECT_ERR(cloison_cap_mint(fx_console(), NONE, fx_slot(), CON_ALL | CLOISON_RIGHT_GRANT,
				    0), NO_RIGHTS);
	EXPECT_ERR(cloison_cap_mint(fx_console(), NONE, fx_slot(), 1ull << 40, 0), NO_RIGHTS);
}

TEST(cap_mint, badge)
{
	uint64_t s = fx_slot(), badge = 0;

	ASSERT_OK(cloison_cap_mint(fx_note(), NONE, s, CLOISON_RIGHT_NOTIFICATION_SIGNAL, 0x40));
	ASSERT_OK(cloison_cap_identify(s, NULL, NULL, &badge));
	EXPECT_EQ(badge, 0x40);
}

TEST(cap_mint, badge_kept)
{
	uint64_t b = fx_mint(fx_note(), NOTE_ALL, 0x8), c = fx_slot(), badge = 0;

	ASSERT(b != NONE);
	ASSERT_OK(cloison_cap_mint(b, NONE, c, CLOISON_RIGHT_NOTIFICATION_SIGNAL, 0));
	ASSERT_OK(cloison_cap_identify(c, NULL, NULL, &badge));
	EXPECT_EQ(badge, 0x8);
}

TEST(cap_mint, rebadge)
{
	uint64_t b = fx_mint(fx_note(), NOTE_ALL, 0x8);

	ASSERT(b != NONE);
	EXPECT_ERR(cloison_cap_mint(b, NONE, fx_slot(), NOTE_ALL, 0x10), INVALID_ARGUMENT);
}

TEST(cap_mint, badge_on_other_type)
{
	EXPECT_ERR(cloison_cap_mint(fx_console(), NONE, fx_slot(), CLOISON_RIGHT_CONSOLE_WRITE, 7),
		   INVALID_ARGUMENT);
	EXPECT_ERR(cloison_cap_mint(fx_chan(), NONE, fx_slot(), CLOISON_RIGHT_CHANNEL_READ, 1),
		   INVALID_ARGUMENT);
}

TEST(cap_mint, other_cnode_needs_grant)
{
	EXPECT_ERR(cloison_cap_mint(fx_console(), fx_cnode(), 3, CLOISON_RIGHT_CONSOLE_WRITE, 0),
		   NO_RIGHTS);
	EXPECT_OK(cloison_cap_mint(fx_pool(), fx_cnode(), 3, CLOISON_RIGHT_UNTYPED_GRANT, 0));
}

TEST(cap_mint, slot_occupied)
{
	EXPECT_ERR(cloison_cap_mint(fx_console(), NONE, fx_system(), CLOISON_RIGHT_CONSOLE_WRITE, 0),
		   SLOT_OCCUPIED);
}

TEST(cap_move, ok)
{
	uint64_t a = fx_mint(fx_console(), CLOISON_RIGHT_CONSOLE_WRITE, 0), b = fx_slot();

	ASSERT(a != NONE);
	ASSERT_OK(cloison_cap_move(a, NONE, b));
	EXPECT_ERR(cloison_cap_identify(a, NULL, NULL, NULL), EMPTY_SLOT);
	EXPECT_EQ(fx_type(b), CLOISON_TYPE_CONSOLE);
	EXPECT_EQ(fx_rights(b), CLOISON_RIGHT_CONSOLE_WRITE);
}

TEST(cap_move, slot_occupied)
{
	uint64_t a = fx_mint(fx_console(), CLOISON_RIGHT_CONSOLE_WRITE, 0);

	ASSERT(a != NONE);
	EXPECT_ERR(cloison_cap_move(a, NONE, fx_system()), SLOT_OCCUPIED);
	EXPECT_EQ(fx_type(a), CLOISON_TYPE_CONSOLE); /* still there */
}

TEST(cap_move, other_cnode_needs_grant)
{
	uint64_t a = fx_mint(fx_console(), CLOISON_RIGHT_CONSOLE_WRITE, 0);
	uint64_t g = fx_mint(fx_pool(), CLOISON_RIGHT_UNTYPED_GRANT, 0);

	ASSERT(a != NONE && g != NONE);
	EXPECT_ERR(cloison_cap_move(a, fx_cnode(), 4), NO_RIGHTS);
	ASSERT_OK(cloison_cap_move(g, fx_cnode(), 4));
	EXPECT_ERR(cloison_cap_identify(g, NULL, NULL, NULL), EMPTY_SLOT);
	EXPECT_OK(cloison_cnode_identify(fx_cnode(), 4, NULL, NULL, NULL));
}

TEST(cap_delete, ok)
{
	uint64_t a = fx_mint(fx_console(), CLOISON_RIGHT_CONSOLE_WRITE, 0);

	ASSERT(a != NONE);
	ASSERT_OK(cloison_cap_delete(a));
	EXPECT_ERR(cloison_cap_identify(a, NULL, NULL, NULL), EMPTY_SLOT);
	EXPECT_ERR(cloison_cap_delete(a), EMPTY_SLOT);
	/* The object lives on through the original. */
	EXPECT_OK(cloison_console_write(fx_console(), 0, 0, 0, 0, 0, 0));
}

/* Revoke deletes every descendant, in our CSpace and in another CNode,
 * at any depth, and leaves the cap itself. */
TEST(cap_revoke, descendants)
{
	uint64_t parent = fx_mint(fx_pool(), fx_rights(fx_pool()), 0);
	uint64_t child, grandchild = fx_slot();

	ASSERT(parent != NONE);
	child = fx_mint(parent, fx_rights(fx_pool()), 0);
	ASSERT(child != NONE);
	ASSERT_OK(cloison_cap_copy(child, NONE, grandchild));
	ASSERT_OK(cloison_cap_copy(child, fx_cnode(), 5));
	ASSERT_OK(cloison_cap_revoke(parent));
	EXPECT_ERR(cloison_cap_identify(child, NULL, NULL, NULL), EMPTY_SLOT);
	EXPECT_ERR(cloison_cap_identify(grandchild, NULL, NULL, NULL), EMPTY_SLOT);
	EXPECT_ERR(cloison_cnode_identify(fx_cnode(), 5, NULL, NULL, NULL), EMPTY_SLOT);
	EXPECT_EQ(fx_type(parent), CLOISON_TYPE_UNTYPED);
	/* Revoking a cap with no descendant is fine and changes nothing. */
	EXPECT_OK(cloison_cap_revoke(parent));
	EXPECT_EQ(fx_type(parent), CLOISON_TYPE_UNTYPED);
}
