/* SPDX-License-Identifier: MIT */
/*
 * Preemptible calls (hypercall.h): revoke and the zeroing of retype run in
 * bounded chunks, each execution of the call continuing where the last one
 * stopped. Checked here, through the invariant checker (capcall.c runs a
 * preempted call chunk by chunk and checks every invariant at every
 * boundary):
 *   - with the smallest chunk (one step, one page) a call stops at every
 *     boundary it has, and the end state is the one an uninterrupted call
 *     leaves (same slots, same objects, same pools);
 *   - revoke is linear: a chain N deep and a tree N wide take at most 2N
 *     steps (it used to walk down from the revoked cap for every deletion);
 *   - what another domain does between two chunks (retype from the same
 *     pool, revoke inside the tree) cannot break the call or leak memory.
 */
#include "capcall.h"
#include "capcheck.h"
#include "fake.h"
#include "harness.h"
#include "hypercall_dispatch.h"

#include <arch/mem.h>
#include <arch/stage2.h>
#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/bootcap.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/memobj.h>
#include <cloison/object.h>
#include <cloison/untyped.h>

#include <stdlib.h>

#define NONE CLOISON_SLOT_NONE
#define PG PAGE_SIZE
#define BIG_SLOTS 1024u
#define POOL_SIZE (2ull << 20)

/* Two domains with big CSpaces; d0 slot 0 = the pool, slot 1 = d1's CSpace. */
static struct domain *D0, *D1;
static struct untyped *POOL;

static void setup_big(void)
{
	paddr_t pool;

	capfix_base(&pool, POOL_SIZE);
	POOL = bootcap_untyped(pool, POOL_SIZE);
	D0 = bootcap_domain(BIG_SLOTS);
	D1 = bootcap_domain(BIG_SLOTS);
	if (!POOL || !D0 || !D1 ||
	    bootcap_install(D0, 0, &POOL->obj, CLOISON_RIGHTS_UNTYPED_ALL, 0) ||
	    bootcap_install(D0, 1, &domain_cspace(D1)->obj, CLOISON_RIGHTS_CNODE_ALL, 0))
		abort();
	bootcap_finish();
	capcall_broken = false;
	capcheck_restarts = 0;
	hc_chunk = (struct hc_chunk){ HC_CHUNK_REVOKE_STEPS, HC_CHUNK_ZERO_BYTES,
				      HC_CHUNK_REAP_UNITS, HC_CHUNK_UNMAP_BYTES };
}

static struct cte *slot_of(struct domain *d, uint64_t i)
{
	return cnode_slot(domain_cspace(d), i);
}

/* A snapshot of everything a revoke can change, to compare two runs. */
struct snap {
	uint64_t words[2][BIG_SLOTS][3];
	uint64_t nobj, mark, zero_check;
	uint64_t ids[BIG_SLOTS * 2];
};

static void snap_take(struct snap *s)
{
	const struct object *o;
	uint64_t n = 0;

	memset(s, 0, sizeof(*s));
	for (int d = 0; d < 2; d++)
		for (uint32_t i = 0; i < BIG_SLOTS; i++) {
			const struct cte *c = slot_of(d ? D1 : D0, i);

			s->words[d][i][0] = c->cap.w[0];
			/* Objects by id (addresses are the same in both runs, but
			 * ids also say which object, not only where). */
			s->words[d][i][1] = cte_is_empty(c) ? 0 : cap_object(&c->cap)->id;
			s->words[d][i][2] = c->cap.w[2];
		}
	for (o = object_first(); o && n < BIG_SLOTS * 2; o = object_next(o))
		s->ids[n++] = o->id;
	s->nobj = object_count();
	s->mark = POOL->mark;
}

/*
 * A tree over both CSpaces: a chain, a fan, CNodes retyped from the pool
 * that hold caps of the tree (so finalisation cascades across chunk
 * boundaries), and frames. Deterministic: the same calls in both runs.
 */
