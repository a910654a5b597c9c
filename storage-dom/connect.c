/* SPDX-License-Identifier: MIT */
/*
 * Clients made at run time (connect.h). The control domain never holds an
 * end of a client's channel: the core puts end 0 into a slot of this
 * domain's connect inbox (domain_connect) and end 1 into the guest. dom0
 * only tells us, over the control channel, which run-time disk the end in a
 * slot is for; we check the end ourselves (cap_identify, memory_phys) before
 * serving it.
 *
 * Detaching never leaves the device writing into a channel that is gone:
 * the client takes no more requests, and its end is deleted only once
 * nothing of it is at the device. A guest destroyed without a DETACH (its
 * end's slot emptied by the core, which signals us first) is noticed by
 * its slot reading empty, and forgotten.
 */
#include <domain/core.h>

#include "connect.h"
#include "ctlserve.h"
#include "diskctl.h"
#include "ring.h"
#include "virtio/blk.h"

#define CTL_VIRQ 60u
/* Where a run-time client's channel is mapped: 1 MiB per inbox slot. */
#define DYN_IPA 0xc0000000ull
#define DYN_IPA_STEP 0x100000ull
/* The channel dom0 makes: the ring page and a 64 KiB data area. */
#define DYN_CHANNEL_SIZE (68ull << 10)
#define MAX_DISKS CONFIG_MAX_DISKS

/* CLOSING: detached by dom0, waiting for the device (answered then);
 * GONE: its end went with the guest, waiting for the device (no answer). */
enum dyn_state { DYN_FREE, DYN_RESERVED, DYN_SERVING, DYN_CLOSING, DYN_GONE };

static struct dyn_disk {
	const struct config_disk *extent; /* name: extent->cap + 1 */
	enum dyn_state state;
	uint32_t slot;   /* its inbox slot while not free */
	uint32_t client; /* its entry in clients[] while serving or closing */
	uint32_t ctl_id; /* closing: the DETACH to answer when done */
} disks[MAX_DISKS];
static uint32_t n_disks;
static struct client *clients;
static uint32_t *n_clients, max_clients, first_vintid;
static struct ctl_server ctl;

bool client_attach(struct client *c, uint64_t slot, uint64_t ipa, uint64_t size,
		   uint32_t vintid, const char **why)
{
	uint64_t badge = ~0ull, pa = 0, phys_size = 0;

	c->slot = slot;
	c->vintid = vintid;
	if (cloison_cap_identify(slot, NULL, NULL, &badge) != CLOISON_ERR_OK ||
	    badge != BLKIF_BACKEND_END ||
	    cloison_memory_phys(slot, &pa, &phys_size) != CLOISON_ERR_OK ||
	    phys_size <= BLKIF_DATA_OFFSET || phys_size != size) {
		*why = "the channel is not a back-end end with a data area";
		return false;
	}
	c->data_pa = pa + BLKIF_DATA_OFFSET;
	c->data_size = size - BLKIF_DATA_OFFSET;
	client_ring_init(&c->ring, (void *)(uintptr_t)ipa);
	cloison_channel_bind(c->slot, c->vintid);
	irq_enable(c->vintid, 0x90);
	return true;
}

void connect_init(const struct config_disk *table, uint32_t n, uint32_t inbox,
		  struct client *cl, uint32_t *ncl, uint32_t max, uint32_t first)
{
	clients = cl;
	n_clients = ncl;
	max_clients = max;
	first_vintid = first;
	for (uint32_t i = 0; i < n; i++)
		if (table[i].cap[0] == '@')
			disks[n_disks++].extent = &table[i];
	if (!n_disks)
		return;
	if (!ctl_server_open(&ctl, inbox, CTL_VIRQ)) {
		print("run-time disks: no control channel \"ctl\" (end 1): none is served\n");
		n_disks = 0;
		return;
	}
	print("run-time disks: %u, connect inbox slots %u..%u\n", n_disks, ctl.inbox_first,
	      ctl.inbox_first + ctl.inbox_slots - 1);
}

static void answer(uint32_t id, uint32_t status, uint32_t slot, uint64_t value, const char *disk)
{
	struct diskctl_rsp rsp = { status, slot, value, { 0 } };

	if (disk)
		memcpy(rsp.disk, disk, strlen(disk) + 1);
	ctl_server_answer(&ctl, id, &rsp, sizeof(rsp));
}

static struct dyn_disk *by_slot(uint32_t slot)
{
	for (uint32_t i = 0; i < n_disks; i++)
		if (disks[i].state != DYN_FREE && disks[i].slot == slot)
			return &disks[i];
	return NULL;
}

static bool slot_taken(uint32_t slot)
{
	return by_slot(slot) != NULL;
}

static bool release(struct dyn_disk *d);

static uint32_t attach(const char *name, uint32_t *slot)
{
	struct dyn_disk *d = NULL;

	for (uint32_t i = 0; i < n_disks && !d; i++)
		if (strcmp(disks[i].extent->cap + 1, name) == 0)
			d = &disks[i];
	if (!d)
		return DISKCTL_UNKNOWN_DISK;
	/* dom0 asks one thing at a time: a disk still reserved when it asks
	 * for it again was given up (dom0 stopped waiting for our answer). */
	if (d->state == DYN_RESERVED)
		release(d);
	if (d->state != DYN_FREE)
		return DISKCTL_IN_USE;
	*slot = ctl_server_free_slot(&ctl, slot_taken);
	if (!*slot)
		return DISKCTL_INBOX_FULL;
	d->state = DYN_RESERVED;
	d->slot = *slot;
	return DISKCTL_OK;
}

