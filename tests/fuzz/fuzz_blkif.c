/* SPDX-License-Identifier: MIT */
/*
 * storage-dom's intake against a hostile front end: each input is a run
 * of raw request slots (every byte the front end controls: id, length and
 * payload, producer index moves included) taken the way storage-dom's
 * serve() takes them: ring_recv's private copy, blkif_batch_count, then
 * client_check (storage-dom/check.c) on each request of the batch. Checked
 * at every step: an accepted batch has 1..2 requests and exactly their
 * length; a request accepted for the device lies inside the extent and the
 * data area, whole sectors; INFO and FLUSH carry no length; a dead ring
 * stays dead and yields nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../storage-dom/client.h"

#define EXTENT 8192u          /* sectors */
#define DATA (1u << 20)       /* the data area's bytes */

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	static struct ring_page page;
	struct ring_end front, back;
	struct client c;
	bool dead = false;

	memset(&c, 0, sizeof(c));
	c.sectors = EXTENT;
	c.data_size = DATA;
	ring_init(&back, &page, BLKIF_BACKEND_END, true);
	ring_init(&front, &page, BLKIF_FRONTEND_END, false);
	while (size >= 1 + sizeof(struct ring_msg)) {
		uint8_t how = *in++;
		struct ring_msg m;

		size--;
		if (how & 1) {
			/* Raw slot bytes at the producer's next slot, then publish. */
			memcpy((void *)&page.dir[1].slot[page.dir[1].prod % RING_SLOTS], in,
			       sizeof(struct ring_msg));
			in += sizeof(struct ring_msg);
			size -= sizeof(struct ring_msg);
			page.dir[1].prod += (how & 2) ? (uint32_t)(how >> 2) * 977u : 1u;
		}
		enum ring_status st = ring_recv(&back, &m);

		if (dead && st != RING_DEAD)
			abort();
		if (st == RING_DEAD) {
			dead = true;
			continue;
		}
		if (st != RING_OK)
			continue;
		uint32_t n = blkif_batch_count(&m, sizeof(struct blkif_req), BLKIF_REQS_PER_MSG);
		struct blkif_req req[BLKIF_REQS_PER_MSG];

		if (n == 0)
			continue; /* answered INVALID as a whole */
		if (n > BLKIF_REQS_PER_MSG || m.len != sizeof(struct blkif_batch) + n * sizeof(req[0]))
			abort();
		memcpy(req, m.data + sizeof(struct blkif_batch), n * sizeof(req[0]));
		for (uint32_t i = 0; i < n; i++) {
			const struct blkif_req *r = &req[i];
			uint64_t value = 0;
			uint32_t s = client_check(&c, r, &value);

			if (s == CLIENT_ANSWER_NOW && (r->op != BLKIF_OP_INFO || value != EXTENT))
				abort();
			if (s != BLKIF_OK)
				continue;
			if (r->op == BLKIF_OP_FLUSH) {
				if (r->len)
					abort();
				continue;
			}
			if ((r->op != BLKIF_OP_READ && r->op != BLKIF_OP_WRITE) || r->len == 0 ||
			    r->len % BLKIF_SECTOR || r->offset % BLKIF_SECTOR ||
			    r->offset + r->len > DATA || r->offset + r->len < r->offset ||
			    r->sector + r->len / BLKIF_SECTOR > EXTENT ||
			    r->sector + r->len / BLKIF_SECTOR < r->sector)
				abort();
		}
	}
	return 0;
}
