/* SPDX-License-Identifier: MIT */
#include "ring.h"

#define MASK (RING_SLOTS - 1)

/* Ordering of shared-memory accesses against the peer's. On the host (unit
 * tests, fuzzing) a compiler barrier is enough. */
#if defined(__aarch64__)
#define ring_mb() __asm__ volatile("dmb ish" ::: "memory")
#else
#define ring_mb() __asm__ volatile("" ::: "memory")
#endif

/*
 * A slot moves between private and shared memory as 8 aligned words: each
 * shared word is read (or written) once, in 8 accesses instead of 64.
 * may_alias: the words are a view of struct ring_msg.
 */
typedef uint64_t __attribute__((may_alias)) ring_word;
#define SLOT_WORDS (sizeof(struct ring_msg) / sizeof(ring_word))

static void slot_read(const volatile struct ring_msg *slot, struct ring_msg *out)
{
	const volatile ring_word *src = (const volatile ring_word *)slot;
	ring_word *dst = (ring_word *)out;

	for (unsigned i = 0; i < SLOT_WORDS; i++)
		dst[i] = src[i];
}

static enum ring_status kill(struct ring_end *e, const char *why)
{
	if (!e->dead) {
		e->dead = true;
		e->why = why;
	}
	return RING_DEAD;
}

enum ring_status ring_init(struct ring_end *e, void *page, unsigned end, bool reset)
{
	volatile struct ring_page *p = page;

	if (!page || end > 1)
		return RING_INVALID;
	if (reset) {
		volatile uint8_t *b = page;

		for (size_t i = 0; i < sizeof(struct ring_page); i++)
			b[i] = 0;
	}
	e->tx = &p->dir[end];
	e->rx = &p->dir[1 - end];
	e->tx_prod = e->tx_cons_seen = 0;
	e->rx_cons = e->rx_prod_seen = 0;
	e->dead = false;
	e->why = NULL;
	e->sent = e->received = e->notifies = 0;
	return RING_OK;
}

/* Read the consumer's index once and check it: it may only move forward,
 * and never past what we produced. */
static bool read_tx_cons(struct ring_end *e, uint32_t *cons)
{
	uint32_t c = e->tx->cons;

	if ((uint32_t)(c - e->tx_cons_seen) > (uint32_t)(e->tx_prod - e->tx_cons_seen)) {
		kill(e, "consumer index moved backwards or past the producer");
		return false;
	}
	e->tx_cons_seen = c;
	*cons = c;
	return true;
}

uint32_t ring_space(struct ring_end *e)
{
	uint32_t cons;

	if (e->dead || !read_tx_cons(e, &cons))
		return 0;
	return RING_SLOTS - (e->tx_prod - cons);
}

enum ring_status ring_send(struct ring_end *e, const void *data, uint32_t len,
			   uint32_t id, bool *notify)
{
	volatile ring_word *slot;
	uint32_t cons, old, event, w = 0;
	const uint8_t *d = data;

	*notify = false;
	if (e->dead)
		return RING_DEAD;
	if (len > RING_DATA || (len && !data))
		return RING_INVALID;
	if (!read_tx_cons(e, &cons))
		return RING_DEAD;
	if (e->tx_prod - cons >= RING_SLOTS)
		return RING_FULL;
	/* The whole slot is written as SLOT_WORDS aligned words, padding
	 * zeroed: id and len, the message, zeros. Words straight from an
	 * aligned message; its tail, or an unaligned message, through a
	 * private word first (building the whole slot privately, then
	 * copying it, cost twice the stores). */
	slot = (volatile ring_word *)&e->tx->slot[e->tx_prod & MASK];
	slot[0] = (ring_word)id | (ring_word)len << 32;
	if (((uintptr_t)d & 7) == 0)
		for (; w < len / 8; w++)
			slot[1 + w] = ((const ring_word *)d)[w];
	for (; w * 8 < len; w++) {
		ring_word v = 0;

		for (uint32_t i = w * 8; i < len && i < w * 8 + 8; i++)
			v |= (ring_word)d[i] << (8 * (i - w * 8));
		slot[1 + w] = v;
	}
	for (; w < SLOT_WORDS - 1; w++)
		slot[1 + w] = 0;
	ring_mb(); /* the slot before the index that publishes it */
	old = e->tx_prod;
	e->tx_prod++;
	e->tx->prod = e->tx_prod;
	ring_mb(); /* the index before reading the peer's event */
	event = e->tx->event;
	/* Notify only if the new messages cross the index the consumer asked
	 * for: (old, new] contains event. */
	*notify = (uint32_t)(e->tx_prod - event) < (uint32_t)(e->tx_prod - old);
	if (*notify)
		e->notifies++;
	e->sent++;
	return RING_OK;
}

enum ring_status ring_peek(struct ring_end *e, struct ring_msg *out)
{
	volatile struct ring_msg *slot;
	uint32_t prod;

	if (e->dead)
		return RING_DEAD;
	/* The producer's index: read once, checked, then used. */
	prod = e->rx->prod;
	if ((uint32_t)(prod - e->rx_prod_seen) > RING_SLOTS)
		return kill(e, "producer index went backwards or jumped");
	if ((uint32_t)(prod - e->rx_cons) > RING_SLOTS)
		return kill(e, "producer index ran ahead by more than the ring size");
	e->rx_prod_seen = prod;
	if (prod == e->rx_cons)
		return RING_EMPTY;
	ring_mb(); /* the index before the slot it publishes */
	slot = &e->rx->slot[e->rx_cons & MASK];
	/* Copy once; from here on only the private copy is looked at. */
	slot_read(slot, out);
	if (out->len > RING_DATA)
		return kill(e, "message length larger than a slot");
	return RING_OK;
}

void ring_consume(struct ring_end *e)
{
	if (e->dead || e->rx_cons == e->rx_prod_seen)
		return;
	ring_mb(); /* finish reading the slot before handing it back */
	e->rx_cons++;
	e->rx->cons = e->rx_cons;
	e->received++;
}

enum ring_status ring_recv(struct ring_end *e, struct ring_msg *out)
{
	enum ring_status st = ring_peek(e, out);

	if (st == RING_OK)
		ring_consume(e);
	return st;
}

bool ring_arm(struct ring_end *e)
{
	if (e->dead)
		return false;
	e->rx->event = e->rx_cons + 1;
	ring_mb(); /* the event before the second look at prod */
	return e->rx->prod != e->rx_cons;
}
