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
 * The exchanges themselves are drvctl.c's, shared with the port (nets.c).
 */
#include "guests.h"

#include "diskctl.h"

#define GUEST_DISK_SLOT 2 /* the guest's CSpace: 1 is its console */

_Static_assert(DISKCTL_READY == DRVCTL_READY && DISKCTL_DETACH == DRVCTL_DETACH &&
		       DISKCTL_LIST == DRVCTL_LIST && DISKCTL_OK == 0,
	       "drvctl.c's requests");
_Static_assert(__builtin_offsetof(struct diskctl_rsp, value) == 8, "drvctl_head");

static struct drvctl storage = {
	.driver = "storage-dom",
	.req_len = sizeof(struct diskctl_req),
	.rsp_len = sizeof(struct diskctl_rsp),
	.channel_max = DISKCTL_CHANNEL_MAX,
	.status_name = diskctl_status_name,
};
static uint64_t channel_size; /* of the disk reserved last (ATTACH's answer) */

void disks_init(const struct cloison_start_info *si)
{
	(void)si;
	drvctl_open(&storage, "storage-ctl", "storage");
}

bool disk_reserve(const struct store_guest *g, uint32_t *inbox)
{
	struct diskctl_req req = { DISKCTL_ATTACH, 0, { 0 } };
	char what[48];

	*inbox = 0;
	if (!g->disk[0])
		return true;
	print_to_buf(what, sizeof(what), "disk '%s'", g->disk);
	if (storage.slot == CLOISON_SLOT_NONE || storage.dom == CLOISON_SLOT_NONE) {
		fail("create %s: %s: dom0 holds no 'storage-ctl' channel and 'storage' cap "
		     "(the description gives none)\n", g->name, what);
		return false;
	}
	memcpy(req.disk, g->disk, sizeof(req.disk));
	return drvctl_reserve(&storage, g->name, what, &req, inbox, &channel_size);
}

bool disk_connect(const struct store_guest *g, uint64_t dom, uint32_t inbox)
{
	char what[48];

	if (!inbox)
		return true;
	print_to_buf(what, sizeof(what), "disk '%s'", g->disk);
	return drvctl_connect(&storage, g->name, what, dom, GUEST_DISK_SLOT, "disk", inbox,
			      channel_size);
}

void disk_disconnect(const char *guest, uint32_t inbox)
{
	drvctl_detach(&storage, guest, inbox);
}

void disks_list(void)
{
	struct diskctl_rsp rsp;
	uint32_t i = 0;
	bool end = false;

	if (storage.slot == CLOISON_SLOT_NONE) {
		fail("disks: dom0 holds no 'storage-ctl' channel\n");
		return;
	}
	for (; i < DISKCTL_LIST_MAX; i++) {
		if (!drvctl_list(&storage, i, &rsp, &end)) {
			fail("disks: storage-dom %s\n", storage.why);
			return;
		}
		if (end)
			break;
		rsp.disk[DISKCTL_NAME - 1] = 0;
		print("disk %s: inbox slot %u, %lu requests served\n", rsp.disk, rsp.slot,
		      rsp.value);
	}
	print("disks: %u attached\n", i);
}
