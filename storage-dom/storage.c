/* SPDX-License-Identifier: MIT */
/*
 * storage-dom: the block back end (docs/block-protocol.md). It owns the
 * physical disk (a virtio-blk device: its registers and its interrupt are
 * caps) and serves each client a virtual disk, an extent of the physical
 * one, over a channel. Zero copy of data: the device DMAs straight to and
 * from the client's data area in the channel (its physical address from
 * memory_phys); requests are copied once into private memory and checked
 * there. A client that forges its ring is disconnected alone; one that
 * floods waits behind its own requests (at most BLKIF_MAX_OUTSTANDING held).
 */
#include <domain/core.h>

#include "client.h"
#include "config.h"
#include "connect.h"
#include "virtio/blk.h"

#define DISK_VIRQ 40u
#define FIRST_CLIENT_VIRQ 41u
#define MAX_CLIENTS 16u

static struct vblk blk;
static _Alignas(4096) uint8_t dma[VBLK_DMA_SIZE];
static struct client clients[MAX_CLIENTS];
static uint32_t n_clients;
static struct config_disk table[CONFIG_MAX_DISKS];

void irq_handler(uint32_t vintid)
{
	if (vintid == DISK_VIRQ)
		vblk_interrupt(&blk);
	/* A client's notification only wakes the loop. */
}

/* Answer a request straight into its client's response array (room is
 * certain: client_avail took no more than the front end has room for). */
static void reply(struct client *c, uint32_t id, uint32_t status, uint64_t value)
{
	client_answer(&c->ring, id, status, value);
	if (status != BLKIF_OK)
		c->refused++;
	else
		c->served++;
}

/* Hand a checked request to the device. False: the device queue is full
 * (or the client's share of it), retry after a completion. Anything the
 * device refuses is answered. */
static bool submit(struct client *c, const struct blkif_req *r)
{
	uint64_t tag = (uint64_t)(c - clients) << 32 | r->id;
	enum vblk_status st;

	if (r->op == BLKIF_OP_FLUSH && !blk.can_flush) {
		/* No VIRTIO_BLK_F_FLUSH: the device writes through (virtio
		 * 1.x §5.2.5), so every answered write is stable already. */
		reply(c, r->id, BLKIF_OK, 0);
		return true;
	}
	/* Each client's share of the device queue: two flooding clients must
	 * not hold every slot and refill it first as slots free. */
	if (c->in_flight >= (n_clients > 1 ? VBLK_MAX_IN_FLIGHT / n_clients : VBLK_MAX_IN_FLIGHT))
		return false;
	if (r->op == BLKIF_OP_FLUSH)
		st = vblk_submit(&blk, VBLK_FLUSH, 0, 0, 0, tag);
	else
		st = vblk_submit(&blk, r->op == BLKIF_OP_READ ? VBLK_READ : VBLK_WRITE,
				 c->start + r->sector, c->data_pa + r->offset, r->len, tag);
	if (st == VBLK_BUSY)
		return false;
	if (st == VBLK_OK)
		c->in_flight++;
	else
		reply(c, r->id, BLKIF_IOERR, 0); /* a broken device, a read-only disk */
	return true;
}

/* Take one client's requests, as many as it has room for the answers of
 * (at most BLKIF_RING_SIZE taken and not consumed: its bound), each copied
 * once, checked and submitted or answered. A request the device has no
 * room for is held privately until a completion. */
static void serve(struct client *c)
{
	uint32_t n;

	if (c->holding) {
		/* A dead (or detached) client's held request is dropped: its
		 * channel may be gone, the device must not reach it. */
		if (!c->ring.dead && !submit(c, &c->held))
			return;
		c->holding = false;
	}
	n = client_avail(&c->ring);
	for (uint32_t i = 0; i < n; i++) {
		struct blkif_req r;
		uint64_t value;
		uint32_t st;

		client_take(&c->ring, &r);
		st = client_check(c, &r, &value);
		if (st == CLIENT_ANSWER_NOW)
			reply(c, r.id, BLKIF_OK, value);
		else if (st != BLKIF_OK)
			reply(c, r.id, st, 0);
		else if (!submit(c, &r)) {
			c->held = r; /* device full: retry after a completion */
			c->holding = true;
			return;
		}
	}
	if (c->ring.dead && !c->reported_dead) {
		c->reported_dead = true;
		print("client %s disconnected: %s\n", c->name, c->ring.why);
	}
}

