/* SPDX-License-Identifier: MIT */
/*
 * What dom0 must not be able to do, tried from a domain holding
 * exactly dom0's caps (tests/system/systems/denied.toml): map anything,
 * act on a domain it holds no cap for or only query, mint itself wider
 * rights, pass a cap elsewhere, read input it was not given... Each is
 * refused with its error and leaves everything as it was. Last, it reads a
 * guest's memory by its physical address: a stage-2 fault stops it.
 *
 * Before that, it creates a guest at run time from its pool (as dom0's
 * `create` does) and, once the guest runs, tries what dom0 must not do to
 * it: load into it, give it memory, schedule it again, install a cap, map
 * it, make a frame of its pool. Each is refused and the guest, its image
 * hash and the pool stay as they were; destroyed, its memory is back.
 */
#include <domain/core.h>
#include <domain/result.h>

#define NONE CLOISON_SLOT_NONE
#define E(x) CLOISON_ERR_##x

static uint64_t state_of(uint64_t slot)
{
	uint64_t s = 0;

	cloison_domain_query(slot, &s, NULL, NULL);
	return s;
}

/* The run-time guest's image: wfi, then branch back to it (A64: WFI
 * 0xd503207f, B .-4 0x17ffffff), at the start of its RAM. */
static const uint32_t tiny_image[4] __attribute__((aligned(16))) = { 0xd503207f, 0x17ffffff };
#define G_CNODE 40
#define G_DOM 41
#define G_SCRATCH 42

static uint64_t pool_free(uint64_t pool)
{
	uint64_t size = 0, free = 0;

	cloison_untyped_query(pool, &size, &free);
	return free;
}

static void run_time_guest(const struct cloison_start_info *si)
{
	uint64_t pool = si_cap("pool"), gcon = si_cap("guest-console"), g2 = si_cap("guest2");
	uint64_t name[4] = { 0 }, cname = 0, l = 0, free0, h0[6] = { 0 }, h1[6] = { 0 };
	uint64_t img = (uint64_t)(uintptr_t)tiny_image, err;

	(void)si;
	memcpy(name, "tiny", 4);
	memcpy(&cname, "console", 7);
	if ((err = cloison_untyped_retype(pool, CLOISON_TYPE_CNODE, 8, NONE, G_CNODE)) ||
	    (err = cloison_untyped_retype(pool, CLOISON_TYPE_DOMAIN, 0, NONE, G_DOM)) ||
	    (err = cloison_domain_set_cspace(G_DOM, G_CNODE)) ||
	    (err = cloison_domain_finish_build(G_DOM)) != E(BAD_STATE) ||
	    (err = cloison_cap_delete(G_CNODE)) ||
	    (err = cloison_domain_set_memory(G_DOM, pool, 2u << 20, name[0], name[1], name[2],
					     name[3])) ||
	    (err = cloison_domain_load(G_DOM, img, sizeof(tiny_image), &l)) ||
	    (err = cloison_domain_set_sched(G_DOM, 100, 10000, 1)) ||
	    (err = cloison_domain_install(G_DOM, gcon, 1, CLOISON_RIGHT_CONSOLE_WRITE, cname, 0)) ||
	    (err = cloison_domain_finish_build(G_DOM)) || (err = cloison_domain_start(G_DOM)))
		test_report("create_a_guest", false, "%s", cloison_err_name(err));
	else
		test_report("create_a_guest", state_of(G_DOM) == CLOISON_DOMAIN_RUNNING, "state %lu",
			    state_of(G_DOM));
	free0 = pool_free(pool);
	cloison_domain_build_query(G_DOM, &h0[0], &h0[1], &h0[2], &h0[3], &h0[4], &h0[5]);
	TEST_REPORT_ERR("load_into_the_guest", cloison_domain_load(G_DOM, img, 8, &l), E(BAD_STATE));
	TEST_REPORT_ERR("more_memory", cloison_domain_set_memory(G_DOM, pool, 2u << 20, name[0],
		        name[1], name[2], name[3]), E(BAD_STATE));
	TEST_REPORT_ERR("reschedule", cloison_domain_set_sched(G_DOM, 2000, 10000, 200),
			E(BAD_STATE));
	TEST_REPORT_ERR("install_a_cap", cloison_domain_install(G_DOM, gcon, 2,
			CLOISON_RIGHT_CONSOLE_WRITE, cname, 0), E(BAD_STATE));
	TEST_REPORT_ERR("map_the_guest", cloison_memory_map(G_DOM, 0x80000000ull, 2),
			E(WRONG_TYPE));
	TEST_REPORT_ERR("pool_into_a_frame", cloison_untyped_retype(pool, CLOISON_TYPE_FRAME,
			4096, NONE, G_SCRATCH), E(NO_RIGHTS));
	/* A channel to the started guest (guest2 takes clients in its inbox,
	 * slots 62 and 63); dom0 as the back end (a domain it made has every
	 * right but no inbox); dom0 signalling the driver (it holds no end). */
	TEST_REPORT_ERR("connect_after_start", cloison_domain_connect(g2, G_DOM, pool, 8192,
			2 | 62ull << 32, cname, 0), E(BAD_STATE));
	TEST_REPORT_ERR("connect_itself_as_back_end", cloison_domain_connect(G_DOM, G_DOM, pool,
			8192, 2 | 62ull << 32, cname, 0), E(INVALID_SLOT));
	TEST_REPORT_ERR("signal_the_driver", cloison_channel_signal(g2), E(WRONG_TYPE));
	cloison_domain_build_query(G_DOM, &h1[0], &h1[1], &h1[2], &h1[3], &h1[4], &h1[5]);
	test_report("guest_unchanged", memcmp(h0, h1, sizeof(h0)) == 0 && h0[1] == sizeof(tiny_image) &&
		    pool_free(pool) == free0 && state_of(G_DOM) == CLOISON_DOMAIN_RUNNING,
		    "loaded %lu, pool %lu free (was %lu)", h1[1], pool_free(pool), free0);
	cloison_domain_destroy(G_DOM);
	cloison_cap_delete(G_DOM);
	{
		uint64_t size = 0, free = 0;

		cloison_untyped_query(pool, &size, &free);
		test_report("its_memory_back", free == size, "%lu of %lu free", free, size);
	}
}

