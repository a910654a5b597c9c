/* SPDX-License-Identifier: MIT */
/*
 * The virtual disk of a guest made at run time (docs/dynamic-guests.md,
 * "Serving a guest made at run time"): storage-dom is asked over the control
 * channel the description declares (dom0's "storage-ctl", <diskctl.h>) to
 * reserve the config's disk and a slot of its connect inbox (before anything
 * is made from dom0's pool, so a refused disk costs nothing), the core makes
 * the channel between the guest being built and that slot (domain_connect:
 * dom0 holds neither end), and storage-dom is told to serve it. `destroy` detaches the
 * disk before the guest goes; `disks` lists storage-dom's run-time clients.
 */
#include "guests.h"

#include "diskctl.h"
#include "ring.h"

#define GUEST_DISK_SLOT 2 /* the guest's CSpace: 1 is its console */

static struct ring_end ctl;
static uint64_t ctl_slot = CLOISON_SLOT_NONE, storage = CLOISON_SLOT_NONE;
static uint32_t next_id = 1;
static uint64_t channel_size; /* of the disk reserved last (ATTACH's answer) */

void disks_init(const struct cloison_start_info *si)
{
	const struct cloison_start_info_cap *c = si_find("storage-ctl");

	storage = si_cap_or_none("storage");
	if (!c || c->type != CLOISON_TYPE_CHANNEL || c->ipa == ~0ull)
		return;
	ctl_slot = c->slot;
	ring_init(&ctl, (void *)(uintptr_t)c->ipa, 0, false);
}

/* One request, its answer (blocking: storage-dom runs while dom0 waits). */
static bool ask(uint32_t op, uint32_t arg, const char *disk, struct diskctl_rsp *rsp)
{
	struct diskctl_req req = { op, arg, { 0 } };
	uint32_t id = next_id++;
	struct ring_msg m;
	bool notify = false;

	if (disk)
		memcpy(req.disk, disk, strlen(disk) + 1);
	if (ring_send(&ctl, &req, sizeof(req), id, &notify) != RING_OK)
		return false;
	if (notify)
		cloison_channel_signal(ctl_slot);
	for (;;) {
		enum ring_status st = ring_recv(&ctl, &m);

		if (st == RING_OK && m.id == id && m.len == sizeof(*rsp)) {
			memcpy(rsp, m.data, sizeof(*rsp));
			return true;
		}
		if (st == RING_DEAD)
			return false;
		if (st == RING_EMPTY && !ring_arm(&ctl))
			cloison_channel_wait(ctl_slot, NULL);
	}
}

bool disk_reserve(const struct store_guest *g, uint32_t *inbox)
{
	struct diskctl_rsp rsp = { DISKCTL_INVALID, 0, 0, { 0 } };

	*inbox = 0;
	if (!g->disk[0])
		return true;
	if (ctl_slot == CLOISON_SLOT_NONE || storage == CLOISON_SLOT_NONE) {
		fail("create %s: disk '%s': dom0 holds no 'storage-ctl' channel and "
			    "'storage' cap (the description gives none)\n", g->name, g->disk);
		return false;
	}
	if (!ask(DISKCTL_ATTACH, 0, g->disk, &rsp) || rsp.status != DISKCTL_OK) {
		fail("create %s: disk '%s': storage-dom refused: %s\n", g->name, g->disk,
			    diskctl_status_name(rsp.status));
		return false;
	}
	/* storage-dom names the channel's size, which dom0's pool pays for:
	 * only within what the protocol allows (diskctl.h). */
	if (rsp.value <= 4096 || rsp.value > DISKCTL_CHANNEL_MAX || rsp.value % 4096) {
		uint64_t asked = rsp.value;

		ask(DISKCTL_DETACH, rsp.slot, NULL, &rsp);
		fail("create %s: disk '%s': storage-dom asked for a channel of %lu bytes "
		     "(more than a page, at most %llu, whole pages)\n", g->name, g->disk, asked,
		     DISKCTL_CHANNEL_MAX);
		return false;
	}
	*inbox = rsp.slot;
	channel_size = rsp.value;
	return true;
}

bool disk_connect(const struct store_guest *g, uint64_t dom, uint32_t inbox)
{
	struct diskctl_rsp rsp = { DISKCTL_INVALID, 0, 0, { 0 } };
	uint64_t name = 0, err;

	if (!inbox)
		return true;
	memcpy(&name, "disk", 4);
	err = cloison_domain_connect(storage, dom, guests_pool(), channel_size,
				     GUEST_DISK_SLOT | (uint64_t)inbox << 32, name, 0);
	if (err || !ask(DISKCTL_READY, inbox, NULL, &rsp) || rsp.status != DISKCTL_OK) {
		fail("create %s: disk '%s': %s (%s)\n", g->name, g->disk,
			    err ? "domain_connect refused" : "storage-dom refused the channel",
			    err ? cloison_err_name(err) : diskctl_status_name(rsp.status));
		return false;
	}
	return true;
}

void disk_disconnect(const char *guest, uint32_t inbox)
{
	struct diskctl_rsp rsp = { DISKCTL_INVALID, 0, 0, { 0 } };

	if (inbox && (!ask(DISKCTL_DETACH, inbox, NULL, &rsp) || rsp.status != DISKCTL_OK))
		print("%s: storage-dom did not detach its disk (%s); the core takes it with "
		      "the guest\n", guest, diskctl_status_name(rsp.status));
}

void disks_list(void)
{
	struct diskctl_rsp rsp;
	uint32_t i = 0;

	if (ctl_slot == CLOISON_SLOT_NONE) {
		fail("disks: dom0 holds no 'storage-ctl' channel\n");
		return;
	}
	for (; i < DISKCTL_LIST_MAX && ask(DISKCTL_LIST, i, NULL, &rsp) && rsp.status == DISKCTL_OK;
	     i++) {
		rsp.disk[DISKCTL_NAME - 1] = 0;
		print("disk %s: inbox slot %u, %lu requests served\n", rsp.disk, rsp.slot,
		      rsp.value);
	}
	print("disks: %u attached\n", i);
}
