/* SPDX-License-Identifier: MIT */
/*
 * In-QEMU hypercall fuzzer. Issues HCFUZZ_CALLS hypercalls from a seeded
 * PRNG: half of them raw (random call numbers, slots and arguments), half
 * steps of valid sequences that build and tear down objects (retype of every
 * retypable type, copy, mint, move, delete, revoke, map and unmap,
 * notification and channel calls, CNodes as destinations), with the pool
 * revoked every REVOKE_EVERY steps. What it checks from inside:
 *   - no call answers with an error code outside the ABI's list;
 *   - after each revoke of the pool all its memory is free again
 *     (untyped_query), so no object outlives its caps;
 *   - at the end every scratch slot is empty once the pool and the policy's
 *     caps are revoked, and the policy's caps are still there.
 * Then it prints the live capability dump (system_audit_dump), which the
 * toolstack test compares with the policy (docs/auditing.md), sleeps so the
 * heartbeat domain is seen beating after the run, and powers off. A
 * hypervisor panic or hang fails the scenario (tests/system/runner.py).
 *
 * Calls left out of the raw half, because they would end the test rather
 * than test the hypervisor: system_poweroff; the blocking waits (nobody
 * else signals; channel_signal_wait stays, with a cap to wait on that it
 * refuses); vgic_configure (it could switch off the timer interrupt the
 * runtime sleeps on); and delete/move of the policy's own caps (slots below
 * FIRST_SCRATCH), which the checks at the end need.
 */
#include <domain/hvc.h>
#include <domain/runtime.h>
#include <domain/test.h>

#ifndef HCFUZZ_CALLS
#define HCFUZZ_CALLS 100000u
#endif
#ifndef HCFUZZ_SEED
#define HCFUZZ_SEED 0x2545f4914f6cdd1dull
#endif

#define NONE CLOISON_SLOT_NONE
#define FIRST_SCRATCH 16u
#define SLOTS 256u /* cspace_slots in hcfuzz.toml */
#define PAGE 4096u
#define MAP_WINDOW 0x80000000ull /* IPAs the fuzzer maps at: 2 MiB of pages */
#define REVOKE_EVERY 500u
#define MAX_CALL (CLOISON_HC_COUNT + 4u) /* a few numbers past the last call: invalid_op */

static uint64_t rng = HCFUZZ_SEED;
static uint64_t pool, pool_size, calls, bad_errors, leaks, irqs;
static uint64_t ok_by_call[MAX_CALL];

/* Hypercalls the hypervisor has taken (system_stats): more than we made
 * when preempted calls were executed again. */
static uint64_t hvcs(void)
{
	uint64_t e = 0, sw = 0, v = 0, h = 0;

	cloison_system_stats(si_cap("system"), &e, &sw, &v, &h);
	return h;
}

static uint64_t rnd(void)
{
	/* xorshift64* (Marsaglia; Vigna's multiplier) */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t n)
{
	return rnd() % n;
}

/* Unexpected vIRQs (a bound notification signalled) are counted, not fatal. */
void irq_handler(uint32_t intid)
{
	(void)intid;
	irqs++;
}

static uint64_t call(struct hvc_regs *r)
{
	uint64_t op = r->x[1];

	hvc_raw(r);
	calls++;
	if (r->x[0] >= CLOISON_ERR_COUNT) {
		if (bad_errors++ < 5)
			printf("call %llu answered undefined error %llu\n", (unsigned long long)op,
			       (unsigned long long)r->x[0]);
	} else if (r->x[0] == CLOISON_ERR_OK && op < MAX_CALL) {
		ok_by_call[op]++;
	}
	return r->x[0];
}

static uint64_t hc(uint64_t slot, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2,
		   uint64_t a3)
{
	struct hvc_regs r = { { slot, op, a0, a1, a2, a3, 0, 0 } };

	return call(&r);
}

static uint64_t scratch(void)
{
	return FIRST_SCRATCH + below(SLOTS - FIRST_SCRATCH);
}

static uint64_t type_of(uint64_t slot)
{
	struct hvc_regs r = { { slot, CLOISON_HC_CAP_IDENTIFY } };

	return call(&r) == CLOISON_ERR_OK ? r.x[1] : CLOISON_TYPE_NONE;
}

