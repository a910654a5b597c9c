/* SPDX-License-Identifier: MIT */
/*
 * The domain calls: a domain made from the pool goes through the whole
 * life cycle (set_cspace, finish_build, start, stop, resume, destroy) with
 * the refusals of each state; the policy's peer domain is started and
 * really runs (it signals us, then blocks on the "gate" notification,
 * which shows notification_wait's one-waiter rule); a domain that faulted
 * cannot be resumed.
 */
#include "hc.h"

static uint64_t state_of(uint64_t dom)
{
	uint64_t st = 0;

	cloison_domain_query(dom, &st, NULL, NULL);
	return st;
}

static uint64_t made = NONE, made_cnode = NONE, made_w = NONE, made_g = NONE;

TEST(domain_query, made_from_pool)
{
	uint64_t st = 0, id = 0, t = 1, pid = 0;

	made = fx_slot();
	ASSERT_OK(cloison_untyped_retype(fx_pool(), CLOISON_TYPE_DOMAIN, 0, NONE, made));
	ASSERT_OK(cloison_domain_query(made, &st, &id, &t));
	EXPECT_EQ(st, CLOISON_DOMAIN_CREATED);
	EXPECT_EQ(t, 0);
	ASSERT_OK(cloison_domain_query(fx_peer(), NULL, &pid, NULL));
	EXPECT(id != 0 && id != pid && id != si_get()->domain_id);
}

TEST(domain_finish_build, without_cspace)
{
	EXPECT_ERR(cloison_domain_finish_build(made), BAD_STATE);
}

TEST(domain_start, created)
{
	EXPECT_ERR(cloison_domain_start(made), BAD_STATE);
	EXPECT_ERR(cloison_domain_stop(made), BAD_STATE);
	EXPECT_ERR(cloison_domain_resume(made), BAD_STATE);
}

TEST(domain_set_cspace, bad_cnode_slot)
{
	EXPECT_ERR(cloison_domain_set_cspace(made, fx_console()), WRONG_TYPE);
	EXPECT_ERR(cloison_domain_set_cspace(made, fx_slot()), EMPTY_SLOT);
	EXPECT_ERR(cloison_domain_set_cspace(made, HC_CSPACE_SLOTS), INVALID_SLOT);
}

/* Handing a CNode to a domain grants every cap in it: write and grant. */
TEST(domain_set_cspace, cnode_rights)
{
	made_cnode = fx_slot();
	ASSERT_OK(cloison_untyped_retype(fx_pool(), CLOISON_TYPE_CNODE, 4, NONE, made_cnode));
	made_w = fx_mint(made_cnode, CLOISON_RIGHT_CNODE_WRITE | CLOISON_RIGHT_CNODE_READ, 0);
	made_g = fx_mint(made_cnode, CLOISON_RIGHT_GRANT | CLOISON_RIGHT_CNODE_READ, 0);
	ASSERT(made_w != NONE && made_g != NONE);
	EXPECT_ERR(cloison_domain_set_cspace(made, made_w), NO_RIGHTS);
	EXPECT_ERR(cloison_domain_set_cspace(made, made_g), NO_RIGHTS);
}

TEST(domain_set_cspace, ok)
{
	ASSERT_OK(cloison_domain_set_cspace(made, made_cnode));
	EXPECT_ERR(cloison_domain_set_cspace(made, made_cnode), BAD_STATE);
	EXPECT_EQ(state_of(made), CLOISON_DOMAIN_CREATED);
}

/* A CNode is one domain's CSpace at most. */
TEST(domain_set_cspace, cnode_taken)
{
	uint64_t other = fx_slot();

	ASSERT_OK(cloison_untyped_retype(fx_pool(), CLOISON_TYPE_DOMAIN, 0, NONE, other));
	EXPECT_ERR(cloison_domain_set_cspace(other, made_cnode), BAD_STATE);
}

/* Whoever holds a cap to the CSpace's CNode could put caps into the domain
 * after it starts: finish_build waits until no cap to it is left but the
 * domain's own (the original and the two mints of cnode_rights). Deleting them leaves
 * the domain's own: a delete never takes a cap's children. */
