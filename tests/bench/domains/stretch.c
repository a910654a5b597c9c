/* SPDX-License-Identifier: MIT */
/*
 * Longest non-preemptible EL2 stretch per call, driven with the worst inputs
 * a domain can build from an 8 MiB pool (docs/benchmarks.md, "EL2
 * stretches"). Runs on the test hypervisor, whose probe (cloison/probe.h)
 * prints, at each system_stats call, the longest stretch of every call made
 * since the previous one:
 *   STRETCH-PHASE <workload>
 *   EL2-STRETCH call=<n> max=<instructions> chunks=<EL2 entries>
 * The domain prints the phase line, does the workload, then calls
 * system_stats; tests/bench/bench.py pairs them and checks the target.
 *
 * Workloads: revoke of a derivation chain N deep and of a tree N wide (N =
 * 20,000 caps kept in CNodes retyped from the pool); the largest retype the
 * pool allows (a frame of all of it); map and unmap of that frame one page
 * per level-3 entry; the delete of a full 4,096-slot CNode; the destroy of a
 * domain whose CSpace is a full 4,096-slot CNode; the destroy of a boot
 * domain with 16 MiB of RAM (zeroed after it).
 */
#include <domain/core.h>

#define NONE CLOISON_SLOT_NONE
#define N 20000u
#define CN_SLOTS 4096u
#define NCN ((N + CN_SLOTS - 1) / CN_SLOTS)
#define POOL_SIZE (8u << 20)
#define PAGE 4096u
/* Scratch slots of our own CSpace (the policy's caps sit below). */
#define S_NOTE 16u
#define S_CN 17u /* .. S_CN + NCN - 1 */
#define S_TIP 40u
#define S_TIP2 41u
#define S_FRAME 42u
#define S_DOM 43u
#define MAP_IPA 0x80002000ull /* out of line with the frame by a page: no 2 MiB blocks */

static uint64_t sys_slot, pool;

static void check(uint64_t err, const char *what)
{
	if (err != CLOISON_ERR_OK) {
		print("stretch: %s failed: %s\n", what, cloison_err_name(err));
		runtime_poweroff();
	}
}

static void phase(const char *name)
{
	uint64_t a, b, c, d;

	/* Close the previous phase (the probe prints and starts afresh). */
	check(cloison_system_stats(sys_slot, &a, &b, &c, &d), "system_stats");
	print("STRETCH-PHASE %s\n", name);
}

static void make_cnodes(void)
{
	for (uint32_t k = 0; k < NCN; k++)
		check(cloison_untyped_retype(pool, CLOISON_TYPE_CNODE, CN_SLOTS, NONE, S_CN + k),
		      "retype cnode");
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t tip = S_TIP, spare = S_TIP2, t;

	sys_slot = si_cap("system");
	pool = si_cap("pool");
	phase("setup");
	check(cloison_untyped_retype(pool, CLOISON_TYPE_NOTIFICATION, 0, NONE, S_NOTE),
	      "retype notification");
	make_cnodes();

	/* A chain N deep: the tip stays in our CSpace, each earlier link is
	 * moved out into the CNodes (a move keeps its place in the tree). */
	check(cloison_cap_copy(S_NOTE, NONE, tip), "copy");
	for (uint32_t i = 0; i < N; i++) {
		check(cloison_cap_copy(tip, NONE, spare), "chain copy");
		check(cloison_cap_move(tip, S_CN + i / CN_SLOTS, i % CN_SLOTS), "chain move");
		t = tip;
		tip = spare;
		spare = t;
	}
	phase("revoke_deep_chain");
	check(cloison_cap_revoke(S_NOTE), "revoke chain");

	phase("setup");
	for (uint32_t i = 0; i < N; i++)
		check(cloison_cap_copy(S_NOTE, S_CN + i / CN_SLOTS, i % CN_SLOTS), "fan copy");
	phase("revoke_wide_tree");
	check(cloison_cap_revoke(S_NOTE), "revoke fan");

	/* A full CNode: 4,096 caps deleted with it. */
	phase("setup");
	for (uint32_t i = 0; i < CN_SLOTS; i++)
		check(cloison_cap_copy(S_NOTE, S_CN, i), "fill cnode");
	phase("delete_full_cnode");
	check(cloison_cap_delete(S_CN), "delete cnode");

	/* A domain whose CSpace is a full CNode. */
	phase("setup");
	check(cloison_untyped_retype(pool, CLOISON_TYPE_DOMAIN, 0, NONE, S_DOM), "retype domain");
	for (uint32_t i = 0; i < CN_SLOTS; i++)
		check(cloison_cap_copy(S_NOTE, S_CN + 1, i), "fill cspace");
	check(cloison_domain_set_cspace(S_DOM, S_CN + 1), "set cspace");
	check(cloison_cap_delete(S_CN + 1), "drop cnode cap");
	phase("destroy_domain_full_cspace");
	check(cloison_domain_destroy(S_DOM), "destroy");

	/* Everything back to the pool (the CNodes die with it), then the
	 * largest retype it allows. */
	phase("revoke_pool_with_cnodes");
	check(cloison_cap_revoke(pool), "revoke pool");
	phase("retype_largest_frame");
	check(cloison_untyped_retype(pool, CLOISON_TYPE_FRAME, POOL_SIZE - PAGE, NONE, S_FRAME),
	      "retype frame");

	/* Mapped one page past a 2 MiB boundary: every page a level-3 entry. */
	phase("map_largest_frame");
	check(cloison_memory_map(S_FRAME, MAP_IPA, CLOISON_RIGHT_FRAME_READ), "map");
	phase("unmap_largest_frame");
	check(cloison_memory_unmap(S_FRAME), "unmap");

	/* A boot domain with 16 MiB of RAM, destroyed: its stage 2 freed, its
	 * RAM zeroed before anything could reuse it. */
	phase("destroy_boot_domain_16M");
	check(cloison_domain_destroy(si_cap("victim")), "destroy victim");

	phase("end");
	runtime_poweroff();
}