/* Slots that recently received a cap: where to look for live ones (most
 * scratch slots are empty, and each look is a cap_identify call). */
#define RECENT 64u
static uint64_t recent[RECENT];
static uint32_t recent_n;

static void note_dest(uint64_t err, uint64_t slot)
{
	if (err == CLOISON_ERR_OK && slot >= FIRST_SCRATCH && slot < SLOTS)
		recent[recent_n++ % RECENT] = slot;
}

/* A scratch slot holding a cap of `type` (any type: CLOISON_TYPE_NONE), or
 * an empty one when `empty`; a few tries, then any scratch slot. */
static uint64_t pick(uint64_t type, bool empty)
{
	for (int i = 0; i < 6; i++) {
		uint64_t s = empty || !recent_n ? scratch()
						: recent[below(recent_n < RECENT ? recent_n : RECENT)];
		uint64_t t = type_of(s);

		if (empty ? t == CLOISON_TYPE_NONE
			  : t != CLOISON_TYPE_NONE && (type == CLOISON_TYPE_NONE || t == type))
			return s;
	}
	return scratch();
}

static uint64_t rnd_slot(void)
{
	switch (below(16)) {
	case 0:
		return below(FIRST_SCRATCH); /* the policy's caps */
	case 1:
		return below(SLOTS + 16); /* past the end too */
	case 2:
		return rnd();
	case 3:
		return NONE;
	default:
		return scratch();
	}
}

static uint64_t rnd_arg(void)
{
	switch (below(9)) {
	case 0:
		return 0;
	case 1:
		return below(8);
	case 2:
		return rnd_slot();
	case 3:
		return below(64) * PAGE;
	case 4:
		return rnd();
	case 5:
		return NONE;
	case 6:
		return 1ull << below(64);
	case 7:
		return MAP_WINDOW + below(512) * PAGE;
	default:
		return below(CLOISON_TYPE_COUNT + 2);
	}
}

static void raw_call(void)
{
	struct hvc_regs r;
	uint64_t op = below(MAX_CALL);

	if (op == CLOISON_HC_SYSTEM_POWEROFF || op == CLOISON_HC_NOTIFICATION_WAIT ||
	    op == CLOISON_HC_CHANNEL_WAIT || op == CLOISON_HC_VGIC_CONFIGURE ||
	    op == CLOISON_HC_VMM_WAIT)
		op = CLOISON_HC_CAP_IDENTIFY;
	r.x[0] = rnd_slot();
	r.x[1] = op;
	/* Mostly as many arguments as a call takes (the rest 0), sometimes
	 * junk in every register (invalid_argument). */
	for (int i = 2; i < 8; i++)
		r.x[i] = (below(8) == 0 || i < 2 + (int)below(5)) ? rnd_arg() : 0;
	/* channel_signal_wait: every check of x0 and of the cap to wait on,
	 * but never a wait that could block (a channel, or slot_none's WFI):
	 * the signal half runs only when the wait half is allowed. */
	if (op == CLOISON_HC_CHANNEL_SIGNAL_WAIT &&
	    (r.x[2] == NONE || type_of(r.x[2]) == CLOISON_TYPE_CHANNEL))
		r.x[2] = below(2) ? SLOTS + below(16) : NONE - 1 - below(4);
	if (r.x[0] < FIRST_SCRATCH &&
	    (op == CLOISON_HC_CAP_DELETE || op == CLOISON_HC_CAP_MOVE))
		r.x[0] = scratch();
	/* Console writes through other slots only: random bytes on the
	 * console would trip its rate limit and drop the test's own lines. */
	if (op == CLOISON_HC_CONSOLE_WRITE)
		r.x[0] = scratch();
	call(&r);
}

static const uint64_t retype_types[] = {
	CLOISON_TYPE_FRAME, CLOISON_TYPE_CNODE, CLOISON_TYPE_NOTIFICATION,
	CLOISON_TYPE_CHANNEL, CLOISON_TYPE_UNTYPED, CLOISON_TYPE_DOMAIN,
};