static void build_tree(unsigned int seed)
{
	uint64_t used[BIG_SLOTS];
	unsigned int n = 0;

	srand(seed);
	/* slot 2: a frame; 3: a CNode of 64 slots; 4: a copy of the pool */
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 4 * PG, NONE, 2),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 64, NONE, 3), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, 4), CLOISON_ERR_OK);
	used[n++] = 4;
	for (uint64_t s = 5; s < 400; s++) {
		uint64_t src = used[(unsigned int)rand() % n];

		if (rand() % 4 == 0)
			src = used[n - 1]; /* grow a chain */
		EXPECT_EQ(HC(D0, src, CAP_COPY, NONE, s), CLOISON_ERR_OK);
		used[n++] = s;
	}
	/* Caps of the tree in d1 (through d0's cap on d1's CSpace) and in the
	 * CNode of slot 3, minted and copied from all over the tree. */
	for (uint64_t s = 0; s < 200; s++)
		EXPECT_EQ(HC(D0, used[(unsigned int)rand() % n], CAP_COPY, 1, s), CLOISON_ERR_OK);
	for (uint64_t s = 0; s < 64; s++)
		EXPECT_EQ(HC(D0, used[(unsigned int)rand() % n], CAP_COPY, 3, s), CLOISON_ERR_OK);
	/* The CNode's only cap goes into itself and into d1: it is then
	 * finalised by the revoke, in the middle of it. */
	EXPECT_EQ(HC(D0, 3, CAP_COPY, 1, 300), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 3, CAP_MOVE, 1, 301), CLOISON_ERR_OK);
	EXPECT(!capcall_broken);
}

TEST(revoke_interrupted_at_every_step_ends_as_an_uninterrupted_revoke)
{
	static struct snap whole, chunked;

	for (unsigned int seed = 1; seed <= 3; seed++) {
		uint64_t restarts;

		setup_big();
		build_tree(seed);
		hc_chunk.revoke_steps = UINT32_MAX;
		EXPECT_EQ(HC(D0, 0, CAP_REVOKE, 0), CLOISON_ERR_OK);
		EXPECT_EQ(capcheck_restarts, 0);
		snap_take(&whole);

		setup_big();
		build_tree(seed);
		hc_chunk.revoke_steps = 1;
		EXPECT_EQ(HC(D0, 0, CAP_REVOKE, 0), CLOISON_ERR_OK);
		restarts = capcheck_restarts;
		/* 400 + 200 + 64 + 2 descendants plus the pool's retypes: one
		 * boundary per step, at most two steps per descendant. */
		EXPECT(restarts >= 600);
		EXPECT(restarts <= 2 * 700);
		snap_take(&chunked);
		EXPECT(memcmp(&whole, &chunked, sizeof(whole)) == 0);
		/* Nothing of the pool is left: every object carved from it died. */
		EXPECT_EQ(chunked.mark, 0);
		EXPECT(!capcall_broken);
	}
}

TEST(revoke_chunk_sizes_give_the_same_result)
{
	static struct snap ref, got;
	static const uint32_t sizes[] = { UINT32_MAX, 2, 3, 7, 64 };

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		setup_big();
		build_tree(42);
		hc_chunk.revoke_steps = sizes[k];
		EXPECT_EQ(HC(D0, 4, CAP_REVOKE, 0), CLOISON_ERR_OK);
		snap_take(k ? &got : &ref);
		if (k)
			EXPECT(memcmp(&ref, &got, sizeof(ref)) == 0);
		EXPECT(!capcall_broken);
	}
}