/* A free entry of clients[] (one never used, or one forgotten whose
 * requests are all answered), its index in *index; NULL if none. */
static struct client *free_client(uint32_t *index)
{
	for (uint32_t i = 0; i < *n_clients; i++)
		if (clients[i].ring.dead && !clients[i].in_flight && !clients[i].name[0]) {
			*index = i;
			return &clients[i];
		}
	if (*n_clients >= max_clients)
		return NULL;
	*index = (*n_clients)++;
	return &clients[*index];
}

static uint32_t ready(struct dyn_disk *d)
{
	const char *why = "";
	struct client *c;
	uint32_t i = 0;
	uint64_t ipa;

	if (!d || d->state != DYN_RESERVED)
		return DISKCTL_BAD_SLOT;
	c = free_client(&i);
	if (!c)
		return DISKCTL_INBOX_FULL;
	memset(c, 0, sizeof(*c));
	ipa = DYN_IPA + (d->slot - ctl.inbox_first) * DYN_IPA_STEP;
	if (cloison_memory_map(d->slot, ipa, CLOISON_RIGHT_CHANNEL_READ |
			       CLOISON_RIGHT_CHANNEL_WRITE) != CLOISON_ERR_OK ||
	    !client_attach(c, d->slot, ipa, DYN_CHANNEL_SIZE, first_vintid + i, &why)) {
		c->ring.dead = c->reported_dead = true;
		print("run-time disk %s: slot %u refused: %s\n", d->extent->cap + 1, d->slot, why);
		return DISKCTL_BAD_SLOT;
	}
	memcpy(c->name, d->extent->cap + 1, strlen(d->extent->cap + 1) + 1);
	c->start = d->extent->start;
	c->sectors = d->extent->sectors;
	d->client = i;
	d->state = DYN_SERVING;
	print("client %s attached (inbox slot %u)\n", c->name, d->slot);
	return DISKCTL_OK;
}

/* Forget d once nothing of it is at the device: delete the end (its
 * mapping goes with it). True when done. */
static bool release(struct dyn_disk *d)
{
	struct client *c = d->state == DYN_RESERVED ? NULL : &clients[d->client];

	if (c) {
		c->ring.dead = c->reported_dead = true;
		c->ring.why = "detached";
		if (c->in_flight)
			return false;
		print("client %s detached\n", c->name);
		c->name[0] = 0;
	}
	if (cloison_cap_identify(d->slot, NULL, NULL, NULL) == CLOISON_ERR_OK)
		cloison_cap_delete(d->slot);
	d->state = DYN_FREE;
	return true;
}

static void request(const struct ring_msg *m)
{
	struct diskctl_req r;
	struct dyn_disk *d;
	uint32_t slot = 0;

	if (m->len != sizeof(r)) {
		answer(m->id, DISKCTL_INVALID, 0, 0, NULL);
		return;
	}
	memcpy(&r, m->data, sizeof(r));
	r.disk[DISKCTL_NAME - 1] = 0;
	d = by_slot(r.arg);
	switch (r.op) {
	case DISKCTL_ATTACH: {
		uint32_t st = attach(r.disk, &slot);

		answer(m->id, st, slot, st == DISKCTL_OK ? DYN_CHANNEL_SIZE : 0, NULL);
		return;
	}
	case DISKCTL_READY:
		answer(m->id, ready(d), r.arg, 0, NULL);
		return;
	case DISKCTL_DETACH:
		if (!d) {
			answer(m->id, DISKCTL_BAD_SLOT, r.arg, 0, NULL);
		} else if (release(d)) {
			answer(m->id, DISKCTL_OK, r.arg, 0, NULL);
		} else {
			d->state = DYN_CLOSING;
			d->ctl_id = m->id; /* answered when the device is done */
		}
		return;
	case DISKCTL_LIST:
		for (uint32_t i = 0, k = 0; i < n_disks; i++) {
			if (disks[i].state != DYN_SERVING || k++ != r.arg)
				continue;
			answer(m->id, DISKCTL_OK, disks[i].slot,
			       clients[disks[i].client].served, disks[i].extent->cap + 1);
			return;
		}
		answer(m->id, DISKCTL_END, 0, 0, NULL);
		return;
	default:
		answer(m->id, DISKCTL_INVALID, 0, 0, NULL);
	}
}

bool connect_poll(void)
{
	bool progress = false;

	if (!ctl.open)
		return false;
	for (uint32_t i = 0; i < n_disks; i++) {
		struct dyn_disk *d = &disks[i];

		enum dyn_state was = d->state;

		if (was == DYN_SERVING &&
		    cloison_cap_identify(d->slot, NULL, NULL, NULL) != CLOISON_ERR_OK) {
			/* The core took the end with the guest (and unmapped
			 * it): the ring is not touched again. */
			print("client %s gone (its guest was destroyed)\n", clients[d->client].name);
			d->state = was = DYN_GONE;
		}
		if ((was == DYN_CLOSING || was == DYN_GONE) && release(d)) {
			if (was == DYN_CLOSING)
				answer(d->ctl_id, DISKCTL_OK, d->slot, 0, NULL);
			progress = true;
		}
	}
	return ctl_server_poll(&ctl, request) || progress;
}

bool connect_arm(void)
{
	return ctl_server_arm(&ctl);
}
