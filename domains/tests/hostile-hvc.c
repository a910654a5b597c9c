/* SPDX-License-Identifier: MIT */
/*
 * Hostile: garbage hypercalls, then an hvc with an immediate other than 0.
 *
 * Every garbage call must come back with an error, never succeed and never
 * hurt the hypervisor; this domain prints how many did not. Three kinds,
 * each with pseudo-random argument registers (fixed seed: runs repeat):
 *   - call numbers that do not exist (from CLOISON_HC_COUNT up to 2^64-1)
 *     on the console cap: invalid_op;
 *   - every existing call number on slots this domain does not hold (empty
 *     or beyond its CSpace, slot_none for calls that take a cap);
 *   - existing calls on the console cap with non-zero garbage in every
 *     argument register (the cap-moving/deleting calls are left out: they
 *     could legitimately succeed and cost us the console).
 * Then `hvc #5`: an unknown hypercall immediate, which stops the domain.
 */
#include <domain/runtime.h>

#define ROUNDS 600u

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	/* xorshift64 */
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static bool held(uint64_t slot)
{
	const struct cloison_start_info *si = si_get();

	for (uint32_t i = 0; i < si->n_caps && i < CLOISON_START_INFO_MAX_CAPS; i++)
		if (si->caps[i].slot == slot)
			return true;
	return false;
}

static uint64_t garbage_slot(void)
{
	static const uint64_t edges[] = { 0, 63, 64, 1023, 1024, 4096, 1ull << 32,
					  1ull << 63, CLOISON_SLOT_NONE - 1, CLOISON_SLOT_NONE };
	uint64_t r = next();
	uint64_t s = (r & 1) ? edges[(r >> 1) % (sizeof(edges) / sizeof(edges[0]))]
			     : (r >> 8) % 128u;

	return held(s) ? 0 : s;
}

static bool safe_on_console(uint64_t op)
{
	switch (op) {
	case CLOISON_HC_CAP_COPY:
	case CLOISON_HC_CAP_MINT:
	case CLOISON_HC_CAP_MOVE:
	case CLOISON_HC_CAP_DELETE:
	case CLOISON_HC_CAP_REVOKE:
		return false;
	default:
		return true;
	}
}

static uint64_t nonzero(void)
{
	uint64_t v = next();

	return v ? v : 1;
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t con = si_cap("console");
	uint64_t calls = 0, succeeded = 0;
	struct hvc_regs r;

	printf("issuing garbage hypercalls (3 x %u)\n", ROUNDS);
	for (unsigned i = 0; i < ROUNDS; i++) {
		uint64_t v = next();

		/* 1: numbers that name no call. */
		r.x[0] = con;
		r.x[1] = (i & 1) ? CLOISON_HC_COUNT + v % 1000u : (v | (1ull << 63)) >> (i % 32);
		if (r.x[1] < CLOISON_HC_COUNT)
			r.x[1] = CLOISON_HC_COUNT;
		for (unsigned a = 2; a < 8; a++)
			r.x[a] = next();
		hvc_raw(&r);
		calls++;
		if (r.x[0] != CLOISON_ERR_INVALID_OP) {
			succeeded += r.x[0] == CLOISON_ERR_OK;
			printf("call %llu on the console cap returned %s, not invalid_op\n",
			       (unsigned long long)r.x[1], cloison_err_name(r.x[0]));
		}

		/* 2: every call, on a slot we do not hold. */
		r.x[0] = garbage_slot();
		r.x[1] = i % CLOISON_HC_COUNT;
		/* With slot_none the calls that take no cap (abi_version,
		 * yield, vgic_configure) would be valid with zero arguments:
		 * non-zero garbage in every register makes them invalid too. */
		for (unsigned a = 2; a < 8; a++)
			r.x[a] = (r.x[0] == CLOISON_SLOT_NONE || (next() & 3)) ? nonzero() : 0;
		hvc_raw(&r);
		calls++;
		if (r.x[0] == CLOISON_ERR_OK)
			succeeded++;

		/* 3: calls on the console cap with garbage in every argument. */
		r.x[1] = i % CLOISON_HC_COUNT;
		if (!safe_on_console(r.x[1]))
			continue;
		r.x[0] = con;
		for (unsigned a = 2; a < 8; a++)
			r.x[a] = nonzero();
		hvc_raw(&r);
		calls++;
		if (r.x[0] == CLOISON_ERR_OK)
			succeeded++;
	}
	printf("%llu garbage hypercalls done: %llu unexpectedly succeeded\n",
	       (unsigned long long)calls, (unsigned long long)succeeded);
	printf("issuing hvc #5\n");
	console_flush();
	__asm__ volatile("hvc #5");
	printf("still running after the hostile act!\n");
	return 1;
}
