/* SPDX-License-Identifier: MIT */
/*
 * Model-style tests of the capability core over the small system of
 * capcheck.h (3 CSpaces of 4 slots, one 4-page pool):
 *   - exhaustive: every sequence of 4 operations from a fixed alphabet (so
 *     every sequence of up to 4, as prefixes), invariants checked after every
 *     step;
 *   - random: 10^6 operations with random arguments (fixed seed, printed;
 *     CAPS_SEED=N and CAPS_RANDOM_OPS=N override), same checks.
 * A failure prints the sequence that broke an invariant.
 */
#include "capcheck.h"
#include "harness.h"

#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>

#include <stdlib.h>
#include <time.h>

#define NONE CLOISON_SLOT_NONE
#define PG PAGE_SIZE
#define T(x) CLOISON_TYPE_##x
#define HCN(x) CLOISON_HC_##x

struct step {
	uint8_t dom;
	uint64_t slot, op, a[6];
	const char *what;
};

/*
 * The alphabet: what the three domains can do to each other in the small
 * system (d0 holds the pool and a cnode cap to d1; d1 a notification and a
 * write-only cnode cap to d2; d2 the console). Chosen so that 4 steps reach
 * retype, copies across CSpaces, mint with badges, moves, deletes of middle
 * caps, revokes, pool exhaustion and reuse, and domains with CSpaces.
 */
