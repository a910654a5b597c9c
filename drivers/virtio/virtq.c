/* SPDX-License-Identifier: MIT */
/* Split virtqueue, driver side (virtio 1.x §2.7); see virtq.h. */
#include "virtq.h"

/* The device is another bus master: order our ring writes against its
 * reads (§2.7.13: memory barriers before publishing the index). */
static void mb(void)
{
	__asm__ volatile("dmb sy" ::: "memory");
}

void virtq_init(struct virtq *q, void *page, uint64_t page_pa, bool event_idx)
{
	volatile uint64_t *w = page;

	for (uint32_t i = 0; i < 4096 / 8; i++)
		w[i] = 0;
	q->page = page;
	q->page_pa = page_pa;
	q->event_idx = event_idx;
	q->broken = false;
	q->free_head = 0;
	q->num_free = VIRTQ_SIZE;
	q->avail_idx = q->kicked_idx = q->last_used = 0;
	for (uint32_t i = 0; i < VIRTQ_SIZE; i++) {
		q->next_free[i] = (uint16_t)((i + 1) % VIRTQ_SIZE);
		q->chain_len[i] = 0;
	}
}

int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n)
{
	uint16_t head = q->free_head, d = head, prev = 0;

	if (n == 0 || n > q->num_free || q->broken)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		volatile struct virtq_desc *desc = &q->page->desc[d];

		desc->addr = bufs[i].pa;
		desc->len = bufs[i].len;
		desc->flags = (uint16_t)((bufs[i].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
					 (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		if (i > 0)
			q->page->desc[prev].next = d;
		prev = d;
		d = q->next_free[d];
	}
	q->page->desc[prev].next = 0;
	q->free_head = d;
	q->num_free = (uint16_t)(q->num_free - n);
	q->chain_len[head] = (uint16_t)n;
	q->page->avail.ring[q->avail_idx % VIRTQ_SIZE] = head;
	q->avail_idx++;
	return head;
}

/* §2.7.10: notify if the new index passed the device's event index since
 * the last decision. */
static bool need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

bool virtq_publish(struct virtq *q)
{
	uint16_t old = q->kicked_idx;
	bool kick;

	if (q->avail_idx == old)
		return false;
	mb(); /* descriptors and ring entries before the index */
	q->page->avail.idx = q->avail_idx;
	mb(); /* the index before reading the device's suppression state */
	kick = q->event_idx ? need_event(q->page->used.avail_event, q->avail_idx, old)
			    : !(q->page->used.flags & 1u /* VIRTQ_USED_F_NO_NOTIFY */);
	q->kicked_idx = q->avail_idx;
	return kick;
}

bool virtq_get(struct virtq *q, uint32_t *head, uint32_t *len)
{
	volatile struct virtq_used_elem *e;
	uint32_t id;
	uint16_t d;

	if (q->broken || q->page->used.idx == q->last_used)
		return false;
	mb(); /* the index before the entry it covers */
	e = &q->page->used.ring[q->last_used % VIRTQ_SIZE];
	id = e->id;
	*len = e->len;
	if (id >= VIRTQ_SIZE || q->chain_len[id] == 0) {
		q->broken = true; /* a completion for nothing we submitted */
		return false;
	}
	q->last_used++;
	/* Return the chain to the free list. A chain was taken in free-list
	 * order and next_free[] of its entries is untouched since, so its
	 * tail is found in private memory, never through the shared table. */
	d = (uint16_t)id;
	for (uint16_t i = 1; i < q->chain_len[id]; i++)
		d = q->next_free[d];
	q->next_free[d] = q->free_head;
	q->free_head = (uint16_t)id;
	q->num_free = (uint16_t)(q->num_free + q->chain_len[id]);
	q->chain_len[id] = 0;
	*head = id;
	return true;
}

bool virtq_arm(struct virtq *q)
{
	if (q->event_idx)
		q->page->avail.used_event = q->last_used;
	else
		q->page->avail.flags = 0; /* interrupts on (§2.7.7) */
	mb();
	return q->page->used.idx != q->last_used;
}