static uint64_t rights_of(uint64_t slot)
{
	uint64_t r = 0;

	cloison_cap_identify(slot, NULL, &r, NULL);
	return r;
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t con = si_cap("console"), g1 = si_cap("guest1"), g2 = si_cap("guest2");
	uint64_t r1 = rights_of(g1), r2 = rights_of(g2), s1 = state_of(g1);
	uint64_t all = 0xffff, type = 0;

	test_begin("dom0_denied");
	TEST_REPORT_ERR("map_a_domain", cloison_memory_map(g1, 0x80000000ull, 2), E(WRONG_TYPE));
	{
		/* No slot of dom0's maps a disk's registers (virtio-mmio
		 * transport 8), binds an interrupt, gives a physical address
		 * or signals a channel. */
		uint32_t ok = 0;
		uint64_t pa, size;

		for (uint64_t s = 0; s < 64; s++)
			ok += (uint32_t)(cloison_memory_map(s, 0x0a001000ull, 6) == E(OK)) +
			      (uint32_t)(cloison_irq_bind(s, 40) == E(OK)) +
			      (uint32_t)(cloison_memory_phys(s, &pa, &size) == E(OK)) +
			      (uint32_t)(cloison_channel_signal(s) == E(OK));
		test_report("no_device_or_channel", ok == 0, "%u calls succeeded", ok);
	}
	TEST_REPORT_ERR("map_the_console", cloison_memory_map(con, 0x80000000ull, 2), E(WRONG_TYPE));
	TEST_REPORT_ERR("stop_query_only_guest", cloison_domain_stop(g2), E(NO_RIGHTS));
	TEST_REPORT_ERR("destroy_query_only_guest", cloison_domain_destroy(g2), E(NO_RIGHTS));
	TEST_REPORT_ERR("act_without_a_cap", cloison_domain_stop(30), E(EMPTY_SLOT));
	TEST_REPORT_ERR("act_beyond_cspace", cloison_domain_stop(1u << 20), E(INVALID_SLOT));
	TEST_REPORT_ERR("mint_wider_rights", cloison_cap_mint(g2, NONE, 20, all, 0), E(NO_RIGHTS));
	TEST_REPORT_ERR("mint_build_right", cloison_cap_mint(g1, NONE, 20,
			r1 | CLOISON_RIGHT_DOMAIN_BUILD, 0), E(NO_RIGHTS));
	TEST_REPORT_ERR("set_its_cspace", cloison_domain_set_cspace(g1, con), E(NO_RIGHTS));
	TEST_REPORT_ERR("hand_a_cap_to_a_guest", cloison_cap_copy(con, g1, 5), E(WRONG_TYPE));
	TEST_REPORT_ERR("console_input_not_given", cloison_console_read(con, NULL, NULL, NULL,
			NULL, NULL, NULL), E(NO_RIGHTS));
	TEST_REPORT_ERR("no_system_cap", cloison_system_poweroff(con), E(WRONG_TYPE));
	TEST_REPORT_ERR("slot_20_still_empty", cloison_cap_identify(20, &type, NULL, NULL),
		        E(EMPTY_SLOT));
	test_report("rights_unchanged", rights_of(g1) == r1 && rights_of(g2) == r2,
		    "rights %lx %lx were %lx %lx", rights_of(g1), rights_of(g2), r1, r2);
	test_report("guest1_state_unchanged", state_of(g1) == s1, "state %lu was %lu",
		    state_of(g1), s1);
	test_report("guest2_still_running", state_of(g2) == CLOISON_DOMAIN_RUNNING, "state %lu",
		    state_of(g2));
	run_time_guest(si);
	test_end();
	/* guest1's RAM is at some physical address above ours; as an IPA it
	 * is simply not mapped for us. */
	print("reading guest memory at 0x41000000\n");
	(void)*(volatile uint64_t *)0x41000000ull;
	print("read guest memory!\n");
	return 0;
}