static const struct step alphabet[] = {
	{ 0, 0, HCN(UNTYPED_RETYPE), { T(NOTIFICATION), 0, NONE, 2 }, "d0 retype notif->2" },
	{ 0, 0, HCN(UNTYPED_RETYPE), { T(FRAME), PG, NONE, 3 }, "d0 retype frame->3" },
	{ 0, 0, HCN(UNTYPED_RETYPE), { T(UNTYPED), 2 * PG, NONE, 2 }, "d0 retype pool->2" },
	{ 0, 0, HCN(UNTYPED_RETYPE), { T(CNODE), 2, NONE, 3 }, "d0 retype cnode->3" },
	{ 0, 0, HCN(UNTYPED_RETYPE), { T(DOMAIN), 0, NONE, 2 }, "d0 retype domain->2" },
	{ 0, 0, HCN(UNTYPED_RETYPE), { T(FRAME), PG, 1, 0 }, "d0 retype frame->d1:0" },
	{ 0, 2, HCN(UNTYPED_RETYPE), { T(FRAME), PG, NONE, 3 }, "d0 retype(2) frame->3" },
	{ 0, 0, HCN(CAP_COPY), { NONE, 2 }, "d0 copy 0->2" },
	{ 0, 2, HCN(CAP_COPY), { NONE, 3 }, "d0 copy 2->3" },
	{ 0, 2, HCN(CAP_COPY), { 1, 0 }, "d0 copy 2->d1:0" },
	{ 0, 3, HCN(CAP_COPY), { 1, 1 }, "d0 copy 3->d1:1" },
	{ 0, 0, HCN(CAP_MINT), { NONE, 3, CLOISON_RIGHT_UNTYPED_RETYPE_FRAME, 0 }, "d0 mint 0->3 rf" },
	{ 0, 2, HCN(CAP_MINT), { NONE, 3, 0x3, 0x5 }, "d0 mint 2->3 badge" },
	{ 0, 2, HCN(CAP_MOVE), { NONE, 3 }, "d0 move 2->3" },
	{ 0, 3, HCN(CAP_MOVE), { 1, 0 }, "d0 move 3->d1:0" },
	{ 0, 2, HCN(CAP_DELETE), { 0 }, "d0 delete 2" },
	{ 0, 3, HCN(CAP_DELETE), { 0 }, "d0 delete 3" },
	{ 0, 0, HCN(CAP_DELETE), { 0 }, "d0 delete 0" },
	{ 0, 0, HCN(CAP_REVOKE), { 0 }, "d0 revoke 0" },
	{ 0, 2, HCN(CAP_REVOKE), { 0 }, "d0 revoke 2" },
	{ 0, 2, HCN(DOMAIN_SET_CSPACE), { 3 }, "d0 set_cspace 2<-3" },
	{ 0, 2, HCN(DOMAIN_DESTROY), { 0 }, "d0 destroy 2" },
	{ 0, 1, HCN(CNODE_DELETE), { 0 }, "d0 cnode_delete d1:0" },
	{ 1, 0, HCN(CAP_COPY), { NONE, 1 }, "d1 copy 0->1" },
	{ 1, 0, HCN(CAP_COPY), { 3, 1 }, "d1 copy 0->d2:1" },
	{ 1, 2, HCN(CAP_MINT), { 3, 2, CLOISON_RIGHT_NOTIFICATION_SIGNAL, 0x9 }, "d1 mint n->d2:2" },
	{ 1, 0, HCN(CAP_REVOKE), { 0 }, "d1 revoke 0" },
	{ 1, 0, HCN(UNTYPED_RETYPE), { T(FRAME), PG, NONE, 1 }, "d1 retype(0) frame->1" },
	{ 2, 2, HCN(NOTIFICATION_SIGNAL), { 0 }, "d2 signal 2" },
	{ 2, 1, HCN(CAP_DELETE), { 0 }, "d2 delete 1" },
	{ 0, 0, HCN(UNTYPED_RETYPE), { T(CHANNEL), PG, NONE, 3 }, "d0 retype channel->3" },
	{ 0, 2, HCN(DOMAIN_FINISH_BUILD), { 0 }, "d0 finish_build 2" },
	{ 0, 2, HCN(DOMAIN_START), { 0 }, "d0 start 2" },
	{ 0, 2, HCN(DOMAIN_SET_CSPACE), { 1 }, "d0 set_cspace 2<-1" },
	{ 0, 0, HCN(CAP_MINT), { 1, 1, CLOISON_RIGHT_UNTYPED_RETYPE_FRAME | CLOISON_RIGHT_GRANT, 0 },
	  "d0 mint 0->d1:1 rf|g" },
	{ 1, 2, HCN(NOTIFICATION_POLL), { 0 }, "d1 poll 2" },
	{ 0, 1, HCN(CNODE_IDENTIFY), { 1 }, "d0 cnode_identify d1:1" },
	{ 1, 1, HCN(UNTYPED_RETYPE), { T(NOTIFICATION), 0, 3, 3 }, "d1 retype(1) notif->d2:3" },
	{ 2, 2, HCN(CAP_COPY), { NONE, 3 }, "d2 copy 2->3" },
	{ 0, 3, HCN(CAP_REVOKE), { 0 }, "d0 revoke 3" },
	{ 0, 3, HCN(UNTYPED_RETYPE), { T(UNTYPED), PG, NONE, 2 }, "d0 retype(3) pool->2" },
};

#define ALPHA ARRAY_SIZE(alphabet)
#define DEPTH 4

static bool run_step(struct capfix *f, const struct step *s, char *msg, size_t n)
{
	uint64_t regs[8];

	regs[0] = s->slot;
	regs[1] = s->op;
	memcpy(&regs[2], s->a, sizeof(s->a));
	return capcheck_call(f->d[s->dom], regs, msg, n);
}

TEST(exhaustive_sequences_of_four_operations)
{
	size_t idx[DEPTH] = { 0 };
	struct capfix f;
	char msg[256];
	uint64_t seqs = 0, steps = 0, ok_steps = 0;
	clock_t t0 = clock();
	int d, k;

	for (;;) {
		capfix_small(&f);
		for (d = 0; d < DEPTH; d++) {
			const struct step *s = &alphabet[idx[d]];

			steps++;
			if (!run_step(&f, s, msg, sizeof(msg))) {
				harness_fail(__FILE__, __LINE__, "after step %d: %s", d + 1, msg);
				for (k = 0; k <= d; k++)
					printf("#   %d: %s\n", k + 1, alphabet[idx[k]].what);
				return;
			}
		}
		seqs++;
		/* next sequence (odometer) */
		for (d = DEPTH - 1; d >= 0; d--) {
			if (++idx[d] < ALPHA)
				break;
			idx[d] = 0;
		}
		if (d < 0)
			break;
	}
	(void)ok_steps;
	printf("# %zu operations, %llu sequences of %d, %llu checked steps, %.1f s\n", ALPHA,
	       (unsigned long long)seqs, DEPTH, (unsigned long long)steps,
	       (double)(clock() - t0) / CLOCKS_PER_SEC);
	EXPECT_EQ(seqs, (uint64_t)ALPHA * ALPHA * ALPHA * ALPHA);
}

