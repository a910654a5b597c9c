/* SPDX-License-Identifier: MIT */
/* The learning bridge (bridge.h). */
#include <domain/core.h>

#include "bridge.h"
#include "clock.h"
#include "switch.h"

struct fdb_entry {
	uint8_t mac[6];
	uint16_t vid;       /* 0: free */
	uint32_t port;
	uint16_t next;      /* its hash chain: the next entry's index + 1; 0 ends */
	uint64_t seen;      /* clock ticks */
};

/* Entries are found through FDB_HASH chains by (VID, MAC), so a lookup
 * costs a few compares whatever the table holds (a frame to an unknown
 * station no longer walks all of it). */
#define FDB_HASH 256u

static struct fdb_entry fdb[FDB_SIZE];
static uint16_t bucket[FDB_HASH]; /* first entry's index + 1; 0: empty */
static uint32_t used, per_port[MAX_PORTS];

/* The fast path for a destination looked up before: a few answers of
 * bridge_lookup, direct-mapped by (VID, last MAC byte). An answer stays good
 * while the table is unchanged (gen: bumped by every entry added, moved or
 * dropped) and, when it came from a learned entry, while that entry has not
 * expired (checked again each time). A guest port's MAC is static. */
#define FAST_SLOTS 16u
static struct fast {
	uint8_t mac[6];
	uint16_t vid;       /* 0: empty */
	uint32_t gen;
	uint16_t entry;     /* the learned entry's index + 1; 0: none */
	struct port *q;     /* the answer (NULL: unknown, flooded) */
} fast[FAST_SLOTS];
static uint32_t gen = 1;

static uint32_t hash(uint16_t vid, const uint8_t *mac)
{
	uint32_t h = vid;

	for (int i = 0; i < 6; i++)
		h = h * 31u + mac[i];
	return (h ^ h >> 8) & (FDB_HASH - 1);
}

static bool bridged(const struct port *p)
{
	return !p->guest || p->cfg.mode == MODE_BRIDGE;
}

static bool expired(const struct fdb_entry *e, uint64_t now)
{
	return now - e->seen >= clock_seconds(ports[UPLINK].cfg.ageing_s ? ports[UPLINK].cfg.ageing_s
									  : 300);
}

static void drop_entry(struct fdb_entry *e)
{
	uint16_t *link = &bucket[hash(e->vid, e->mac)];
	uint16_t self = (uint16_t)(e - fdb + 1);

	while (*link && *link != self)
		link = &fdb[*link - 1].next;
	if (*link)
		*link = e->next;
	used--;
	per_port[e->port]--;
	e->vid = 0;
	e->next = 0;
	gen++;
}

static struct fdb_entry *find(uint16_t vid, const uint8_t *mac)
{
	uint64_t now = clock_now();

	for (uint16_t i = bucket[hash(vid, mac)]; i; i = fdb[i - 1].next) {
		struct fdb_entry *e = &fdb[i - 1];

		if (e->vid != vid || !mac_eq(e->mac, mac))
			continue;
		if (expired(e, now)) {
			drop_entry(e);
			return NULL;
		}
		return e;
	}
	return NULL;
}

static struct port *slow_lookup(uint16_t vid, const uint8_t *mac, uint16_t *entry)
{
	struct fdb_entry *e;

	*entry = 0;
	for (uint32_t i = 1; i < n_ports; i++)
		if (ports[i].guest && bridged(&ports[i]) && mac_eq(ports[i].cfg.mac, mac))
			return port_has_vid(&ports[i], vid) ? &ports[i] : NULL;
	e = find(vid, mac);
	if (!e)
		return NULL;
	*entry = (uint16_t)(e - fdb + 1);
	return &ports[e->port];
}

static uint16_t looked_up; /* the learned entry behind the last answer (+ 1) */

struct port *bridge_lookup(uint16_t vid, const uint8_t *mac)
{
	struct fast *f = &fast[(mac[5] ^ vid) & (FAST_SLOTS - 1)];

	if (f->vid != vid || f->gen != gen || !mac_eq(f->mac, mac) ||
	    (f->entry && expired(&fdb[f->entry - 1], clock_now()))) {
		f->q = slow_lookup(vid, mac, &f->entry);
		f->vid = vid;
		f->gen = gen;
		memcpy(f->mac, mac, 6);
	}
	looked_up = f->entry;
	return f->q;
}

