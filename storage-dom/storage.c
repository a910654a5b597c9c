/* SPDX-License-Identifier: MIT */
/*
 * storage-dom: the block back end (docs/block-protocol.md). It owns the
 * physical disk (a virtio-blk device: its registers and its interrupt are
 * caps) and serves each client a virtual disk, an extent of the physical
 * one, over a channel. Zero copy of data: the device DMAs straight to and
 * from the client's data area in the channel (its physical address from
 * memory_phys); requests are copied once into private memory and checked
 * there. A client that forges its ring is disconnected alone; one that
 * floods waits behind its own requests (at most a ring's worth in flight).
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

static void reply(struct client *c, uint32_t id, uint32_t status, uint64_t value, bool *notify)
{
	struct blkif_rsp rsp = { status, BLKIF_VERSION, value };
	bool n = false;

	if (c->ring.dead)
		return;
	/* Room is guaranteed: a request is taken only while the response
	 * ring has space for it and every request in flight. */
	if (ring_send(&c->ring, &rsp, sizeof(rsp), id, &n) == RING_OK && n)
		*notify = true;
	if (status != BLKIF_OK)
		c->refused++;
	else
		c->served++;
}

/* Hand a checked request to the device. False: the device queue is full,
 * retry after a completion. Anything the device refuses is answered. */
static bool submit(struct client *c, const struct blkif_req *r, uint32_t id, bool *notify)
{
	uint64_t tag = (uint64_t)(c - clients) << 32 | id;
	enum vblk_status st;

	if (r->op == BLKIF_OP_FLUSH && !blk.can_flush) {
		/* No VIRTIO_BLK_F_FLUSH: the device writes through (virtio
		 * 1.x §5.2.5), so every answered write is stable already. */
		reply(c, id, BLKIF_OK, 0, notify);
		return true;
	}
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
		reply(c, id, BLKIF_IOERR, 0, notify); /* a broken device, a read-only disk */
	return true;
}

/* Take requests from one client while its responses have room. */
static bool serve(struct client *c, bool *notify)
{
	bool progress = false;
	struct ring_msg m;

	while (!c->ring.dead) {
		struct blkif_req r;
		uint64_t value;
		uint32_t st;

		if (c->pending) {
			if (!submit(c, &c->held, c->held_id, notify))
				return progress; /* device full: retry after a completion */
			c->pending = false;
			progress = true;
			continue;
		}
		if (ring_space(&c->ring) <= c->in_flight)
			return progress;
		if (ring_recv(&c->ring, &m) != RING_OK)
			break;
		progress = true;
		st = client_check(c, &m, &r, &value);
		if (st == CLIENT_ANSWER_NOW) {
			reply(c, m.id, BLKIF_OK, value, notify);
		} else if (st != BLKIF_OK) {
			reply(c, m.id, st, 0, notify);
		} else if (!submit(c, &r, m.id, notify)) {
			c->held = r;
			c->held_id = m.id;
			c->pending = true;
		}
	}
	if (c->ring.dead && !c->reported_dead) {
		c->reported_dead = true;
		print("client %s disconnected: %s\n", c->name, c->ring.why);
	}
	return progress;
}

static bool completions(bool *notify)
{
	enum vblk_status st;
	uint64_t tag;
	bool any = false;

	while (vblk_complete(&blk, &tag, &st)) {
		struct client *c = &clients[(tag >> 32) % MAX_CLIENTS];

		any = true;
		if (c->in_flight)
			c->in_flight--;
		reply(c, (uint32_t)tag, st == VBLK_OK ? BLKIF_OK : BLKIF_IOERR, 0,
		      &notify[c - clients]);
	}
	return any;
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
		bool notify[MAX_CLIENTS] = { false };
		bool progress = completions(notify);

		progress |= connect_poll();

		for (uint32_t i = 0; i < n_clients; i++)
			progress |= serve(&clients[i], &notify[i]);
		vblk_kick(&blk);
		for (uint32_t i = 0; i < n_clients; i++)
			if (notify[i])
				cloison_channel_signal(clients[i].slot);
		if (progress)
			continue;
		/* Nothing to do: ask every source to wake us, then sleep unless
		 * something arrived meanwhile. */
		irq_mask();
		progress = vblk_arm(&blk) | connect_arm();
		for (uint32_t i = 0; i < n_clients; i++) {
			struct client *c = &clients[i];

			/* A client with requests at the device needs no
			 * notification: their completion wakes us and its ring is
			 * read then (so a busy client sends none). An idle one is
			 * armed, even when its responses have no room: an honest
			 * front end (at most RING_SLOTS outstanding) sends its
			 * next request only after taking a response, and that
			 * request must wake us. One over its limit waits for its
			 * next signal: it stalls only itself, without spinning us. */
			if (c->ring.dead || c->in_flight)
				continue;
			if (ring_arm(&c->ring) && ring_space(&c->ring) > c->in_flight &&
			    !c->pending)
				progress = true;
		}
		if (!progress)
			__asm__ volatile("wfi");
		irq_unmask();
	}
}