/* xorshift64*: small, fixed, reproducible across libcs. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t pick(const uint64_t *v, size_t n)
{
	return v[rng() % n];
}

static uint64_t random_arg(void)
{
	static const uint64_t interesting[] = {
		0, 1, 2, 3, 4, 5, NONE, PG, 2 * PG, 3 * PG, 4 * PG, 100, 1ull << 63,
		UINT64_MAX, 0ull - PG, T(FRAME), T(CNODE), T(DOMAIN), T(NOTIFICATION),
		T(UNTYPED), T(CHANNEL), T(DEVICE), 0xffff, 0x10000,
	};

	switch (rng() % 4) {
	case 0:
		return rng() % 6;
	case 1:
		return rng() & 0xffff; /* rights or badge */
	default:
		return pick(interesting, ARRAY_SIZE(interesting));
	}
}

/* A slot of d's CSpace that holds a cap, most of the time; else anything. */
static uint64_t random_slot(const struct domain *d)
{
	const struct cnode *cn = domain_cspace(d);
	uint64_t i, start = rng() % CAPFIX_SLOTS;

	if (cn && rng() % 8) {
		for (i = 0; i < cn->nslots; i++) {
			uint64_t s = (start + i) % cn->nslots;

			if (!cte_is_empty(&cn->slots[s]))
				return s;
		}
	}
	return rng() % 8 == 0 ? random_arg() : rng() % (CAPFIX_SLOTS + 1);
}

static uint64_t random_dest_cnode(const struct domain *d)
{
	return rng() % 2 ? NONE : random_slot(d);
}