static void valid_step(void)
{
	uint64_t s, d, t, w;

	switch (below(14)) {
	case 0:
	case 1: { /* retype something from the pool (or from a split pool) */
		uint64_t from = below(4) ? pool : pick(CLOISON_TYPE_UNTYPED, false);
		uint64_t size = 0;

		t = retype_types[below(sizeof(retype_types) / sizeof(retype_types[0]))];
		/* Now and then a large one: its zeroing is preempted and
		 * re-executed (several chunks), and so is its unmap, delete or
		 * finalisation later. */
		if (t == CLOISON_TYPE_FRAME || t == CLOISON_TYPE_UNTYPED ||
		    t == CLOISON_TYPE_CHANNEL)
			size = (1 + below(below(8) ? (t == CLOISON_TYPE_UNTYPED ? 8 : 3) : 96)) * PAGE;
		else if (t == CLOISON_TYPE_CNODE)
			size = 1 + below(below(8) ? 32 : 1024);
		d = pick(0, true);
		note_dest(hc(from, CLOISON_HC_UNTYPED_RETYPE, t, size, NONE, d), d);
		break;
	}
	case 2: /* copy, into our CSpace or into a CNode we made */
		s = pick(0, false);
		if (below(3) == 0) {
			d = pick(CLOISON_TYPE_CNODE, false);
			hc(s, CLOISON_HC_CAP_COPY, d, below(32), 0, 0);
		} else {
			d = pick(0, true);
			note_dest(hc(s, CLOISON_HC_CAP_COPY, NONE, d, 0, 0), d);
		}
		break;
	case 3: /* mint: fewer rights, a badge on notifications */
		s = pick(0, false);
		d = pick(0, true);
		note_dest(hc(s, CLOISON_HC_CAP_MINT, NONE, d, rnd() & 0xffff,
			     below(2) ? 1ull << below(64) : 0),
			  d);
		break;
	case 4:
		d = pick(0, true);
		note_dest(hc(pick(0, false), CLOISON_HC_CAP_MOVE, NONE, d, 0, 0), d);
		break;
	case 5:
		hc(pick(0, false), CLOISON_HC_CAP_DELETE, 0, 0, 0, 0);
		break;
	case 6:
		if (below(32)) {
			hc(pick(0, false), CLOISON_HC_CAP_REVOKE, 0, 0, 0, 0);
			break;
		}
		/* A chain 100 deep through two slots (a move keeps the tree
		 * position), revoked from its root: more than one chunk. */
		s = pick(0, false);
		d = pick(0, true);
		w = pick(0, true);
		if (d == w || hc(s, CLOISON_HC_CAP_COPY, NONE, d, 0, 0) != CLOISON_ERR_OK)
			break;
		for (int i = 0; i < 100; i++) {
			if (hc(d, CLOISON_HC_CAP_COPY, NONE, w, 0, 0) != CLOISON_ERR_OK)
				break;
			t = d;
			d = w;
			w = t;
			/* the older link goes out of the way into a CNode, if
			 * any, or is left where it is and overwritten next */
			if (hc(w, CLOISON_HC_CAP_MOVE, pick(CLOISON_TYPE_CNODE, false), below(1024),
			       0, 0) != CLOISON_ERR_OK)
				hc(w, CLOISON_HC_CAP_DELETE, 0, 0, 0, 0);
		}
		hc(s, CLOISON_HC_CAP_REVOKE, 0, 0, 0, 0);
		break;
	case 7: /* map a frame or channel in the window; unmap */
		s = pick(below(2) ? CLOISON_TYPE_FRAME : CLOISON_TYPE_CHANNEL, false);
		if (hc(s, CLOISON_HC_MEMORY_MAP, MAP_WINDOW + below(512) * PAGE,
		       CLOISON_RIGHT_FRAME_READ | (below(2) ? CLOISON_RIGHT_FRAME_WRITE : 0), 0,
		       0) == CLOISON_ERR_OK &&
		    below(2))
			hc(s, CLOISON_HC_MEMORY_UNMAP, 0, 0, 0, 0);
		break;
	case 8:
		hc(pick(0, false), CLOISON_HC_MEMORY_UNMAP, 0, 0, 0, 0);
		break;
	case 9: /* signal, then wait (returns at once: the word is set) */
		s = pick(CLOISON_TYPE_NOTIFICATION, false);
		if (hc(s, CLOISON_HC_NOTIFICATION_SIGNAL, 0, 0, 0, 0) == CLOISON_ERR_OK &&
		    below(2))
			hc(s, CLOISON_HC_NOTIFICATION_WAIT, 0, 0, 0, 0);
		else
			hc(s, CLOISON_HC_NOTIFICATION_POLL, 0, 0, 0, 0);
		break;
	case 10:
		s = pick(CLOISON_TYPE_NOTIFICATION, false);
		hc(s, CLOISON_HC_NOTIFICATION_BIND, 32 + below(16), 0, 0, 0);
		break;
	case 11:
		s = pick(CLOISON_TYPE_CHANNEL, false);
		hc(s, below(2) ? CLOISON_HC_CHANNEL_SIGNAL : CLOISON_HC_CHANNEL_POLL, 0, 0, 0, 0);
		break;
	case 12: /* a domain: CSpace, build, start, stop, destroy */
		s = pick(CLOISON_TYPE_DOMAIN, false);
		w = pick(CLOISON_TYPE_CNODE, false);
		hc(s, CLOISON_HC_DOMAIN_SET_CSPACE, w, 0, 0, 0);
		/* the build calls of a domain made at run time: memory from the
		 * pool (more than it has, now and then), a load from our own
		 * RAM, scheduling, a cap; then a lifecycle step */
		switch (below(6)) {
		case 4: /* connect a domain being built to another (no inbox:
			 * refused, whatever the slots) */
			hc(pick(CLOISON_TYPE_DOMAIN, false), CLOISON_HC_DOMAIN_CONNECT, s, pool,
			   (1 + below(3)) * PAGE, below(32) | (uint64_t)below(64) << 32);
			break;
		case 0:
			hc(s, CLOISON_HC_DOMAIN_SET_MEMORY, pool, (1 + below(2)) << 21, 0x7a66, 0);
			break;
		case 1:
			hc(s, CLOISON_HC_DOMAIN_LOAD, 0x40000000ull + below(64) * PAGE,
			   1 + below(CLOISON_LOAD_MAX + 8), 0, 0);
			break;
		case 2:
			hc(s, CLOISON_HC_DOMAIN_SET_SCHED, below(6000), below(12000), below(300), 0);
			break;
		case 3:
			hc(s, CLOISON_HC_DOMAIN_INSTALL, pick(0, false), below(32), rnd() & 0xff, 0x78);
			break;
		default:
			hc(s, CLOISON_HC_DOMAIN_BUILD_QUERY, 0, 0, 0, 0);
			break;
		}
		hc(s, CLOISON_HC_DOMAIN_FINISH_BUILD + below(6), 0, 0, 0, 0);
		break;
	default: /* a CNode's slots */
		s = pick(CLOISON_TYPE_CNODE, false);
		hc(s, below(2) ? CLOISON_HC_CNODE_DELETE : CLOISON_HC_CNODE_IDENTIFY, below(32),
		   0, 0, 0);
		break;
	}
}

