/* SPDX-License-Identifier: MIT */
/*
 * Controller of tests/system/systems/devhandoff.toml: the only holder of
 * the disk's register and interrupt caps (with grant), it builds a driver
 * domain at run time from its store ("drv-a", blkhandoff.c) and installs
 * them in it; once drv-a has its SPI taken and unacknowledged with
 * completions pending, it destroys drv-a, builds "drv-b" the same way and
 * waits for drv-b to drive the same disk through the same SPI. Each also
 * gets a channel made from the pool as its DMA memory. Barriers
 * are the "note" notification each driver signals: no timing.
 */
#include <domain/core.h>
#include <domain/result.h>

#include "guests.h"

#define NONE CLOISON_SLOT_NONE
#define CSPACE_SLOTS 16u
#define DMA_BYTES (256u << 10) /* a driver's virtqueue and its 32 buffers */

static uint64_t pool;

/* Copy the cap in `slot` into the new domain, under `name`. */
static uint64_t install(uint64_t dom, uint64_t slot, uint64_t index, uint64_t rights,
			const char *name)
{
	uint64_t w[2] = { 0, 0 };

	memcpy(w, name, strlen(name));
	return cloison_domain_install(dom, slot, index, rights, w[0], w[1]);
}

/* Build and start the store's config `name` as a driver of the disk. The
 * domain's slot, or 0 with the refusal printed. */
static uint64_t start_driver(const char *name)
{
	const struct store_guest *g = NULL;
	uint64_t cn = si_free_slot(0), dom = cn ? si_free_slot(cn) : 0, ch = 0, err, loaded = 0;
	uint64_t nm[4] = { 0 };

	for (uint32_t i = 0; store_guest(i); i++)
		if (strcmp(store_guest(i)->name, name) == 0)
			g = store_guest(i);
	if (!g || !dom) {
		print("%s: no store config or no free slot\n", name);
		return 0;
	}
	memcpy(nm, g->name, sizeof(g->name));
	err = cloison_untyped_retype(pool, CLOISON_TYPE_CNODE, CSPACE_SLOTS, NONE, cn);
	if (!err)
		err = cloison_untyped_retype(pool, CLOISON_TYPE_DOMAIN, 0, NONE, dom);
	if (!err)
		err = cloison_domain_set_cspace(dom, cn);
	cloison_cap_delete(cn); /* finish_build refuses while we hold its CSpace */
	if (!err)
		err = cloison_domain_set_memory(dom, pool, g->memory, nm[0], nm[1], nm[2], nm[3]);
	for (uint64_t off = 0, len; !err && off < g->image_size; off += len) {
		len = g->image_size - off < CLOISON_LOAD_MAX ? g->image_size - off
							     : CLOISON_LOAD_MAX;
		err = cloison_domain_load(dom, store_image_ipa(g) + off, len, &loaded);
	}
	if (!err)
		err = cloison_domain_set_sched(dom, g->budget_us, g->period_us, g->priority);
	if (!err)
		err = install(dom, si_cap("guest-console"), 1, CLOISON_RIGHT_CONSOLE_WRITE, "console");
	if (!err)
		err = install(dom, si_cap("disk"), 2, CLOISON_RIGHT_DEVICE_READ | CLOISON_RIGHT_DEVICE_WRITE,
			      "blk");
	if (!err)
		err = install(dom, si_cap("disk-irq"), 3, CLOISON_RIGHT_IRQ_RECEIVE, "blk-irq");
	if (!err)
		err = install(dom, si_cap("note-give"), 4, CLOISON_RIGHT_NOTIFICATION_SIGNAL, "note");
	/* Its DMA memory: a channel from the pool (it is not told its RAM's
	 * physical address), made here and handed over. */
	if (!err && !(ch = si_free_slot(dom)))
		err = CLOISON_ERR_INVALID_SLOT;
	if (!err)
		err = cloison_untyped_retype(pool, CLOISON_TYPE_CHANNEL, DMA_BYTES, NONE, ch);
	if (!err)
		err = install(dom, ch, 5, CLOISON_RIGHT_CHANNEL_READ | CLOISON_RIGHT_CHANNEL_WRITE,
			      "dma");
	if (ch)
		cloison_cap_delete(ch); /* the domain's copy keeps the channel */
	if (!err)
		err = cloison_domain_finish_build(dom);
	if (!err)
		err = cloison_domain_start(dom);
	if (err) {
		print("%s: building refused (%s)\n", name, cloison_err_name(err));
		cloison_cap_delete(dom);
		return 0;
	}
	return dom;
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t note = si_cap("note"), word = 0, a, b, state = 0, id = 0, t = 0;

	pool = si_cap("pool");
	test_begin("handoff");
	test_report("handoff.store", store_open(si) == 2, "no store of two drivers");
	a = start_driver("drv-a");
	test_report("handoff.first_owner_started", a != 0, "refused");
	if (!a) {
		test_end();
		runtime_park();
	}
	cloison_notification_wait(note, &word); /* drv-a: wedged */
	TEST_REPORT_ERR("handoff.destroy_first_owner", cloison_domain_destroy(a), CLOISON_ERR_OK);
	cloison_domain_query(a, &state, &id, &t);
	test_report("handoff.first_owner_destroyed", state == CLOISON_DOMAIN_DESTROYED,
		    "state %lu", state);
	cloison_cap_delete(a); /* the object goes with its last cap: memory back to the pool */
	b = start_driver("drv-b");
	test_report("handoff.second_owner_started", b != 0, "refused");
	if (b)
		cloison_notification_wait(note, &word); /* drv-b: its I/O is done */
	test_report("handoff.system_continues", b != 0, "no second owner");
	test_end();
	runtime_poweroff();
}