TEST(revoke_of_a_deep_chain_is_linear)
{
	const uint64_t depth = BIG_SLOTS - 3;

	setup_big();
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, 2), CLOISON_ERR_OK);
	for (uint64_t s = 3; s < 2 + depth; s++)
		EXPECT_EQ(HC(D0, s - 1, CAP_COPY, NONE, s), CLOISON_ERR_OK);
	hc_chunk.revoke_steps = 1;
	EXPECT_EQ(HC(D0, 0, CAP_REVOKE, 0), CLOISON_ERR_OK);
	/* depth - 1 descendants below slot 2 plus slot 2: each lifted at most
	 * once and deleted once. */
	EXPECT(capcheck_restarts <= 2 * depth);
	EXPECT(capcheck_restarts >= depth - 1);
	for (uint64_t s = 2; s < 2 + depth; s++)
		EXPECT(cte_is_empty(slot_of(D0, s)));
	EXPECT(!capcall_broken);
}

TEST(revoke_of_a_wide_tree_is_linear)
{
	setup_big();
	EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, 2), CLOISON_ERR_OK);
	for (uint64_t s = 3; s < BIG_SLOTS; s++)
		EXPECT_EQ(HC(D0, 2, CAP_COPY, NONE, s), CLOISON_ERR_OK);
	hc_chunk.revoke_steps = 1;
	EXPECT_EQ(HC(D0, 0, CAP_REVOKE, 0), CLOISON_ERR_OK);
	EXPECT(capcheck_restarts <= BIG_SLOTS);
	EXPECT(capcheck_restarts >= BIG_SLOTS - 3);
	EXPECT(cte_is_empty(slot_of(D0, 2)));
	EXPECT(!capcall_broken);
}

/* One chunk at a time by hand, so that other calls can run in between. */
static uint64_t once(struct domain *d, uint64_t regs[8], bool *again)
{
	hypercall_dispatch(d, regs);
	*again = hypercall_take_restart(regs);
	return regs[0];
}

TEST(revoke_continues_after_other_domains_change_the_tree)
{
	uint64_t regs[8] = { 4, CLOISON_HC_CAP_REVOKE };
	char msg[256];
	bool again = true;
	unsigned int rounds = 0;

	setup_big();
	build_tree(7);
	hc_chunk.revoke_steps = 5;
	while (again) {
		EXPECT_EQ(once(D0, regs, &again), again ? 4 : CLOISON_ERR_OK);
		/* Between chunks: d1 deletes and revokes caps of the tree, d0
		 * makes new children of slot 4 (the revoke must take them too). */
		if (again && rounds < 50) {
			uint64_t s = (uint64_t)rand() % 200;

			if (!cte_is_empty(slot_of(D1, s)))
				capcall(D1, s, rounds % 2 ? CLOISON_HC_CAP_DELETE
							  : CLOISON_HC_CAP_REVOKE,
					(const uint64_t[6]){ 0 });
			HC(D0, 4, CAP_COPY, NONE, 500 + rounds);
		}
		EXPECT(capcheck_verify(msg, sizeof(msg)));
		rounds++;
	}
	EXPECT(rounds > 50);
	EXPECT(slot_of(D0, 4)->first_child == NULL);
	for (uint64_t s = 5; s < 600; s++)
		EXPECT(cte_is_empty(slot_of(D0, s)));
	EXPECT(!capcall_broken);
}

static bool all_zero(const void *p, uint64_t size)
{
	const uint8_t *b = p;

	for (uint64_t i = 0; i < size; i++)
		if (b[i])
			return false;
	return true;
}

TEST(retype_zeroes_in_chunks_and_makes_the_object_only_at_the_end)
{
	uint64_t regs[8] = { 0, CLOISON_HC_UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 64 * PG, NONE, 2 };
	uint64_t nobj;
	bool again = true;
	unsigned int chunks = 0;
	const struct memobj *m;

	setup_big();
	/* Dirty the whole pool as a previous owner would have left it. */
	memset(arch_mem_ptr(POOL->base, POOL_SIZE), 0x5a, POOL_SIZE);
	hc_chunk.zero_bytes = PG;
	nobj = object_count();
	while (again) {
		EXPECT_EQ(once(D0, regs, &again), again ? 0 : CLOISON_ERR_OK);
		if (again) {
			/* Not made yet, not reachable: no object, no cap. */
			EXPECT_EQ(object_count(), nobj);
			EXPECT(cte_is_empty(slot_of(D0, 2)));
			EXPECT_EQ(regs[1], CLOISON_HC_UNTYPED_RETYPE);
			EXPECT_EQ(regs[3], 64 * PG);
			chunks++;
		}
	}
	/* the header's page and 64 data pages, one page per chunk */
	EXPECT(chunks >= 64 && chunks <= 66);
	EXPECT_EQ(object_count(), nobj + 1);
	ASSERT(cap_type(&slot_of(D0, 2)->cap) == CLOISON_TYPE_FRAME);
	m = (const struct memobj *)(const void *)cap_object(&slot_of(D0, 2)->cap);
	EXPECT(all_zero(arch_mem_ptr(m->base, m->size), m->size));
}