TEST(domain_finish_build, refused_while_the_cnode_cap_is_held)
{
	EXPECT_ERR(cloison_domain_finish_build(made), BAD_STATE);
	EXPECT_EQ(state_of(made), CLOISON_DOMAIN_CREATED);
	ASSERT_OK(cloison_cap_delete(made_w));
	ASSERT_OK(cloison_cap_delete(made_g));
	EXPECT_ERR(cloison_domain_finish_build(made), BAD_STATE);
	ASSERT_OK(cloison_cap_delete(made_cnode));
}

TEST(domain_finish_build, ok)
{
	ASSERT_OK(cloison_domain_finish_build(made));
	EXPECT_EQ(state_of(made), CLOISON_DOMAIN_BUILT);
	EXPECT_ERR(cloison_domain_finish_build(made), BAD_STATE);
	EXPECT_ERR(cloison_domain_set_cspace(made, made_cnode), BAD_STATE);
	EXPECT_ERR(cloison_domain_stop(made), BAD_STATE);
	EXPECT_ERR(cloison_domain_resume(made), BAD_STATE);
}

TEST(domain_start, lifecycle)
{
	ASSERT_OK(cloison_domain_start(made));
	EXPECT_EQ(state_of(made), CLOISON_DOMAIN_RUNNING);
	EXPECT_ERR(cloison_domain_start(made), BAD_STATE);
	EXPECT_ERR(cloison_domain_resume(made), BAD_STATE);
	ASSERT_OK(cloison_domain_stop(made));
	EXPECT_EQ(state_of(made), CLOISON_DOMAIN_STOPPED);
	EXPECT_ERR(cloison_domain_stop(made), BAD_STATE);
	EXPECT_ERR(cloison_domain_start(made), BAD_STATE);
	ASSERT_OK(cloison_domain_resume(made));
	EXPECT_EQ(state_of(made), CLOISON_DOMAIN_RUNNING);
}

TEST(domain_destroy, made_from_pool)
{
	ASSERT_OK(cloison_domain_destroy(made));
	EXPECT_EQ(state_of(made), CLOISON_DOMAIN_DESTROYED);
	EXPECT_ERR(cloison_domain_destroy(made), BAD_STATE);
	EXPECT_ERR(cloison_domain_start(made), BAD_STATE);
	EXPECT_ERR(cloison_domain_stop(made), BAD_STATE);
	EXPECT_ERR(cloison_domain_resume(made), BAD_STATE);
	EXPECT_ERR(cloison_domain_finish_build(made), BAD_STATE);
}

/* "crasher" runs hostile-undef: it stopped itself with a fault at boot.
 * A faulted domain stays stopped: resume is refused. */
TEST(domain_resume, faulted)
{
	ASSERT(fx_wait_state(fx_crasher(), CLOISON_DOMAIN_STOPPED, 200));
	EXPECT_ERR(cloison_domain_resume(fx_crasher()), BAD_STATE);
	EXPECT_EQ(state_of(fx_crasher()), CLOISON_DOMAIN_STOPPED);
}

TEST(domain_destroy, without_right)
{
	EXPECT_ERR(cloison_domain_destroy(fx_crasher()), NO_RIGHTS);
	EXPECT_ERR(cloison_domain_start(fx_crasher()), NO_RIGHTS);
}

/* The policy's peer: built, not started (autostart = false). */
TEST(domain_query, peer_built)
{
	uint64_t st = 0, t = 1;

	ASSERT_OK(cloison_domain_query(fx_peer(), &st, NULL, &t));
	EXPECT_EQ(st, CLOISON_DOMAIN_BUILT);
	EXPECT_EQ(t, 0); /* never ran */
	EXPECT_ERR(cloison_domain_set_cspace(fx_peer(), fx_cnode()), BAD_STATE);
	EXPECT_ERR(cloison_domain_finish_build(fx_peer()), BAD_STATE);
	EXPECT_ERR(cloison_domain_stop(fx_peer()), BAD_STATE);
	EXPECT_ERR(cloison_domain_resume(fx_peer()), BAD_STATE);
}