/* Revoke the pool: everything made from it goes and all of it is free. */
static void reclaim(void)
{
	uint64_t size = 0, free = 0;

	hc(pool, CLOISON_HC_CAP_REVOKE, 0, 0, 0, 0);
	if (cloison_untyped_query(pool, &size, &free) != CLOISON_ERR_OK || free != size) {
		if (leaks++ < 5)
			printf("after revoking the pool: %llu of %llu bytes free\n",
			       (unsigned long long)free, (unsigned long long)size);
	}
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t sys = si_cap("system"), free = 0, left = 0, steps = 0, ok = 0, t;
	uint64_t hvcs_before, again;
	bool policy_caps_kept = true;

	pool = si_cap("pool");
	if (cloison_untyped_query(pool, &pool_size, &free) != CLOISON_ERR_OK)
		runtime_panic("no pool");
	hvcs_before = hvcs();
	irq_unmask();
	printf("fuzzing %u hypercalls, seed 0x%llx\n", HCFUZZ_CALLS,
	       (unsigned long long)HCFUZZ_SEED);
	while (calls < HCFUZZ_CALLS) {
		if (below(2))
			raw_call();
		else
			valid_step();
		if (++steps % REVOKE_EVERY == 0) {
			reclaim();
			recent_n = 0;
			if (steps % (10 * REVOKE_EVERY) == 0)
				printf("step %llu: %llu calls\n", (unsigned long long)steps,
				       (unsigned long long)calls);
		}
	}
	/* Tear down: the pool, then copies made of the policy's caps. */
	reclaim();
	for (uint64_t s = 0; s < FIRST_SCRATCH; s++)
		if (type_of(s) != CLOISON_TYPE_NONE)
			hc(s, CLOISON_HC_CAP_REVOKE, 0, 0, 0, 0);
	for (uint64_t s = FIRST_SCRATCH; s < SLOTS; s++)
		left += type_of(s) != CLOISON_TYPE_NONE;
	for (uint32_t i = 0; i < si->n_caps && i < CLOISON_START_INFO_MAX_CAPS; i++) {
		t = type_of(si->caps[i].slot);
		policy_caps_kept &= t == si->caps[i].type;
	}
	for (uint32_t i = 0; i < MAX_CALL; i++)
		ok += ok_by_call[i];
	/* Less the calls made (type_of's included) and the second
	 * system_stats; what is left are re-executions, plus the dozen
	 * console_write calls of the progress lines. */
	again = hvcs() - hvcs_before - 1 - calls;
	printf("%llu calls, %llu re-executed after preemption, %llu ok (retype %llu, copy %llu, "
	       "revoke %llu, map %llu), %llu vIRQs\n",
	       (unsigned long long)calls, (unsigned long long)again, (unsigned long long)ok,
	       (unsigned long long)ok_by_call[CLOISON_HC_UNTYPED_RETYPE],
	       (unsigned long long)ok_by_call[CLOISON_HC_CAP_COPY],
	       (unsigned long long)ok_by_call[CLOISON_HC_CAP_REVOKE],
	       (unsigned long long)ok_by_call[CLOISON_HC_MEMORY_MAP], (unsigned long long)irqs);
	test_begin("hcfuzz");
	test_report("hcfuzz.calls_made", calls >= HCFUZZ_CALLS, "%llu calls",
		    (unsigned long long)calls);
	test_report("hcfuzz.errors_defined", bad_errors == 0,
		    "%llu answers outside the error list", (unsigned long long)bad_errors);
	test_report("hcfuzz.pool_returns_whole", leaks == 0,
		    "%llu revokes of the pool left memory in use", (unsigned long long)leaks);
	test_report("hcfuzz.scratch_empty", left == 0, "%llu scratch slots still hold caps",
		    (unsigned long long)left);
	test_report("hcfuzz.policy_caps_kept", policy_caps_kept,
		    "a cap the policy gave is gone or changed type");
	/* The objects were really made and used, not all refused. */
	/* Large retypes, unmaps, deletes and revokes were preempted and
	 * executed again (hypercall.h): the restart path ran in earnest. */
	test_report("hcfuzz.preempted_calls_ran", again > 100,
		    "%llu re-executions of preempted calls", (unsigned long long)again);
	test_report("hcfuzz.objects_made",
		    ok_by_call[CLOISON_HC_UNTYPED_RETYPE] > HCFUZZ_CALLS / 100 &&
			    ok_by_call[CLOISON_HC_MEMORY_MAP] > HCFUZZ_CALLS / 1000 &&
			    ok_by_call[CLOISON_HC_CAP_REVOKE] > HCFUZZ_CALLS / 200,
		    "retype %llu, map %llu, revoke %llu ok",
		    (unsigned long long)ok_by_call[CLOISON_HC_UNTYPED_RETYPE],
		    (unsigned long long)ok_by_call[CLOISON_HC_MEMORY_MAP],
		    (unsigned long long)ok_by_call[CLOISON_HC_CAP_REVOKE]);
	test_end();
	console_flush();
	cloison_system_audit_dump(sys);
	printf("fuzz done\n");
	/* The heartbeat must still be served after the run. */
	vtimer_sleep_ms(300);
	console_flush();
	cloison_system_poweroff(sys);
	runtime_panic("system_poweroff returned");
}