TEST(retype_preempted_while_another_retype_takes_the_same_pool)
{
	uint64_t regs[8] = { 0, CLOISON_HC_UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 64 * PG, NONE, 2 };
	char msg[256];
	bool again = true;
	unsigned int chunks = 0;
	const struct memobj *m;

	setup_big();
	memset(arch_mem_ptr(POOL->base, POOL_SIZE), 0x5a, POOL_SIZE);
	hc_chunk.zero_bytes = PG;
	while (again) {
		once(D0, regs, &again);
		/* Midway, another retype from the same pool (through a copy of
		 * the pool cap): it is carved first, where the big one was
		 * being zeroed; the big one then continues after it. */
		if (++chunks == 10) {
			EXPECT_EQ(HC(D0, 0, CAP_COPY, NONE, 3), CLOISON_ERR_OK);
			EXPECT_EQ(HC(D0, 3, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 3 * PG, NONE, 4),
				  CLOISON_ERR_OK);
		}
		EXPECT(capcheck_verify(msg, sizeof(msg)));
	}
	EXPECT_EQ(regs[0], CLOISON_ERR_OK);
	ASSERT(cap_type(&slot_of(D0, 2)->cap) == CLOISON_TYPE_FRAME);
	m = (const struct memobj *)(const void *)cap_object(&slot_of(D0, 2)->cap);
	EXPECT(all_zero(arch_mem_ptr(m->base, m->size), m->size));
	EXPECT(!capcall_broken);
}

TEST(abandoned_retype_leaves_nothing_and_reuse_is_zeroed)
{
	uint64_t regs[8] = { 0, CLOISON_HC_UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 64 * PG, NONE, 2 };
	bool again;

	setup_big();
	memset(arch_mem_ptr(POOL->base, POOL_SIZE), 0x5a, POOL_SIZE);
	hc_chunk.zero_bytes = PG;
	for (int i = 0; i < 20; i++)
		once(D0, regs, &again);
	EXPECT(again);
	EXPECT(cte_is_empty(slot_of(D0, 2)));
	/* The caller went away; the pool is used and reclaimed meanwhile
	 * (capcall dirties every frame it sees made), and a later retype of
	 * the same memory must still be zero: the zeroed mark fell with the
	 * pool's mark. */
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 16 * PG, NONE, 5), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, CAP_REVOKE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(POOL->mark, 0);
	EXPECT_EQ(POOL->zeroed, 0);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 64 * PG, NONE, 2), CLOISON_ERR_OK);
	EXPECT(!capcall_broken);
}

/*
 * A CNode of BIG_SLOTS slots full of caps, one of them the last cap to
 * another full CNode (finalisation cascades), and the only cap to the big
 * one in slot 2 of d0.
 */
static void build_full_cnodes(void)
{
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_NOTIFICATION, 0, NONE, 3), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, BIG_SLOTS, NONE, 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 256, NONE, 4), CLOISON_ERR_OK);
	for (uint64_t i = 0; i < 256; i++)
		EXPECT_EQ(HC(D0, 3, CAP_COPY, 4, i), CLOISON_ERR_OK);
	for (uint64_t i = 1; i < BIG_SLOTS; i += 1 + i % 3)
		EXPECT_EQ(HC(D0, 3, CAP_COPY, 2, i), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 4, CAP_MOVE, 2, 0), CLOISON_ERR_OK);
	EXPECT(!capcall_broken);
}