/*
 * The decision cache: for each ingress port, where its last unicast frame
 * went (the ports and their tags, as switch_out decided them), for
 * (VID, destination MAC). It answers the next frame to the same
 * destination without the lookup and the flood's walk over every port and
 * VLAN while nothing it depends on changed: the table (gen, and the
 * learned entry's age, checked again each time), the ports (ports_gen:
 * attach, reset) and their number. Only bridging is cached: a frame the
 * router or NAT takes never gets here.
 */
static struct decision {
	uint64_t key;       /* VID << 48 | destination MAC (mac_key); 0: empty */
	uint32_t gen, ports_gen, n_ports;
	uint16_t entry;     /* the learned entry the lookup used (+ 1); 0: none */
	struct switch_ways ways;
} decided[MAX_PORTS];

/* A frame's VLAN (never 0 once classified) and destination, as one key. */
static uint64_t decision_key(const struct pkt *k)
{
	return (uint64_t)k->vid << 48 | mac_key(pkt_dst(k));
}

static bool decision_good(const struct decision *d, const struct pkt *k)
{
	return d->key == decision_key(k) && d->gen == gen && d->ports_gen == ports_gen &&
	       d->n_ports == n_ports && (!d->entry || !expired(&fdb[d->entry - 1], clock_now()));
}

static void unicast(struct pkt *k)
{
	struct port *q = bridge_lookup(k->vid, pkt_dst(k));

	if (q == k->in) {
		/* Never back out of its ingress port (BR-3): a frame for a
		 * station on the same side is not ours to carry. */
		return;
	}
	if (q && bridged(q))
		switch_out(q, k);
	else
		switch_flood(k);
}

/* Learn (vid, src) on the uplink. A full table or quota learns nothing:
 * frames to that MAC are flooded (BR-4). Expired entries are reused. */
static void learn(const struct pkt *k)
{
	struct fdb_entry *e = find(k->vid, pkt_src(k));
	uint64_t now = clock_now();

	if (e) {
		/* Station move (BR-5): the entry follows the port. */
		if (e->port != k->in->index) {
			per_port[e->port]--;
			per_port[k->in->index]++;
			e->port = k->in->index;
			gen++;
		}
		e->seen = now;
		return;
	}
	for (uint32_t i = 0; i < FDB_SIZE; i++)
		if (fdb[i].vid && expired(&fdb[i], now))
			drop_entry(&fdb[i]);
	if (used >= FDB_SIZE || per_port[k->in->index] >= FDB_PORT_QUOTA)
		return;
	for (uint32_t i = 0; i < FDB_SIZE; i++) {
		if (fdb[i].vid)
			continue;
		uint32_t h = hash(k->vid, pkt_src(k));

		memcpy(fdb[i].mac, pkt_src(k), 6);
		fdb[i].vid = k->vid;
		fdb[i].port = k->in->index;
		fdb[i].seen = now;
		fdb[i].next = bucket[h];
		bucket[h] = (uint16_t)(i + 1);
		used++;
		gen++;
		per_port[k->in->index]++;
		return;
	}
}

void bridge_input(struct pkt *k)
{
	struct decision *d;

	if (!k->in->guest) {
		/* A configured guest MAC arriving on the uplink is a spoof
		 * (AS-6): it would poison the table. Never learned. */
		for (uint32_t i = 1; i < n_ports; i++)
			if (ports[i].guest && mac_eq(ports[i].cfg.mac, pkt_src(k))) {
				port_drop(k->in, DROP_SPOOF_MAC);
				return;
			}
		if (!mac_multicast(pkt_src(k)))
			learn(k);
	}
	if (mac_multicast(pkt_dst(k))) {
		switch_flood(k);
		return;
	}
	d = &decided[k->in->index];
	if (decision_good(d, k)) {
		for (uint32_t i = 0; i < d->ways.n; i++)
			switch_send(&ports[d->ways.port[i]], k, d->ways.tag[i]);
		return;
	}
	switch_record(&d->ways);
	unicast(k);
	switch_record(NULL);
	d->key = decision_key(k);
	d->gen = gen;
	d->ports_gen = ports_gen;
	d->n_ports = n_ports;
	d->entry = looked_up;
}

void bridge_flush(const struct port *p)
{
	for (uint32_t i = 0; i < FDB_SIZE; i++)
		if (fdb[i].vid && (!p || fdb[i].port == p->index))
			drop_entry(&fdb[i]);
}

uint32_t bridge_learned(void)
{
	return used;
}