/* Handing the console input on takes a console cap with the input right
 * (ours has it; a copy with write only does not), the console right on the
 * domain cap, and a domain that runs: the peer is only built yet. */
TEST(domain_console_attach, refused)
{
	uint64_t q = fx_mint(fx_peer(), CLOISON_RIGHT_DOMAIN_QUERY, 0);
	uint64_t w = fx_mint(fx_console(), CLOISON_RIGHT_CONSOLE_WRITE, 0);

	ASSERT(q != NONE && w != NONE);
	EXPECT_ERR(cloison_domain_console_attach(fx_peer(), w), NO_RIGHTS);
	EXPECT_ERR(cloison_domain_console_attach(fx_peer(), fx_note()), WRONG_TYPE);
	EXPECT_ERR(cloison_domain_console_attach(q, fx_console()), NO_RIGHTS);
	EXPECT_ERR(cloison_domain_console_attach(fx_peer(), fx_console()), BAD_STATE);
	ASSERT_OK(cloison_cap_delete(q));
	ASSERT_OK(cloison_cap_delete(w));
}

/* Started, the peer runs: the first thing it does is signal "note" with
 * its badge 0x100, which our blocking wait receives. */
TEST(domain_start, peer_runs)
{
	uint64_t word = 0, t = 0;

	ASSERT_OK(cloison_domain_start(fx_peer()));
	ASSERT_OK(cloison_notification_wait(fx_note(), &word));
	EXPECT_EQ(word, 0x100);
	ASSERT_OK(cloison_domain_query(fx_peer(), NULL, NULL, &t));
	EXPECT(t > 0);
	EXPECT_EQ(state_of(fx_peer()), CLOISON_DOMAIN_RUNNING);
}

/* The peer then blocks in notification_wait on "gate". A blocked domain
 * uses no CPU time, which is how we see it is there; a second waiter on
 * the same notification is refused. Then we open the gate. */
TEST(notification_wait, second_waiter)
{
	uint64_t t0 = 0, t1 = 0, opener;

	fx_yield(20);
	ASSERT_OK(cloison_domain_query(fx_peer(), NULL, NULL, &t0));
	fx_yield(20);
	ASSERT_OK(cloison_domain_query(fx_peer(), NULL, NULL, &t1));
	ASSERT(t0 == t1); /* else the peer is not blocked: waiting here could hang */
	EXPECT_ERR(cloison_notification_wait(fx_gate(), NULL), BAD_STATE);
	opener = fx_mint(fx_gate(), CLOISON_RIGHT_NOTIFICATION_SIGNAL, 0x2);
	ASSERT(opener != NONE);
	ASSERT_OK(cloison_notification_signal(opener));
	fx_yield(5);
	ASSERT_OK(cloison_domain_query(fx_peer(), NULL, NULL, &t1));
	EXPECT(t1 > t0); /* it woke up and ran */
}

TEST(domain_stop, peer)
{
	uint64_t t0 = 0, t1 = 0;

	ASSERT_OK(cloison_domain_stop(fx_peer()));
	EXPECT_EQ(state_of(fx_peer()), CLOISON_DOMAIN_STOPPED);
	ASSERT_OK(cloison_domain_query(fx_peer(), NULL, NULL, &t0));
	fx_yield(10);
	ASSERT_OK(cloison_domain_query(fx_peer(), NULL, NULL, &t1));
	EXPECT_EQ(t1, t0); /* a stopped domain does not run */
	ASSERT_OK(cloison_domain_resume(fx_peer()));
	EXPECT_EQ(state_of(fx_peer()), CLOISON_DOMAIN_RUNNING);
	EXPECT_ERR(cloison_domain_resume(fx_peer()), BAD_STATE);
	EXPECT_ERR(cloison_domain_start(fx_peer()), BAD_STATE);
}