TEST(cnode_finalised_in_chunks_ends_as_at_once)
{
	static struct snap whole, chunked;
	uint64_t nobj;

	setup_big();
	build_full_cnodes();
	capcheck_restarts = 0; /* the big CNode's retype zeroed in chunks */
	hc_chunk.reap_units = UINT64_MAX;
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(capcheck_restarts, 0);
	snap_take(&whole);

	setup_big();
	build_full_cnodes();
	nobj = object_count();
	capcheck_restarts = 0;
	hc_chunk.reap_units = 1;
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	/* One boundary per slot looked at, both CNodes (less the first slot,
	 * done by the delete itself, and the last): every invariant was
	 * checked at each (capcall.c). */
	EXPECT(capcheck_restarts >= BIG_SLOTS + 256 - 2);
	snap_take(&chunked);
	EXPECT(memcmp(&whole, &chunked, sizeof(whole)) == 0);
	EXPECT_EQ(object_count(), nobj - 2);
	EXPECT(!object_reap_pending());
	EXPECT(!capcall_broken);
}

TEST(dying_cnode_while_other_calls_run)
{
	uint64_t regs[8] = { 2, CLOISON_HC_CAP_DELETE };
	char msg[256];
	unsigned int chunks = 0;
	bool again;

	setup_big();
	build_full_cnodes();
	hc_chunk.reap_units = 16;
	once(D0, regs, &again);
	EXPECT(!again);
	EXPECT_EQ(regs[0], CLOISON_ERR_OK);
	ASSERT(object_reap_pending());
	/* The cap is gone at once; the CNode's slots go chunk by chunk. */
	EXPECT(cte_is_empty(slot_of(D0, 2)));
	while (!object_reap(hc_chunk.reap_units)) {
		/* Meanwhile: a revoke reaches caps still in the dying CNodes,
		 * new objects are made from the same pool, and the pool is
		 * not handed out again under the dying ones. */
		if (chunks == 3) {
			uint64_t r[8] = { 3, CLOISON_HC_CAP_REVOKE };

			do
				once(D0, r, &again);
			while (again);
			EXPECT_EQ(r[0], CLOISON_ERR_OK);
		}
		if (chunks == 5) {
			uint64_t r[8] = { 0, CLOISON_HC_UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 2 * PG,
					  NONE, 5 };

			EXPECT_EQ(once(D0, r, &again), CLOISON_ERR_OK);
		}
		EXPECT(capcheck_verify(msg, sizeof(msg)));
		chunks++;
	}
	EXPECT(chunks > 5);
	EXPECT(capcheck_verify(msg, sizeof(msg)));
	/* Everything but the notification and the frame is gone. */
	EXPECT_EQ(HC(D0, 3, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 5, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(POOL->mark, 0);
	EXPECT(!capcall_broken);
}

/* ---- map and unmap, a page per chunk on the fake stage 2 ---- */

static struct arch_stage2 s2_d0;

static void setup_mapped(void)
{
	setup_big();
	fake_stage2_reset();
	arch_stage2_init(&s2_d0, 1, 0);
	D0->s2 = &s2_d0;
	hc_chunk.unmap_bytes = PG;
	/* slot 2: a 16-page frame */
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, 16 * PG, NONE, 2), CLOISON_ERR_OK);
	capcheck_restarts = 0;
}

#define RW (CLOISON_RIGHT_FRAME_READ | CLOISON_RIGHT_FRAME_WRITE)
#define MAP_AT 0x80000000ull