/* Answer what the device completed. True if a dead client's last request
 * at the device completed (connect.c may forget it now: one more round). */
static bool completions(void)
{
	enum vblk_status st;
	uint64_t tag;
	bool drained = false;

	while (vblk_complete(&blk, &tag, &st)) {
		struct client *c = &clients[(tag >> 32) % MAX_CLIENTS];

		if (c->in_flight && !--c->in_flight && c->ring.dead)
			drained = true;
		reply(c, (uint32_t)tag, st == VBLK_OK ? BLKIF_OK : BLKIF_IOERR, 0);
	}
	return drained;
}

static bool setup_client(struct client *c, const struct config_disk *d, uint32_t i)
{
	const struct cloison_start_info_cap *cap = si_find(d->cap);
	const char *why = "";

	if (!cap || cap->type != CLOISON_TYPE_CHANNEL || cap->ipa == ~0ull) {
		print("disk %s: no mapped channel cap of that name\n", d->cap);
		return false;
	}
	memcpy(c->name, d->cap, sizeof(c->name));
	c->start = d->start;
	c->sectors = d->sectors;
	if (!client_attach(c, cap->slot, cap->ipa, cap->size, FIRST_CLIENT_VIRQ + i, &why)) {
		print("disk %s: %s\n", d->cap, why);
		return false;
	}
	return true;
}

int domain_main(const struct cloison_start_info *si)
{
	const struct cloison_start_info_cap *dev = si_find("disk");
	const char *why = "no cap named \"disk\"";
	uint32_t n = 0, inbox = 0;

	if (!dev || !vblk_init(&blk, (volatile void *)(uintptr_t)dev->ipa, dma, si_ram_pa(dma),
			       &why))
		runtime_panic("cannot drive the disk: %s", why);
	if (!config_read(si, blk.capacity, table, &n, &inbox, &why))
		runtime_panic("%s", why);
	if (cloison_irq_bind(si_cap("disk-irq"), DISK_VIRQ) != CLOISON_ERR_OK)
		runtime_panic("cannot take the disk's interrupt");
	irq_enable(DISK_VIRQ, 0x80);
	for (uint32_t i = 0; i < n && n_clients < MAX_CLIENTS; i++)
		if (table[i].cap[0] != '@' && /* run-time disks: connect.c */
		    setup_client(&clients[n_clients], &table[i], n_clients))
			n_clients++;
	print("serving %u virtual disk%s on a %lu MiB disk\n", n_clients, n_clients == 1 ? "" : "s",
	      blk.capacity >> 11);
	for (uint32_t i = 0; i < n_clients; i++)
		print("  %s: sectors %lu..%lu\n", clients[i].name, clients[i].start,
		      clients[i].start + clients[i].sectors - 1);
	connect_init(table, n, inbox, clients, &n_clients, MAX_CLIENTS, FIRST_CLIENT_VIRQ);
	irq_unmask();
	for (;;) {
		bool progress, drained;

		/* Run-time clients first: one whose guest is gone (its channel
		 * unmapped by the core) is marked dead before any answer is
		 * written into its page. */
		connect_poll();
		drained = completions();
		for (uint32_t i = 0; i < n_clients; i++)
			serve(&clients[i]);
		vblk_kick(&blk);
		/* One publication (and at most one signal) per client a round. */
		for (uint32_t i = 0; i < n_clients; i++)
			if (client_publish(&clients[i].ring))
				cloison_channel_signal(clients[i].slot);
		/* Ask every source to wake us, then sleep unless something
		 * arrived meanwhile: arming is the second look at each source,
		 * so a round that found work needs no empty round after it. */
		irq_mask();
		progress = vblk_arm(&blk) | connect_arm() | drained;
		for (uint32_t i = 0; i < n_clients; i++) {
			struct client *c = &clients[i];

			/* A client with requests at the device needs no
			 * notification: their completion wakes us and its ring is
			 * read then (so a busy client sends none). One holding a
			 * request for room at the device is woken by another
			 * client's completion. An idle one is armed; one past its
			 * bound (more than BLKIF_MAX_OUTSTANDING outstanding, out of
			 * the protocol) is armed too and served again on its next
			 * signal (docs/block-protocol.md, "Notifications"). */
			if (c->ring.dead || c->in_flight || c->holding)
				continue;
			if (client_arm(&c->ring))
				progress = true;
		}
		if (!progress)
			__asm__ volatile("wfi");
		irq_unmask();
	}
}