/* Registers for one call: valid-looking most of the time, raw sometimes. */
static void random_call(const struct domain *d, uint64_t regs[8])
{
	static const uint64_t types[] = { T(FRAME), T(CNODE), T(DOMAIN), T(NOTIFICATION),
					  T(UNTYPED), T(CHANNEL), T(DEVICE), 0, 77 };
	static const uint64_t sizes[] = { 0, 1, 2, PG, 2 * PG, 100, 1ull << 63 };
	int j;

	memset(regs, 0, 8 * sizeof(uint64_t));
	regs[0] = random_slot(d);
	/* creation weighted up, or the system drains to empty CSpaces */
	static const uint64_t ops[] = {
		HCN(UNTYPED_RETYPE), HCN(UNTYPED_RETYPE), HCN(UNTYPED_RETYPE),
		HCN(CAP_COPY), HCN(CAP_COPY), HCN(CAP_MINT), HCN(CAP_MINT), HCN(CAP_MOVE),
		HCN(CAP_DELETE), HCN(CAP_REVOKE), HCN(CAP_IDENTIFY), HCN(UNTYPED_QUERY),
		HCN(NOTIFICATION_SIGNAL), HCN(NOTIFICATION_POLL), HCN(DOMAIN_SET_CSPACE),
		HCN(DOMAIN_FINISH_BUILD), HCN(DOMAIN_START), HCN(DOMAIN_STOP),
		HCN(DOMAIN_RESUME), HCN(DOMAIN_DESTROY), HCN(DOMAIN_QUERY),
		HCN(CNODE_IDENTIFY), HCN(CNODE_DELETE), HCN(CONSOLE_WRITE), HCN(ABI_VERSION),
	};

	regs[1] = rng() % 32 == 0 ? rng() % 40 : pick(ops, ARRAY_SIZE(ops));
	if (regs[1] == HCN(ABI_VERSION) || regs[1] == HCN(YIELD))
		regs[0] = rng() % 4 ? NONE : regs[0];
	switch (regs[1]) {
	case CLOISON_HC_CAP_COPY:
	case CLOISON_HC_CAP_MOVE:
	case CLOISON_HC_CAP_MINT:
		regs[2] = random_dest_cnode(d);
		regs[3] = rng() % (CAPFIX_SLOTS + 1);
		if (regs[1] == CLOISON_HC_CAP_MINT) {
			regs[4] = rng() % 4 ? rng() & 0x3f : rng() & 0xffff;
			regs[5] = rng() % 2 ? 0 : 1ull << (rng() % 64);
		}
		break;
	case CLOISON_HC_UNTYPED_RETYPE:
		regs[2] = pick(types, ARRAY_SIZE(types));
		regs[3] = regs[2] == T(NOTIFICATION) || regs[2] == T(DOMAIN) ?
				  (rng() % 8 ? 0 : PG) :
				  pick(sizes, ARRAY_SIZE(sizes));
		regs[4] = random_dest_cnode(d);
		regs[5] = rng() % (CAPFIX_SLOTS + 1);
		break;
	case CLOISON_HC_DOMAIN_SET_CSPACE:
		regs[2] = random_slot(d);
		break;
	case CLOISON_HC_CNODE_IDENTIFY:
	case CLOISON_HC_CNODE_DELETE:
		regs[2] = rng() % (CAPFIX_SLOTS + 1);
		break;
	case CLOISON_HC_CONSOLE_WRITE:
		regs[2] = rng() % 48;
		for (j = 3; j < 8; j++)
			regs[j] = rng();
		break;
	default:
		break;
	}
	if (rng() % 16 == 0) /* a stray register */
		regs[2 + rng() % 6] = random_arg();
}

TEST(random_operations)
{
	struct capfix f;
	char msg[256];
	const char *env = getenv("CAPS_SEED");
	const char *nenv = getenv("CAPS_RANDOM_OPS");
	uint64_t seed = env ? strtoull(env, NULL, 0) : 0xc1015011ull;
	uint64_t nops = nenv ? strtoull(nenv, NULL, 0) : 1000000ull;
	uint64_t i, okc = 0, hist[CLOISON_ERR_COUNT] = { 0 };
	uint64_t regs[8];
	clock_t t0 = clock();
	int j;

	printf("# seed 0x%llx, %llu operations\n", (unsigned long long)seed,
	       (unsigned long long)nops);
	rng_state = seed ? seed : 1;
	capfix_small(&f);
	for (i = 0; i < nops; i++) {
		uint64_t dom = rng() % 3;

		if (i % 64 == 0)
			capfix_small(&f);
		random_call(f.d[dom], regs);
		if (!capcheck_call(f.d[dom], regs, msg, sizeof(msg))) {
			harness_fail(__FILE__, __LINE__, "op %llu (d%llu call %llu): %s",
				     (unsigned long long)i, (unsigned long long)dom,
				     (unsigned long long)regs[1], msg);
			return;
		}
		hist[regs[0]]++;
		okc += regs[0] == CLOISON_ERR_OK;
	}
	printf("# %llu ok, %.1f s; errors:", (unsigned long long)okc,
	       (double)(clock() - t0) / CLOCKS_PER_SEC);
	for (j = 1; j < (int)CLOISON_ERR_COUNT; j++)
		printf(" %s=%llu", cloison_err_name((uint64_t)j), (unsigned long long)hist[j]);
	printf("\n");
	/* the generator must reach the interesting paths, not only errors */
	EXPECT(okc > nops / 10);
	EXPECT(hist[CLOISON_ERR_NO_MEMORY] > 0);
	EXPECT(hist[CLOISON_ERR_BAD_STATE] > 0);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}