TEST(map_and_unmap_run_in_chunks)
{
	setup_mapped();
	EXPECT_EQ(HC(D0, 2, MEMORY_MAP, MAP_AT, RW), CLOISON_ERR_OK);
	EXPECT_EQ(capcheck_restarts, 15); /* 16 pages, one per chunk */
	EXPECT_EQ(fake_stage2_mapped(&s2_d0), 16 * PG);
	/* Mapped: a second map is refused, not continued. */
	EXPECT_EQ(HC(D0, 2, MEMORY_MAP, MAP_AT, RW), CLOISON_ERR_BAD_STATE);
	capcheck_restarts = 0;
	EXPECT_EQ(HC(D0, 2, MEMORY_UNMAP, 0), CLOISON_ERR_OK);
	EXPECT_EQ(capcheck_restarts, 15);
	EXPECT_EQ(fake_stage2_mapped(&s2_d0), 0);
	EXPECT(slot_of(D0, 2)->map_s2 == NULL);
	/* Mapped again, then the cap deleted: the delete unmaps in chunks
	 * first, then goes. */
	EXPECT_EQ(HC(D0, 2, MEMORY_MAP, MAP_AT, RW), CLOISON_ERR_OK);
	capcheck_restarts = 0;
	EXPECT_EQ(HC(D0, 2, CAP_DELETE, 0), CLOISON_ERR_OK);
	EXPECT_EQ(capcheck_restarts, 15);
	EXPECT_EQ(fake_stage2_mapped(&s2_d0), 0);
	EXPECT(cte_is_empty(slot_of(D0, 2)));
	EXPECT(!capcall_broken);
}

TEST(revoke_unmaps_in_chunks)
{
	setup_mapped();
	EXPECT_EQ(HC(D0, 2, CAP_COPY, NONE, 3), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 3, MEMORY_MAP, MAP_AT, RW), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 2, CAP_COPY, NONE, 4), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 4, MEMORY_MAP, MAP_AT + 64 * PG, RW), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 4, CAP_MOVE, NONE, 5), CLOISON_ERR_BAD_STATE); /* mapped: no move */
	EXPECT_EQ(fake_stage2_mapped(&s2_d0), 32 * PG);
	hc_chunk.revoke_steps = 1;
	capcheck_restarts = 0;
	EXPECT_EQ(HC(D0, 2, CAP_REVOKE, 0), CLOISON_ERR_OK);
	/* 2 x 16 pages unmapped a page per step, each cap deleted in the step
	 * that unmaps its last page: 32 steps, 31 boundaries. */
	EXPECT_EQ(capcheck_restarts, 31);
	EXPECT_EQ(fake_stage2_mapped(&s2_d0), 0);
	EXPECT(cte_is_empty(slot_of(D0, 3)) && cte_is_empty(slot_of(D0, 4)));
	EXPECT(!capcall_broken);
}

TEST(map_preempted_then_range_taken_is_refused_and_undone)
{
	uint64_t regs[8] = { 2, CLOISON_HC_MEMORY_MAP, MAP_AT, RW };
	bool again;

	setup_mapped();
	for (int i = 0; i < 4; i++)
		once(D0, regs, &again);
	EXPECT(again);
	EXPECT_EQ(fake_stage2_mapped(&s2_d0), 4 * PG);
	/* Between chunks, another frame is mapped where the rest would go. */
	EXPECT_EQ(HC(D0, 0, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, 3), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, 3, MEMORY_MAP, MAP_AT + 8 * PG, RW), CLOISON_ERR_OK);
	/* The map, re-executed, now fails: the part mapped stays, recorded
	 * in the slot, and an unmap (or the cap's deletion) undoes it. */
	once(D0, regs, &again);
	EXPECT(!again);
	EXPECT_EQ(regs[0], CLOISON_ERR_INVALID_ARGUMENT);
	/* A different call (another IPA) does not continue it either. */
	EXPECT_EQ(HC(D0, 2, MEMORY_MAP, MAP_AT + 256 * PG, RW), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, 2, MEMORY_UNMAP, 0), CLOISON_ERR_OK);
	EXPECT_EQ(fake_stage2_mapped(&s2_d0), PG); /* frame 3 only */
	EXPECT(!capcall_broken);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}
